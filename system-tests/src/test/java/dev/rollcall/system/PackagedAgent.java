package dev.rollcall.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged presence agent ({@code presence-agent/target/quarkus-app}) as a process of its own, with a home of
 * its own (where its default credential file lives) and its output in {@code target/service-logs}.
 */
final class PackagedAgent implements AutoCloseable {

    private final Process process;

    private PackagedAgent(Process process) {
        this.process = process;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("rollcall.root", "..")).resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: package presence-agent first");
        }
        return jar;
    }

    /** Runs {@code args} (e.g. {@code enroll …}) to its end and returns its exit code; its output goes to {@code log}. */
    static int run(Path home, String log, String... args) throws IOException, InterruptedException {
        Process p = builder(home, log, args).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("presence-agent " + args[0] + " did not finish in 60 s; see " + logFile(log));
        }
        return p.exitValue();
    }

    /** Starts a long-running collector ({@code network …}); {@link #close()} stops it as systemd would (SIGTERM). */
    static PackagedAgent start(Path home, String log, String... args) throws IOException {
        return new PackagedAgent(builder(home, log, args).start());
    }

    static Path logFile(String log) {
        return Path.of(System.getProperty("rollcall.logs", "target/service-logs"), log + ".log");
    }

    private static ProcessBuilder builder(Path home, String log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m", "-Duser.home=" + home, "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Path file = logFile(log);
        Files.createDirectories(file.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
        pb.environment().remove("STATE_DIRECTORY");
        return pb;
    }

    /** SIGKILL, as a crash or a power cut ends it: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
