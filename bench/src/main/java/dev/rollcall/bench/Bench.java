package dev.rollcall.bench;

import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * {@code make bench}: starts a real Kafka broker and a real PostgreSQL on loopback, puts a synthetic office's
 * history on the workstation topic, runs the packaged services as their own processes and measures them beside
 * Kafka's own rates on the same broker, in the same run. Prints one table (each figure the median of the
 * runs) and, with profiling on, where the time goes.
 *
 * <p>Order, so that one measurement does not load another: replays (and Kafka's consumer) on the history
 * alone; then freshness and reports against the last replayed read model with a live projection; last the
 * ingest beside Kafka's producer, with no projection running (nothing folds what the load posts).
 */
public final class Bench {

    static final String RAW_TOPIC = "bench.raw-producer";
    static final String WORKSTATION_DAY = "workstation-day";

    private final BenchSettings settings;
    private final long started = System.nanoTime();
    private final String nonce = Long.toString(System.currentTimeMillis(), 36);
    private final StringBuilder profile = new StringBuilder();

    private Bench(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("rollcall.root", ".")).toAbsolutePath().normalize();
        BenchSettings settings = BenchSettings.from(System.getenv(), root);
        String table = new Bench(settings).run();
        System.out.println();
        System.out.println(table);
    }

    private String run() throws Exception {
        Machine machine = Machine.here();
        String loadBefore = loadAverage();
        WorkFolder.deleteTree(settings.work());
        Files.createDirectories(settings.work().resolve("logs"));
        if (settings.presenceOnly()) {
            log("BENCH_ONLY=presence: %s; %d employees, %d days, %d run(s)", String.join(" and ", settings.presenceReplays()), settings.employees(), settings.days(), settings.runs());
            return new PresenceReplayBench(settings, nonce, m -> log("%s", m)).run(machine, loadBefore, profile);
        }
        // The history ends with last month, so that the month report has a whole month (of BENCH_DAYS >= 31).
        LocalDate lastDay = LocalDate.now(settings.zone()).withDayOfMonth(1).minusDays(1);
        SyntheticOffice.Settings data = new SyntheticOffice.Settings(settings.seed(), settings.employees(),
                lastDay.minusDays(settings.days() - 1L), settings.days(), settings.cadence(), settings.zone(), BenchSettings.SITE,
                0.02, 0.02);
        log("machine: " + machine.describe());
        log("data: %d employees, %d days from %s, a report every %d min while working, seed %d; %d run(s) of each figure",
                settings.employees(), settings.days(), data.firstDay(), settings.cadence().toMinutes(), settings.seed(),
                settings.runs());

        // The agent first, on its own: it needs none of the stack, and nothing else runs meanwhile.
        AgentMeasurement agentBench = new AgentMeasurement(settings, m -> log("%s", m));
        String agentUnavailable = settings.replayOnly() ? "BENCH_ONLY=replay" : agentBench.unavailableBecause();
        StringBuilder agentProfile = new StringBuilder();
        List<AgentMeasurement.Result> agent = agentUnavailable != null ? List.of()
                : agentBench.run(settings.runs(), settings.profile(), agentProfile);
        if (agentUnavailable != null) {
            log("agent: not measured, %s", agentUnavailable);
        }

        try (KafkaProcess kafka = KafkaProcess.start(settings); BenchDatabase db = BenchDatabase.start(settings)) {
            log("Kafka at %s, PostgreSQL %s at localhost:%d", kafka.bootstrap(), db.version(), db.port());
            String topic = KafkaProcess.workstationTopic().name();
            KafkaRates rates = new KafkaRates(kafka.bootstrap());

            log("putting the office's history on %s…", topic);
            HistoryLoad.Loaded<SyntheticOffice.Totals> history = HistoryLoad.load(rates, new SyntheticOffice(data), 20_000);
            Map<TopicPartition, Long> ends = kafka.endOffsets(topic);
            long onTopic = ends.values().stream().mapToLong(Long::longValue).sum();
            log("%,d records (%,d events, %,d duplicates, %,d late; %.0f B each) in %.1f s",
                    onTopic, history.totals().events(), history.totals().duplicates(), history.totals().late(),
                    history.meanRecordBytes(), history.seconds());

            List<CpuWindow.Watched> stack = List.of(
                    new CpuWindow.Watched("PostgreSQL", db.postmasterPid(), true),
                    new CpuWindow.Watched("Kafka", kafka.pid(), false),
                    new CpuWindow.Watched("bench", ProcessHandle.current().pid(), false));

            // Replay (the first start, then a rebuild in the same process), beside Kafka's own consumer on the same topic
            List<KafkaRates.Consumed> consumed = new ArrayList<>();
            List<KafkaRates.Consumed> consumedHere = new ArrayList<>();
            List<Replay.Result> replays = new ArrayList<>();
            for (int r = 1; r <= settings.runs(); r++) {
                // the reference: a JVM of its own, its third read, as the rebuild timed is the service's third
                List<KafkaRates.Consumed> reads = rates.consumeInOwnJvm(ends, 3);
                consumed.add(reads.getLast());
                rates.consumeAll(topic, ends, false); // and, shown beside it, a consumer in the bench's JVM (warmer run by run)
                consumedHere.add(rates.consumeAll(topic, ends, false));
                log("run %d: Kafka's consumer, in a JVM of its own, read the topic at %s, %s and %s (the third is the reference); "
                                + "in the bench's JVM at %s", r, ResultTable.rate(reads.get(0).perSecond()),
                        ResultTable.rate(reads.get(1).perSecond()), ResultTable.rate(reads.get(2).perSecond()),
                        ResultTable.rate(consumedHere.getLast().perSecond()));
                boolean profiled = settings.profile() && r == settings.runs();
                Path jfr = settings.work().resolve("replay.jfr");
                replays.add(Replay.run(settings, kafka, db, "replay_" + r, "bench.replay" + r + "." + nonce, WORKSTATION_DAY, Map.of(), ends, true, true,
                        profiled ? jfr : null, stack));
                Replay.Result last = replays.getLast();
                Replay.Rebuild rebuild = last.rebuild();
                log("run %d: first start (cold JVM): the projection loaded and folded %,d records in %.1f s (the fold at the end: %.1f s): "
                                + "%s (start-up %.1f s); cores: %s", r, last.events(), last.seconds(), last.finishSeconds(),
                        ResultTable.rate(last.perSecond()), last.startupSeconds(), CpuWindow.describe(last.cores()));
                log("run %d: first rebuild (generation %d, the JIT still warming up): %.1f s from the POST until live, "
                        + "the fold at the end %.1f s: %s", r, last.firstRebuild().generation(), last.firstRebuild().seconds(),
                        last.firstRebuild().foldSeconds(), ResultTable.rate(last.firstRebuild().perSecond()));
                log("run %d: rebuild as generation %d: %,d records in %.1f s from the POST until live (its first checkpoint after "
                                + "%.1f s, loaded after %.1f s, the fold at the end %.1f s, the switch %.1f s): %s; cores: %s", r,
                        rebuild.generation(), rebuild.events(), rebuild.seconds(), rebuild.firstCheckpointSeconds(),
                        rebuild.loadSeconds(), rebuild.foldSeconds(), rebuild.switchSeconds(),
                        ResultTable.rate(rebuild.perSecond()), CpuWindow.describe(rebuild.cores()));
                if (profiled) {
                    profile.append(String.format(Locale.ROOT, "%n### Replay: the rebuild (run %d: generation %d, %,d records in %.1f s "
                                    + "from the POST until live: the statements and JFR samples below are of this window, "
                                    + "not of the first start)%n%n",
                            r, rebuild.generation(), rebuild.events(), rebuild.seconds()));
                    profile.append("  cores busy: ").append(CpuWindow.describe(rebuild.cores())).append('\n');
                    profile.append("  (the first start, cold JVM: ").append(CpuWindow.describe(last.cores())).append(")\n");
                    profile.append(Profiles.statements(db, "replay_" + r, rebuild.seconds(), 8, rebuild.events(), "record"));
                    profile.append("  projection-service:\n").append(Profiles.jfr(jfr, rebuild.postedAt(), rebuild.liveAt(), 6));
                }
            }
            Replay.Result byReport = null;
            if (settings.replayByReport()) {
                byReport = Replay.run(settings, kafka, db, "replay_by_report", "bench.replay-by-report." + nonce, WORKSTATION_DAY, Map.of(), ends, false, false,
                        null, stack);
                log("report by report (bulk-load off), first start: %,d records in %.1f s: %s", byReport.events(), byReport.seconds(),
                        ResultTable.rate(byReport.perSecond()));
            }
            KafkaRates.Consumed decoded = rates.consumeAll(topic, ends, true);
            log("Kafka's consumer with EventCodec.decode of every record: %s", ResultTable.rate(decoded.perSecond()));
            if (settings.replayOnly()) {
                String out = replayOnly(machine, "load average " + loadBefore + " before, " + loadAverage() + " at the end",
                        db.version(), history, onTopic, consumed, consumedHere, replays, byReport, decoded)
                        + (profile.isEmpty() ? "" : "\n## Where the time goes\n" + profile);
                Files.writeString(settings.work().resolve("results.md"), out, StandardCharsets.UTF_8);
                return out;
            }

            // Freshness and reports, on the last replay's read model, with a live projection and the ingest
            String readModel = "replay_" + settings.runs();
            Path ingestJfr = settings.work().resolve("ingest.jfr");
            Path reportJfr = settings.work().resolve("report.jfr");
            Map<String, String> kafkaProps = Map.of("kafka.bootstrap.servers", kafka.bootstrap());
            Map<String, String> ingestProps = merge(merge(kafkaProps, Map.of("ingest.work-tracing.site", BenchSettings.SITE,
                    "ingest.work-tracing.zone", settings.zone().getId())), IngestComparison.agentProperties());
            Map<String, String> liveProps = merge(merge(kafkaProps, db.serviceProperties(readModel)), Map.of(
                    "projection.workstation.group-prefix", "bench.live." + nonce, "projection.roster.group-prefix", "bench.live.roster." + nonce,
                    "projection.presence.group-prefix", "bench.live.presence." + nonce, "projection.default-zone", settings.zone().getId()));
            Map<String, String> reportProps = merge(db.serviceProperties(readModel), Map.of("report.site", BenchSettings.SITE,
                    "report.zone", settings.zone().getId()));
            List<Freshness.Result> freshness = new ArrayList<>();
            Map<ReportTimings.Endpoint, List<ReportTimings.Result>> reports = new LinkedHashMap<>();
            List<ReportTimings.Endpoint> endpoints = endpoints(data);
            String readModelSize;
            try (ServiceProcess ingest = new ServiceProcess(settings, "workstation-ingest", "ingest", ingestProps,
                    settings.profile() ? Profiles.jfrOptions(ingestJfr) : List.of())) {
                ingest.start();
                try (ServiceProcess live = new ServiceProcess(settings, "projection-service", "projection-live", liveProps, List.of()).start();
                     ServiceProcess report = new ServiceProcess(settings, "report-service", "report", reportProps,
                             settings.profile() ? Profiles.jfrOptions(reportJfr) : List.of()).start();
                     Connection c = db.connect(readModel)) {
                    Random random = new Random(settings.seed());
                    for (int r = 1; r <= settings.runs(); r++) {
                        freshness.add(Freshness.run(ingest.port(), c, BenchSettings.SITE, settings.zone(), settings.freshnessSamples(), settings.employees(), random));
                        log("run %d: freshness p50 %s, p99 %s", r, ResultTable.millis(freshness.getLast().visible().p50Millis()),
                                ResultTable.millis(freshness.getLast().visible().p99Millis()));
                    }
                    readModelSize = readModelSize(c, endpoints, data);
                    Instant reportsFrom = Instant.now();
                    if (settings.profile()) {
                        Profiles.resetStatements(db);
                    }
                    long reportsStart = System.nanoTime();
                    for (int r = 1; r <= settings.runs(); r++) {
                        for (ReportTimings.Endpoint e : endpoints) {
                            ReportTimings.Result result = ReportTimings.measure(report.port(), e, settings.reportSamples(),
                                    settings.reportBudget());
                            reports.computeIfAbsent(e, k -> new ArrayList<>()).add(result);
                            log("run %d: %s %s", r, e.path(), describe(result));
                        }
                    }
                    if (settings.profile()) {
                        double wall = (System.nanoTime() - reportsStart) / 1e9;
                        profile.append(String.format(Locale.ROOT, "%n### Reports (all runs, %.1f s)%n%n", wall));
                        long requests = reports.values().stream().flatMap(List::stream).mapToLong(ReportTimings.Result::requests).sum();
                        profile.append(Profiles.statements(db, readModel, wall, 6, requests, "request"));
                        report.close();
                        profile.append("  report-service:\n").append(Profiles.jfr(reportJfr, reportsFrom, Instant.now(), 6));
                    }
                }

                // Ingest, beside Kafka's own producer (same settings, same records) on a topic configured alike
                kafka.createTopicLike(RAW_TOPIC, KafkaProcess.workstationTopic());
                IngestComparison.Results ingestResults = new IngestComparison(settings, rates, history.sampleValues(), m -> log("%s", m))
                        .run(ingest, RAW_TOPIC, stack, ingestJfr);
                profile.append(ingestResults.profile());
                String table = table(machine, "load average " + loadBefore + " before, " + loadAverage() + " at the end (the machine is shared)", db.version(), data, history, onTopic, consumed, replays, byReport, decoded, freshness,
                        reports, readModelSize, ingestResults, agent, agentUnavailable);
                profile.append(agentProfile);
                String out = table + (profile.isEmpty() ? "" : "\n## Where the time goes\n" + profile);
                Files.writeString(settings.work().resolve("results.md"), out, StandardCharsets.UTF_8);
                log("done in %.1f min; the table is also in %s", (System.nanoTime() - started) / 60e9,
                        settings.root().relativize(settings.work().resolve("results.md")));
                return out;
            }
        }
    }

    /**
     * BENCH_ONLY=replay: the rebuilds and first starts beside Kafka's consumer, run by run (the spread shows the
     * machine's noise).
     */
    private String replayOnly(Machine machine, String load, String postgres, HistoryLoad.Loaded<SyntheticOffice.Totals> history, long onTopic,
                              List<KafkaRates.Consumed> consumed, List<KafkaRates.Consumed> consumedHere, List<Replay.Result> replays,
                              Replay.Result byReport, KafkaRates.Consumed decoded) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Replay only (BENCH_ONLY=replay), %s%n- Machine: %s; %s; PostgreSQL %s%n"
                        + "- %,d records on the topic (%,d events, %,d duplicates, %,d late)%n%n"
                        + "| run | rebuild, warm JVM: POST until live (s; of it the fold at the end and the switch) | share "
                        + "| first rebuild, JIT warming up | first start, cold JVM (s; of it the fold at the end) | share "
                        + "| Kafka's consumer (bytes), its own JVM's third read | in the bench's JVM | Kafka's consumer + EventCodec.decode | rebuild's share |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|%n",
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES), machine.describe(), load, postgres,
                onTopic, history.totals().events(), history.totals().duplicates(), history.totals().late()));
        for (int r = 0; r < replays.size(); r++) {
            Replay.Result first = replays.get(r);
            Replay.Rebuild rebuild = first.rebuild();
            double consumer = consumed.get(r).perSecond();
            b.append(String.format(Locale.ROOT, "| %d | %s (%.1f s; %.1f s) | %s | %s (%.1f s) | %s (%.1f s; %.1f s) | %s | %s | %s | %s | %s |%n",
                    r + 1, ResultTable.rate(rebuild.perSecond()), rebuild.seconds(), rebuild.endSeconds(),
                    Goal.percent(rebuild.perSecond() / consumer),
                    ResultTable.rate(first.firstRebuild().perSecond()), first.firstRebuild().seconds(),
                    ResultTable.rate(first.perSecond()), first.seconds(), first.finishSeconds(),
                    Goal.percent(first.perSecond() / consumer), ResultTable.rate(consumer),
                    ResultTable.rate(consumedHere.get(r).perSecond()), ResultTable.rate(decoded.perSecond()),
                    Goal.percent(rebuild.perSecond() / decoded.perSecond())));
        }
        double rebuild = median(replays, r -> r.rebuild().perSecond());
        double first = median(replays, Replay.Result::perSecond);
        double consumer = median(consumed, KafkaRates.Consumed::perSecond);
        Goal goal = rebuildGoal(rebuild, consumer);
        b.append(String.format(Locale.ROOT, "%nMedian: rebuild %s, Kafka's consumer %s (%s); with decoding %s (%s). "
                        + "First start, cold JVM: %s (%s). Goal (issue 6): rebuild %s: %s. The projection counted %s in its first "
                        + "generation.%n", ResultTable.rate(rebuild), ResultTable.rate(consumer), Goal.percent(rebuild / consumer),
                ResultTable.rate(decoded.perSecond()), Goal.percent(rebuild / decoded.perSecond()), ResultTable.rate(first),
                Goal.percent(first / consumer), goal.text(), goal.verdictText(), replays.getLast().outcomes()));
        b.append(String.format(Locale.ROOT, "Rebuild: `POST /admin/projections/workstation-day/rebuild` on the service that made the "
                + "first start, once it was ready, twice: the second is timed, until the new generation was live (during the "
                + "first the JIT still compiles what the first start ran): the service's third read of the topic. Kafka's "
                + "consumer: a plain consumer (values as bytes, Kafka's defaults) in a JVM of its own, started for it, timed on "
                + "its third read of the topic in a row, as the rebuild is timed on its service's third; beside it, the same "
                + "consumer in the bench's JVM, which has read the topic more often with each run (not the reference: it grows "
                + "faster run after run). The rebuild's consumer starts at once and it is "
                + "switched live once its load is folded: median %.1f s until its first checkpoint, %.1f s "
                + "from the fold at the end until live. First start: a fresh process on an empty database, from its first "
                + "checkpoint until caught up and folded.%n",
                median(replays, r -> r.rebuild().firstCheckpointSeconds()), median(replays, r -> r.rebuild().switchSeconds())));
        if (byReport != null) {
            b.append(String.format(Locale.ROOT, "Report by report (projection.workstation.bulk-load=false), once, first start: %s (%.1f s), "
                            + "%s of Kafka's median consumer; the bulk load's first start (median) is %.1f× that.%n",
                    ResultTable.rate(byReport.perSecond()), byReport.seconds(), Goal.percent(byReport.perSecond() / consumer),
                    first / byReport.perSecond()));
        }
        return b.toString();
    }

    /** Issue 6: a rebuild at least half as fast as Kafka's own consumer on the same topic. */
    private static Goal rebuildGoal(double rebuild, double consumer) {
        return Goal.atLeastShareOf("≥ 50% of Kafka's consumer", rebuild, consumer, 0.5);
    }

    /** The day shown is the last working day of the history; the month is the history's last, i.e. last month. */
    static List<ReportTimings.Endpoint> endpoints(SyntheticOffice.Settings data) {
        LocalDate day = lastWorkingDay(data);
        YearMonth month = YearMonth.from(data.lastDay());
        return List.of(
                new ReportTimings.Endpoint("day page `/`", "/?date=" + day),
                new ReportTimings.Endpoint("day JSON `/api/workstation/day`", "/api/workstation/day?date=" + day),
                new ReportTimings.Endpoint("week page `/week`", "/week?date=" + day),
                new ReportTimings.Endpoint("month page `/month`", "/month?month=" + month),
                new ReportTimings.Endpoint("month JSON `/api/workstation/month`", "/api/workstation/month?month=" + month),
                new ReportTimings.Endpoint("real work hours API, a month", "/api/reports/real_work_hours?start_date="
                        + month.atDay(1) + "&end_date=" + month.atEndOfMonth()));
    }

    static LocalDate lastWorkingDay(SyntheticOffice.Settings data) {
        LocalDate d = data.lastDay();
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
            d = d.minusDays(1);
        }
        return d;
    }

    private static String readModelSize(Connection c, List<ReportTimings.Endpoint> endpoints, SyntheticOffice.Settings data)
            throws SQLException {
        LocalDate day = lastWorkingDay(data);
        YearMonth month = YearMonth.from(data.lastDay());
        try (PreparedStatement users = c.prepareStatement("SELECT count(*), coalesce(sum(reports), 0) FROM workstation_user_day "
                + "WHERE local_date BETWEEN ? AND ?")) {
            users.setObject(1, day);
            users.setObject(2, day);
            long[] onDay = counts(users);
            users.setObject(1, month.atDay(1));
            users.setObject(2, month.atEndOfMonth());
            long[] inMonth = counts(users);
            return String.format(Locale.ROOT, "the day is %s (%,d people, %,d reports), the month %s (%,d person-days, %,d reports)",
                    day, onDay[0], onDay[1], month, inMonth[0], inMonth[1]);
        }
    }

    private static long[] counts(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private String table(Machine machine, String load, String postgres, SyntheticOffice.Settings data, HistoryLoad.Loaded<SyntheticOffice.Totals> history,
                         long onTopic, List<KafkaRates.Consumed> consumed, List<Replay.Result> replays, Replay.Result byReport,
                         KafkaRates.Consumed decoded, List<Freshness.Result> freshness,
                         Map<ReportTimings.Endpoint, List<ReportTimings.Result>> reports, String readModelSize,
                         IngestComparison.Results ingest, List<AgentMeasurement.Result> agent, String agentUnavailable) {
        ResultTable t = new ResultTable();
        t.heading(String.format(Locale.ROOT, "Rollcall bench, %s, median of %d run%s per figure",
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).toLocalDateTime().toString().replace('T', ' ') + " UTC",
                settings.runs(), settings.runs() == 1 ? "" : "s"));
        t.heading("");
        t.heading("- Machine: " + machine.describe() + "; " + load);
        t.heading("- Versions: Rollcall " + machine.rollcall() + ", Quarkus " + machine.quarkus() + ", Kafka " + machine.kafka()
                + " (one KRaft broker, own JVM, -Xmx1g), PostgreSQL " + postgres + " (defaults: fsync on), services -Xmx"
                + settings.serviceHeap() + ", all on loopback");
        t.heading(String.format(Locale.ROOT, "- Data: %,d employees, %d days (%s to %s, %,d person-days), a `working` report every %d min "
                        + "while working, seed %d: %,d events + %,d duplicates (same event id) = %,d records on `%s`, %,d of them late "
                        + "(1 min to 4 h); %.0f B per record",
                settings.employees(), settings.days(), data.firstDay(), data.lastDay(), history.totals().personDays(),
                settings.cadence().toMinutes(), settings.seed(), history.totals().events(), history.totals().duplicates(), onTopic,
                KafkaProcess.workstationTopic().name(), history.totals().late(), history.meanRecordBytes()));

        double producer = median(ingest.pipelined(), d -> d);
        for (int c : ingest.workTracing().keySet()) {
            List<ClosedLoop.Result> in = ingest.workTracing().get(c);
            t.row("Ingest, work-tracing `POST /api/report`, " + clients(c),
                    rateAndLatency(in, 1) + failures(in),
                    rateAndLatency(ingest.kafkaAcked().get(c), 1) + " (" + c + (c == 1 ? " sender" : " senders")
                            + " waiting for acks)",
                    Goal.none());
        }
        int n = ingest.batchEvents();
        double bestBatch = 0;
        for (int c : ingest.batches().keySet()) {
            List<ClosedLoop.Result> in = ingest.batches().get(c);
            bestBatch = Math.max(bestBatch, median(in, ClosedLoop.Result::perSecond) * n);
            t.row("Ingest, agent batches of " + n + " `POST /api/agent/events`, " + clients(c),
                    rateAndLatency(in, n) + " per batch" + failures(in), "", Goal.none());
        }
        t.row("Ingest, agent batches: the best level", ResultTable.rate(bestBatch),
                ResultTable.rate(producer) + " (one producer, pipelined)",
                Goal.atLeastShareOf("≥ 50% of Kafka's producer", bestBatch, producer, 0.5));

        double rebuild = median(replays, r -> r.rebuild().perSecond());
        double replay = median(replays, Replay.Result::perSecond);
        double consumer = median(consumed, KafkaRates.Consumed::perSecond);
        String kafkaConsumer = String.format(Locale.ROOT, "%s (%.0f MB/s), consumer", ResultTable.rate(consumer),
                median(consumed, KafkaRates.Consumed::megabytesPerSecond));
        t.row("Rebuild: `POST /admin/projections/workstation-day/rebuild` on a running service until the new generation is live",
                String.format(Locale.ROOT, "%s (%s records in %.1f s; of it the fold at the end and the switch %.1f s)",
                        ResultTable.rate(rebuild),
                        ResultTable.count(replays.getFirst().events()), median(replays, r -> r.rebuild().seconds()),
                        median(replays, r -> r.rebuild().endSeconds())),
                kafkaConsumer, rebuildGoal(rebuild, consumer));
        t.row("Replay, first start (cold JVM): a new process folds the topic from offset 0 into an empty database",
                String.format(Locale.ROOT, "%s (%.1f s; of it the fold at the end %.1f s; %s of Kafka's consumer)",
                        ResultTable.rate(replay),
                        median(replays, Replay.Result::seconds), median(replays, Replay.Result::finishSeconds),
                        Goal.percent(replay / consumer)),
                kafkaConsumer, Goal.none());
        if (byReport != null) {
            t.row("Replay, first start, report by report (`projection.workstation.bulk-load=false`; how live events are folded)",
                    String.format(Locale.ROOT, "%s (%.1f s)", ResultTable.rate(byReport.perSecond()), byReport.seconds()),
                    "", Goal.none());
        }

        double p50 = median(freshness, f -> f.visible().p50Millis());
        double p99 = median(freshness, f -> f.visible().p99Millis());
        t.row("Freshness: POST until in the read model",
                String.format(Locale.ROOT, "p50 %s · p99 %s (of which the POST: p50 %s)", ResultTable.millis(p50),
                        ResultTable.millis(p99), ResultTable.millis(median(freshness, f -> f.acknowledged().p50Millis()))),
                "", Goal.under("p99 < 1 s", p99, 1000));

        for (var e : reports.entrySet()) {
            boolean month = e.getKey().label().contains("month");
            List<ReportTimings.Result> results = e.getValue();
            ReportTimings.Result first = results.getFirst();
            String figure = "Report: " + e.getKey().label();
            if (first.outcome() == ReportTimings.Outcome.ABSENT) {
                t.row(figure, "n/a (404: not on this branch yet)", "",
                        month ? Goal.notApplicable("p95 < 150 ms", "") : Goal.none());
            } else if (results.stream().anyMatch(r -> r.outcome() == ReportTimings.Outcome.FAILED)) {
                t.row(figure, "failed: HTTP " + results.stream().filter(r -> r.outcome() == ReportTimings.Outcome.FAILED)
                        .findFirst().orElseThrow().httpStatus(), "", month ? Goal.notApplicable("p95 < 150 ms", "") : Goal.none());
            } else {
                double r50 = median(results, r -> r.latency().p50Millis());
                double r95 = median(results, r -> r.latency().p95Millis());
                t.row(figure, String.format(Locale.ROOT, "p50 %s · p95 %s (%,.0f kB)", ResultTable.millis(r50),
                                ResultTable.millis(r95), median(results, r -> r.bytes() / 1000.0)), "",
                        month ? Goal.under("p95 < 150 ms", r95, 150) : Goal.none());
            }
        }
        if (agent.isEmpty()) {
            t.row("Agent: memory and CPU idle and scanning, time to scan a /24", "n/a (" + agentUnavailable + ")", "",
                    Goal.notApplicable("idle memory < 100 MB on the JVM", ""));
        } else {
            double idleMax = median(agent, AgentMeasurement.Result::idleRssMax);
            t.row("Agent `network` on the JVM, idle between scans", String.format(Locale.ROOT,
                            "RSS %.0f MiB (at most %.0f) · CPU %.3f cores", median(agent, AgentMeasurement.Result::idleRssMedian),
                            idleMax, median(agent, AgentMeasurement.Result::idleCores)), "",
                    Goal.under("idle memory < 100 MB (95.4 MiB) on the JVM, judged on the most", idleMax, 100e6 / (1 << 20)));
            t.row("Agent `network` on the JVM, scanning back to back", String.format(Locale.ROOT,
                    "RSS %.0f MiB (at most %.0f) · CPU %.3f cores", median(agent, AgentMeasurement.Result::scanRssMedian),
                    median(agent, AgentMeasurement.Result::scanRssMax), median(agent, AgentMeasurement.Result::scanCores)), "", Goal.none());
            t.row("Agent: time to scan a /24 (Linux's default ARP timers)", String.format(Locale.ROOT, "%.2f s (%d of %d phones seen)",
                    median(agent, AgentMeasurement.Result::scanSeconds), agent.stream().mapToInt(AgentMeasurement.Result::devicesSeen).min().orElse(0),
                    AgentMeasurement.PHONES), "", Goal.none());
        }

        t.note("Ingest: closed loop, each client a keep-alive connection sending its next request when the last is answered "
                + "(2xx only after Kafka acked every event); the load generator runs on the same two cores. Batches: "
                + n + " workstation reports each, as CloudEvents from one agent. Kafka's column: the same records from one "
                + "producer with the ingest's settings (acks=all, idempotent, linger 1 ms), by as many senders each waiting "
                + "for its ack, and pipelined (not waiting). " + settings.ingestSeconds()
                + " s per level after a warm-up; no projection runs meanwhile.");
        ingest.failures().forEach((status, what) -> t.note("Failed ingest requests answered " + status + "; the first: `"
                + what.replace("`", "'") + "`"));
        t.note(String.format(Locale.ROOT, "Rebuild: on the service that made the first start, once it was ready, the admin API "
                        + "starts a new generation that folds the topic from offset 0 into its own tables under its own consumer group "
                        + "while the first keeps serving; timed from the POST until that generation is live. Twice: the second is "
                        + "timed, in a warm JVM (median of the first, while the JIT still compiles what the first start ran: %.1f s). "
                        + "Of it: until its first "
                        + "checkpoint (the supervisor starts its consumer at once; the group join) %.1f s, "
                        + "loading until its checkpoints reach the end offsets %.1f s (that first part included), the fold at the "
                        + "end %.1f s, the switch %.1f s.",
                median(replays, r -> r.firstRebuild().seconds()),
                median(replays, r -> r.rebuild().firstCheckpointSeconds()), median(replays, r -> r.rebuild().loadSeconds()),
                median(replays, r -> r.rebuild().foldSeconds()),
                median(replays, r -> r.rebuild().switchSeconds())));
        t.note(String.format(Locale.ROOT, "First start: a new projection-service process (a cold JVM) with its own consumer group and an "
                        + "empty database, timed from its first checkpoint until it has caught up and folded what it loaded in bulk "
                        + "(that fold at the end: %.1f s), the records of that first sight left out (start-up until then: %.1f s). "
                        + "Kafka's consumer: a plain consumer, values as bytes, in a JVM of its own, its third read of the topic in a "
                        + "row (as the rebuild timed is its service's third read); "
                        + "decoding each with EventCodec too: %s.",
                median(replays, Replay.Result::finishSeconds), median(replays, Replay.Result::startupSeconds),
                ResultTable.rate(decoded.perSecond())));
        Map<String, Double> outcomes = replays.getLast().outcomes();
        if (!outcomes.isEmpty()) {
            t.note(String.format(Locale.ROOT, "The first generation counted %,.0f folded and %,.0f duplicate events (the generator "
                    + "made %,d duplicates).", outcomes.getOrDefault("folded", 0.0), outcomes.getOrDefault("duplicate", 0.0),
                    history.totals().duplicates()));
        }
        t.note("Freshness: " + settings.freshnessSamples() + " POSTs per run, one at a time, each polled for by event id in "
                + "`workstation_event` every millisecond; a live projection on the replayed read model.");
        if (!agent.isEmpty()) {
            t.note("Agent: the packaged presence-agent (`java " + (settings.agentJvmOptions().isEmpty() ? "" : String.join(" ",
                    settings.agentJvmOptions()) + " ") + "-jar`" + (settings.agentJvmOptions().isEmpty() ? ", the JVM's defaults" : "")
                    + ") runs `network` inside network "
                    + "namespaces made for the bench: a bridge on " + AgentMeasurement.SUBNET + " with " + AgentMeasurement.PHONES
                    + " phones (veth pairs), Linux's default ARP timers, shipping to a stand-in ingest in the same namespace. "
                    + "Idle: after its first scan, with the next an hour away, 20 s; scanning: `--interval 1s`, 30 s. "
                    + "RSS sampled every 250 ms; scan times from its heartbeats.");
        }
        t.note("Reports: sequential GETs on one keep-alive connection after a warm-up, up to " + settings.reportSamples()
                + " per endpoint and run (at most " + settings.reportBudget().toSeconds() + " s); " + readModelSize + ".");
        return t.render();
    }

    /** Events per second (requests times {@code events} each) and the requests' latency. */
    private static String rateAndLatency(List<ClosedLoop.Result> runs, int events) {
        return String.format(Locale.ROOT, "%s · p50 %s · p99 %s", ResultTable.rate(events * median(runs, ClosedLoop.Result::perSecond)),
                ResultTable.millis(median(runs, r -> r.latency().p50Millis())),
                ResultTable.millis(median(runs, r -> r.latency().p99Millis())));
    }

    private static String clients(int c) {
        return c + (c == 1 ? " client" : " clients");
    }

    private static String failures(List<ClosedLoop.Result> runs) {
        long failed = runs.stream().mapToLong(ClosedLoop.Result::failures).sum();
        return failed == 0 ? "" : " (" + ResultTable.count(failed) + " failed)";
    }

    private static String describe(ReportTimings.Result r) {
        return switch (r.outcome()) {
            case ABSENT -> "404, not there";
            case FAILED -> "failed with HTTP " + r.httpStatus();
            case MEASURED -> String.format(Locale.ROOT, "p50 %s, p95 %s over %d requests, %,d bytes",
                    ResultTable.millis(r.latency().p50Millis()), ResultTable.millis(r.latency().p95Millis()), r.latency().count(), r.bytes());
        };
    }

    /** The 1-minute load average: other work on the machine shows in every figure. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        return Percentiles.median(runs.stream().mapToDouble(figure).toArray());
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench %6.1fs] %s%n", (System.nanoTime() - started) / 1e9, String.format(Locale.ROOT, format, args));
    }
}
