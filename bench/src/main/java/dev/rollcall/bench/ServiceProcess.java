package dev.rollcall.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Rollcall service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as its own JVM, configured
 * by system properties, its output in the bench's log folder. The idea of system-tests' ServiceProcess, plus
 * what a measurement needs: the process id (for CPU and JFR), extra JVM options, starting without waiting.
 */
final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final String name;
    private final int port;
    private final List<String> command;
    private final Path log;
    private Process process;

    ServiceProcess(BenchSettings settings, String module, String name, Map<String, String> properties, List<String> jvmOptions)
            throws IOException {
        this.module = module;
        this.name = name;
        this.port = freePort();
        Path jar = settings.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: package " + module + " first (make bench does)");
        }
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Xmx" + settings.serviceHeap(), "-Dquarkus.http.port=" + port));
        cmd.addAll(deployedJvmOptions(settings.root().resolve(module)));
        cmd.addAll(jvmOptions);
        String extra = System.getenv("BENCH_SERVICE_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        this.command = List.copyOf(cmd);
        Path logs = settings.work().resolve("logs");
        Files.createDirectories(logs);
        this.log = logs.resolve(name + ".log");
    }

    /** The JVM options the service is run with ({@code <module>/jvm.options}, as {@code make run} reads them), if any. */
    static List<String> deployedJvmOptions(Path module) throws IOException {
        Path file = module.resolve("jvm.options");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    ServiceProcess launch() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return this;
    }

    /** Launches the service and waits until its readiness check answers UP. */
    ServiceProcess start() throws IOException, InterruptedException {
        launch();
        awaitReady(Duration.ofSeconds(120));
        return this;
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            checkAlive();
            if (ready()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " (" + module + ") exited with " + process.exitValue() + "; see " + log);
        }
    }

    boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://localhost:" + port + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM and wait: Quarkus shuts down cleanly, and JFR writes its recording on the way out. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
