package dev.rollcall.agent.outbox;

import dev.rollcall.agent.ship.Backoff;
import dev.rollcall.agent.ship.IngestResponse;
import dev.rollcall.agent.ship.Shipper;
import dev.rollcall.events.EventEnvelope;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The process {@link OutboxCrashTest} kills: it appends events and ships them with the real {@link Shipper},
 * to a "server" that is this process's stdout, until it is killed. Lines on stdout:
 * <ul>
 *   <li>{@code READY} once the outbox is open (recovered);</li>
 *   <li>{@code W <id>} after {@link Outbox#append} returned: the event is acknowledged as written;</li>
 *   <li>{@code S <id>} when the "server" durably took the event, before the shipper removes it.</li>
 * </ul>
 * Each line is one unbuffered write of under 4 KiB to the pipe, which the kernel makes atomic: a kill falls between
 * lines, never inside one, so the parent knows exactly what was acknowledged before the kill.
 */
public final class OutboxCrashWorker {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        try (Outbox outbox = Outbox.open(dir, Integer.MAX_VALUE)) {
            line(stdout, "READY");
            Shipper shipper = new Shipper(outbox, batch -> {
                if (random.nextInt(5) == 0) {
                    return new IngestResponse.Unavailable(503, Optional.empty(), "busy");
                }
                for (EventEnvelope e : batch) {
                    line(stdout, "S " + e.id());
                }
                return new IngestResponse.Accepted(batch.size());
            }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), random::nextDouble), 1 + random.nextInt(50));
            int n = 0;
            while (true) {
                if (random.nextBoolean()) {
                    List<EventEnvelope> batch = new ArrayList<>();
                    int size = 1 + random.nextInt(20);
                    for (int i = 0; i < size; i++) {
                        batch.add(OutboxTest.event(n++));
                    }
                    outbox.append(batch);
                    for (EventEnvelope e : batch) {
                        line(stdout, "W " + e.id());
                    }
                } else {
                    shipper.shipOnce();
                }
            }
        }
    }

    private static void line(FileOutputStream stdout, String text) {
        try {
            stdout.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
