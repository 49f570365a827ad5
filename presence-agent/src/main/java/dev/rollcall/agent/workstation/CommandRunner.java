package dev.rollcall.agent.workstation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short OS command and answers its stdout; behind an interface so tests answer with fixtures. */
@FunctionalInterface
public interface CommandRunner {

    String run(List<String> command) throws IOException;

    /** A real process, 5 s at most; a non-zero exit is an {@link IOException} with the command's first error line. */
    CommandRunner REAL = command -> {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null"))).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " did not answer within 5 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.getFirst() + " failed (exit " + p.exitValue() + ")"
                        + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse("")));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    };
}
