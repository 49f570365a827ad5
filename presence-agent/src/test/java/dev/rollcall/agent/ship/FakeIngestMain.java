package dev.rollcall.agent.ship;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@link FakeIngest} as a process, for a test that needs the server inside a network namespace: prints
 * {@code LISTENING <port>}, then {@code REQUEST <authorization> <body json>} per batch it accepts with 200.
 * args: the port.
 */
public final class FakeIngestMain {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FakeIngest ingest = FakeIngest.http(Integer.parseInt(args[0]));
        ingest.answer(r -> {
            synchronized (out) {
                out.println("REQUEST " + r.authorization().replace(' ', '_') + " " + r.body());
            }
            return FakeIngest.Answer.ok(r.size());
        });
        out.println("LISTENING " + ingest.base().getPort());
        Thread.currentThread().join();
    }
}
