package dev.rollcall.events;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * Prints how many WorkstationStateChanged events per second each way of decoding reads on this machine: the tree path
 * ({@code readTree} then {@code fromTree}, what {@code decode} did first), Jackson's streaming reader ({@link
 * EventJsonReader}), {@link EventCodec#decode(byte[])} as it is (the byte scanner first, {@link EventJsonScanner}) and
 * {@link WorkstationReportScanner}, which reads only what a report rebuild needs.
 * A figure to look at, not a test: the suite has no timed tests, and surefire does not pick this class up. Run it
 * after {@code ./mvnw -o -pl event-contract verify}, with the module's classpath:
 * <pre>
 * ./mvnw -o -q -pl event-contract dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp event-contract/target/classes:event-contract/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.rollcall.events.CodecThroughput [records]
 * </pre>
 */
public final class CodecThroughput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 5;
    private static final int USERS = Integer.getInteger("users", 5_000);

    private enum Way { TREE, STREAMING, DECODE, REPORT_SCANNER }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        byte[][] records = records(n);
        System.out.printf("%,d WorkstationStateChanged records, %,d bytes on average%n", n, bytes(records) / n);
        double[] best = new double[Way.values().length];
        // The ways take turns, so that JIT warm-up and whatever else runs on the machine hit them alike.
        for (int round = 1; round <= ROUNDS; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (Way way : Way.values()) {
                double rate = eventsPerSecond(records, way);
                best[way.ordinal()] = Math.max(best[way.ordinal()], rate);
                line.append(String.format("   %s %,10.0f events/s", way.name().toLowerCase(java.util.Locale.ROOT), rate));
            }
            System.out.println(line);
        }
        System.out.printf("best:    tree %,10.0f   streaming %,10.0f (%.1fx)   decode %,10.0f events/s (%.1fx the tree)"
                        + "   WorkstationReportScanner %,10.0f events/s (%.1fx decode)%n",
                best[0], best[1], best[1] / best[0], best[2], best[2] / best[0], best[3], best[3] / best[2]);
    }

    /** Records like a replay of a busy site: thousands of users, most with a host, times to the millisecond or second. */
    private static byte[][] records(int n) {
        Random random = new Random(42);
        Instant time = Instant.parse("2026-11-20T06:00:00Z");
        byte[][] records = new byte[n][];
        for (int i = 0; i < n; i++) {
            time = time.plusMillis(random.nextInt(random.nextBoolean() ? 1_000 : 5_000) * (random.nextBoolean() ? 1 : 1_000));
            String user = "ACME\\user" + random.nextInt(USERS);
            String host = random.nextInt(10) == 0 ? null : "PC-" + random.nextInt(USERS);
            WorkstationState state = random.nextBoolean() ? WorkstationState.WORKING : WorkstationState.STOPPED;
            records[i] = EventCodec.encode(EventEnvelope.of(new UUID(random.nextLong(), random.nextLong()),
                    "ingest/work-tracing", time, "hq", user, new WorkstationStateChanged(user, host, state)));
        }
        return records;
    }

    private static double eventsPerSecond(byte[][] records, Way way) {
        long sink = 0;
        long start = System.nanoTime();
        WorkstationReportScanner scanner = new WorkstationReportScanner();
        for (byte[] r : records) {
            if (way == Way.REPORT_SCANNER) {
                if (!scanner.read(r)) {
                    throw new IllegalStateException("the scanner left a report to the codec");
                }
                sink += scanner.time().getNano() + scanner.user().length();
                continue;
            }
            EventEnvelope e = switch (way) {
                case TREE -> decodeTree(r);
                case STREAMING -> EventJsonReader.read(r);
                case DECODE -> EventCodec.decode(r);
                case REPORT_SCANNER -> throw new AssertionError("read above");
            };
            sink += e.time().getNano() + e.subject().length();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.println("(unlikely sum, printed so the decoding cannot be optimised away)");
        }
        return records.length * 1e9 / elapsed;
    }

    private static EventEnvelope decodeTree(byte[] record) {
        try {
            return EventCodec.fromTree(JSON.readTree(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytes(byte[][] records) {
        long total = 0;
        for (byte[] r : records) {
            total += r.length;
        }
        return total;
    }
}
