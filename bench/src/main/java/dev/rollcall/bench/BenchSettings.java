package dev.rollcall.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * What {@code make bench} measures and how much, from {@code BENCH_*} environment variables.
 *
 * @param employees        the office's size
 * @param days             calendar days of history (weekends are empty); 365 is a year
 * @param cadence          how often a working workstation reports (the work-tracing client: every minute)
 * @param runs             each figure is the median of this many runs
 * @param seed             the data generator's seed
 * @param zone             the site's zone (all three services get it)
 * @param concurrencies    the ingest's concurrency levels, ascending
 * @param ingestSeconds    how long each ingest / producer level is measured (after a warm-up of a fifth of it)
 * @param batchEvents      events per agent batch ({@code POST /api/agent/events} takes at most 500)
 * @param freshnessSamples POSTs per freshness run
 * @param reportSamples    requests per report endpoint and run (fewer if {@code reportBudget} runs out)
 * @param reportBudget     at most this long per report endpoint and run
 * @param replayTimeout    a replay that takes longer fails the bench
 * @param profile          record the last run of ingest and replay with JFR, and PostgreSQL's statements
 * @param serviceHeap      {@code -Xmx} of each service
 * @param agentJvmOptions  JVM options for the agent (none: the JVM's defaults, as {@code java -jar} gets them)
 * @param replayOnly       {@code BENCH_ONLY=replay}: only the replays and Kafka's consumer, no agent, ingest or reports
 * @param presenceReplays  {@code BENCH_ONLY=presence}: only the replays of presence-day and the agents projection
 *                         ({@code BENCH_ONLY=presence-day} or {@code agents}: only that one), on a synthetic office's
 *                         phones and agents ({@link SyntheticPhones}), beside Kafka's consumer on the topics each reads;
 *                         empty: not this bench
 * @param replayByReport   one more replay with bulk loading off (report by report, as live events are folded), for
 *                         comparison ({@code BENCH_REPLAY_BY_REPORT=0}: not)
 * @param root             the repository (where the packaged services are)
 * @param work             where the bench keeps data, logs and recordings (under {@code bench/target})
 */
public record BenchSettings(int employees, int days, Duration cadence, int runs, long seed, ZoneId zone,
                            List<Integer> concurrencies, int ingestSeconds, int batchEvents, int freshnessSamples, int reportSamples,
                            Duration reportBudget, Duration replayTimeout, boolean profile, String serviceHeap,
                            List<String> agentJvmOptions, boolean replayOnly, List<String> presenceReplays, boolean replayByReport, Path root,
                            Path work) {

    public static final String SITE = "hq";

    public static BenchSettings from(Map<String, String> env, Path root) {
        return new BenchSettings(
                integer(env, "BENCH_EMPLOYEES", 500),
                integer(env, "BENCH_DAYS", 28),
                Duration.ofMinutes(integer(env, "BENCH_REPORT_EVERY_MINUTES", 5)),
                integer(env, "BENCH_RUNS", 3),
                Long.parseLong(env.getOrDefault("BENCH_SEED", "20240510")),
                ZoneId.of(env.getOrDefault("BENCH_ZONE", "UTC")),
                java.util.Arrays.stream(env.getOrDefault("BENCH_CONCURRENCY", "1,8,32").split(","))
                        .map(String::trim).map(Integer::parseInt).sorted().distinct().toList(),
                integer(env, "BENCH_INGEST_SECONDS", 10),
                integer(env, "BENCH_BATCH_EVENTS", 100),
                integer(env, "BENCH_FRESHNESS_SAMPLES", 200),
                integer(env, "BENCH_REPORT_SAMPLES", 100),
                Duration.ofSeconds(integer(env, "BENCH_REPORT_BUDGET_SECONDS", 30)),
                Duration.ofMinutes(integer(env, "BENCH_REPLAY_TIMEOUT_MINUTES", 240)),
                !"0".equals(env.getOrDefault("BENCH_PROFILE", "1")),
                env.getOrDefault("BENCH_SERVICE_HEAP", "512m"),
                java.util.Arrays.stream(env.getOrDefault("BENCH_AGENT_JVM_OPTIONS", "").trim().split("\\s+"))
                        .filter(o -> !o.isEmpty()).toList(),
                "replay".equals(env.getOrDefault("BENCH_ONLY", "")),
                switch (env.getOrDefault("BENCH_ONLY", "")) {
                    case "presence" -> List.of("presence-day", "agents");
                    case "presence-day", "agents" -> List.of(env.get("BENCH_ONLY"));
                    default -> List.of();
                },
                !"0".equals(env.getOrDefault("BENCH_REPLAY_BY_REPORT", "1")),
                root,
                root.resolve("bench/target/bench-run"));
    }

    /** {@code BENCH_ONLY=presence}, {@code presence-day} or {@code agents}. */
    public boolean presenceOnly() {
        return !presenceReplays.isEmpty();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }
}
