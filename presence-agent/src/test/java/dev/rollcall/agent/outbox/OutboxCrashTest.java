package dev.rollcall.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollcall.agent.TestJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
            Process worker = new ProcessBuilder(TestJvm.command(OutboxCrashWorker.class, dir.toString(),
                    Long.toString(random.nextLong())))
                    .redirectError(work.resolve("worker-" + run + ".log").toFile())
                    .start();
            List<String> lines = new ArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (IOException ignored) {
                    // the pipe closes when the process dies
                }
            });
            // Anywhere from JVM start-up (recovery) to well into writing and shipping.
            Thread.sleep(100 + random.nextInt(1400));
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // The worker is dead, so its pipe ends; on a loaded machine reading the rest can take a while, and
            // judging the run on a partial transcript would miss "S" lines and report a false loss.
            reader.join(120_000);
            assertThat(reader.isAlive()).as("the worker's output was read to its end").isFalse();

            Set<String> shippedThisRun = new HashSet<>();
            boolean ready = false;
            synchronized (lines) {
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
            }
            killsAfterReady += ready ? 1 : 0;

            try (Outbox outbox = Outbox.open(dir, Integer.MAX_VALUE)) {
                List<String> queued = outbox.peek(Integer.MAX_VALUE).stream()
                        .map(e -> e.event().id().toString()).toList();
                assertThat(queued).as("no event twice in the store (seed %d)", seed).doesNotHaveDuplicates();
                assertThat(queued).as("every file decodes (seed %d)", seed).hasSize(outbox.size());
                for (String id : written) {
                    assertThat(queued.contains(id) || shipCount.containsKey(id))
                            .as("acknowledged event %s is neither queued nor shipped after kill %d (seed %d)",
                                    id, run, seed).isTrue();
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
}
