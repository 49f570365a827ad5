package dev.rollcall.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.agent.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments, many times, while a separate JVM writes to the outbox and ships from it. After
 * every kill the outbox must open cleanly, hold only whole events, no event twice, and every event that was
 * acknowledged as written must be either still queued or acknowledged by the server. An event the server
 * took may be shipped again only if the kill came between the server's answer and the removal (at least once).
 */
class OutboxCrashTest {

    private static final int KILLS = Integer.getInteger("rollcall.outbox.kills", 25);

    @TempDir
    Path work;

    @Test
    void killingTheAgentAtRandomMomentsLosesNothingAcknowledgedAndDuplicatesOnlyInFlightEvents() throws Exception {
        Path dir = work.resolve("outbox");
        long seed = Long.getLong("rollcall.outbox.seed", System.nanoTime());
        Random random = new Random(seed);
        Set<String> written = new HashSet<>();
        Map<String, Integer> shipCount = new HashMap<>();
        Set<String> inFlightAtAKill = new HashSet<>();
        int totalShips = 0;
        int killsAfterReady = 0;

        for (int run = 0; run < KILLS; run++) {
            // The transcript goes to a file, not a pipe: reading a killed JVM's stdout through Process's pipe lost
            // its last lines here (a child writing lines until killed: the parent missed 100 to 1,000 of them in
            // 5 of 30 runs), and a lost "S" line looks like a lost event. A file keeps every byte written to it.
            Path transcript = work.resolve("worker-" + run + ".out");
            Process worker = new ProcessBuilder(TestJvm.command(OutboxCrashWorker.class, dir.toString(),
                    Long.toString(random.nextLong())))
                    .redirectOutput(transcript.toFile())
                    .redirectError(work.resolve("worker-" + run + ".log").toFile())
                    .start();
            // Anywhere from JVM start-up (recovery) to well into writing and shipping.
            Thread.sleep(100 + random.nextInt(1400));
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Each line is one write, but a kill may still cut the last one short ("W 3f2a"): only whole lines
            // count, and a whole line holds a whole event id.
            String text = Files.readString(transcript, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            lines.removeLast();  // after the last newline: empty, or a line the kill cut
            for (String line : lines) {
                if (line.startsWith("W ") || line.startsWith("S ")) {
                    assertThat(line.substring(2)).as("a whole event id on a whole line").matches(
                            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                }
            }

            Set<String> shippedThisRun = new HashSet<>();
            boolean ready = false;
            for (String line : lines) {
                if (line.equals("READY")) {
                    ready = true;
                } else if (line.startsWith("W ")) {
                    written.add(line.substring(2));
                } else if (line.startsWith("S ")) {
                    String id = line.substring(2);
                    shippedThisRun.add(id);
                    totalShips++;
                    int before = shipCount.merge(id, 1, Integer::sum) - 1;
                    if (before > 0) {
                        assertThat(inFlightAtAKill).as("event %s shipped again though it was not in flight at a "
                                + "kill (seed %d)", id, seed).contains(id);
                    }
                }
            }
            killsAfterReady += ready ? 1 : 0;

            try (Outbox outbox = Outbox.open(dir, Integer.MAX_VALUE)) {
                List<String> queued = outbox.peek(Integer.MAX_VALUE).stream()
                        .map(e -> e.event().id().toString()).toList();
                assertThat(queued).as("no event twice in the store (seed %d)", seed).doesNotHaveDuplicates();
                assertThat(queued).as("every file decodes (seed %d)", seed).hasSize(outbox.size());
                for (String id : written) {
                    if (!queued.contains(id) && !shipCount.containsKey(id)) {
                        throw new AssertionError(String.format("acknowledged event %s is neither queued nor shipped "
                                + "after kill %d (seed %d)%n%s", id, run, seed, diagnosis(dir, work, run, id)));
                    }
                }
                // Shipped in this run and still queued: the kill fell between the server's 200 and the removal.
                shippedThisRun.stream().filter(queued::contains).forEach(inFlightAtAKill::add);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("no temporary file survives opening")
                        .noneMatch(n -> n.startsWith(DurableFiles.TEMP_PREFIX));
            }
            assertThat(dir.resolve(Outbox.CORRUPT)).as("no torn event (seed %d)", seed).doesNotExist();
        }

        int duplicates = totalShips - shipCount.size();
        System.out.printf("outbox crash test: %d kills (%d after recovery), %d events acknowledged, %d shipped, "
                + "%d re-shipped after a kill in flight, seed %d%n", KILLS, killsAfterReady, written.size(),
                shipCount.size(), duplicates, seed);
        assertThat(killsAfterReady).as("most kills hit a working process").isGreaterThan(KILLS / 2);
        assertThat(written.size()).as("the workers did real work").isGreaterThan(100);
        assertThat(shipCount.size()).isGreaterThan(50);
    }

    /** What a failure needs to be understood: the outbox's files, the corrupt ones, and the worker's log. */
    private static String diagnosis(Path dir, Path work, int run, String id) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted().forEach(f -> {
                b.append("  ").append(dir.relativize(f));
                try {
                    if (Files.isRegularFile(f) && Files.readString(f).contains(id)) {
                        b.append("   <- holds ").append(id);
                    }
                } catch (IOException | RuntimeException e) {
                    b.append("   (unreadable: ").append(e).append(')');
                }
                b.append('\n');
            });
            for (int r = 0; r <= run; r++) {
                Path out = work.resolve("worker-" + r + ".out");
                if (Files.exists(out)) {
                    List<String> lines = Files.readAllLines(out);
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains(id)) {
                            b.append("run ").append(r).append(" line ").append(i + 1).append(" of ").append(lines.size())
                                    .append(": ").append(lines.get(i)).append('\n');
                        }
                    }
                }
            }
            Path log = work.resolve("worker-" + run + ".log");
            if (Files.exists(log)) {
                b.append("worker log:\n").append(Files.readString(log));
            }
        } catch (IOException e) {
            b.append("(cannot list ").append(dir).append(": ").append(e).append(')');
        }
        return b.toString();
    }
}
