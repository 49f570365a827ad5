package dev.rollcall.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from a POST to the ingest until its report is in the read model: one report at a time, then polling
 * {@code workstation_event} for its event id (the ingest answers with it) in its site, day and user every millisecond. The projection
 * writes that row and the day's row in one transaction, so either is as fresh as the other. The POST's own
 * time (until Kafka acknowledged) is recorded apart, to split the figure.
 */
final class Freshness {

    record Result(Percentiles.Latency visible, Percentiles.Latency acknowledged) {
    }

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

    private Freshness() {
    }

    /** Unrecorded samples first: the first reports through a fresh JVM take the slow, not yet compiled path. */
    static final int WARM_UP = 10;

    static Result run(int ingestPort, Connection readModel, String site, ZoneId zone, int samples, int employees, Random random)
            throws Exception {
        Samples visible = new Samples();
        Samples acknowledged = new Samples();
        try (LoopbackHttp http = new LoopbackHttp("localhost", ingestPort, 30_000);
             PreparedStatement seen = readModel.prepareStatement(
                     "SELECT 1 FROM workstation_event WHERE site = ? AND local_date = ? AND username = ? AND event_id = ?")) {
            for (int i = -WARM_UP; i < samples; i++) {
                String user = SyntheticOffice.user(random.nextInt(employees));
                Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                byte[] body = ("{\"user\":\"" + user.replace("\\", "\\\\") + "\",\"state\":\"working\",\"ts\":\""
                        + at + "\"}").getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                LoopbackHttp.Response r = http.post("/api/report", "application/json", body);
                long acked = System.nanoTime();
                if (r.status() != 201) {
                    throw new IllegalStateException("the ingest answered " + r.status() + ": " + r.text());
                }
                Matcher m = ID.matcher(r.text());
                if (!m.find()) {
                    throw new IllegalStateException("the ingest's answer names no event id: " + r.text());
                }
                seen.setString(1, site);
                seen.setObject(2, at.atZone(zone).toLocalDate());
                seen.setString(3, user);
                seen.setObject(4, UUID.fromString(m.group(1)));
                long deadline = t0 + Duration.ofSeconds(60).toNanos();
                while (!exists(seen)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("a report was not in the read model within 60 s");
                    }
                    Thread.sleep(1);
                }
                long t1 = System.nanoTime();
                if (i >= 0) {
                    visible.add(t1 - t0);
                    acknowledged.add(acked - t0);
                }
                Thread.sleep(random.nextInt(50)); // not in step with the projection's poll loop
            }
        }
        return new Result(Percentiles.Latency.of(visible.toArray()), Percentiles.Latency.of(acknowledged.toArray()));
    }

    private static boolean exists(PreparedStatement seen) throws java.sql.SQLException {
        try (ResultSet rs = seen.executeQuery()) {
            return rs.next();
        }
    }
}
