package dev.rollcall.bench;

import dev.rollcall.events.Topic;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.rollcall.bench.Bench.median;

/**
 * {@code BENCH_ONLY=presence}: the replays of the projections that read the agents' signals. A synthetic office's
 * roster, phones and agents' heartbeats ({@link SyntheticPhones}) on the topics they read; then for presence-day (the
 * presence, agents and roster topics) and for agents (agent health: the agents topic), run by run, Kafka's own
 * consumer reading those topics and a fresh projection-service folding them from offset 0 (the first start) and
 * rebuilding the projection twice (the second timed, in a warm JVM), as {@link Replay} does for workstation-day.
 * Each is measured with the other switched off, so that neither takes the machine from the other's rebuilds.
 */
final class PresenceReplayBench {

    /** One projection measured: its name, the service's properties for it, and the topics it reads. */
    private record Subject(String projection, Map<String, String> service, List<Topic> topics, String events) {
    }

    private static final List<Subject> SUBJECTS = List.of(
            new Subject("presence-day", Map.of("projection.agents.enabled", "false"), List.of(Topic.PRESENCE, Topic.AGENTS, Topic.ROSTER),
                    "the phones' changes, the heartbeats and the roster"),
            new Subject("agents", Map.of("projection.presence.enabled", "false"), List.of(Topic.AGENTS), "the heartbeats"));

    /** A subject's runs. */
    private record Measured(Subject subject, long records, List<KafkaRates.Consumed> consumed, List<Replay.Result> replays,
                            KafkaRates.Consumed decoded) {
    }

    private final BenchSettings settings;
    private final String nonce;
    private final Consumer<String> log;

    PresenceReplayBench(BenchSettings settings, String nonce, Consumer<String> log) {
        this.settings = settings;
        this.nonce = nonce;
        this.log = log;
    }

    String run(Machine machine, String loadBefore, StringBuilder profile) throws Exception {
        LocalDate lastDay = LocalDate.now(settings.zone()).withDayOfMonth(1).minusDays(1);
        SyntheticPhones.Settings data = new SyntheticPhones.Settings(settings.seed(), settings.employees(),
                lastDay.minusDays(settings.days() - 1L), settings.days(), settings.zone(), BenchSettings.SITE, 0.02);
        try (KafkaProcess kafka = KafkaProcess.start(settings); BenchDatabase db = BenchDatabase.start(settings)) {
            KafkaRates rates = new KafkaRates(kafka.bootstrap());
            log("putting the office's phones and agents on the presence, agents and roster topics…");
            HistoryLoad.Loaded<SyntheticPhones.Totals> history = HistoryLoad.load(rates, new SyntheticPhones(data)::generate, 0);
            SyntheticPhones.Totals totals = history.totals();
            log(String.format(Locale.ROOT, "%,d records (%,d events: %,d phone changes, %,d heartbeats, %,d roster; %,d duplicates; "
                            + "%.0f B each) in %.1f s", history.records(), totals.events(), totals.stateChanges(), totals.heartbeats(),
                    totals.roster(), totals.duplicates(), history.meanRecordBytes(), history.seconds()));
            List<CpuWindow.Watched> stack = List.of(
                    new CpuWindow.Watched("PostgreSQL", db.postmasterPid(), true),
                    new CpuWindow.Watched("Kafka", kafka.pid(), false),
                    new CpuWindow.Watched("bench", ProcessHandle.current().pid(), false));
            List<Measured> measured = new ArrayList<>();
            for (Subject subject : SUBJECTS) {
                if (settings.presenceReplays().contains(subject.projection())) {
                    measured.add(measure(subject, kafka, db, rates, stack, profile));
                }
            }
            String out = table(machine, "load average " + loadBefore + " before, " + Bench.loadAverage() + " at the end",
                    db.version(), data, totals, history.records(), history.meanRecordBytes(), measured)
                    + (profile.isEmpty() ? "" : "\n## Where the time goes\n" + profile);
            Files.writeString(settings.work().resolve("results.md"), out, StandardCharsets.UTF_8);
            return out;
        }
    }

    private Measured measure(Subject subject, KafkaProcess kafka, BenchDatabase db, KafkaRates rates, List<CpuWindow.Watched> stack,
                             StringBuilder profile) throws Exception {
        String name = subject.projection();
        String topics = subject.topics().stream().map(Topic::topicName).collect(Collectors.joining(", "));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Topic t : subject.topics()) {
            ends.putAll(kafka.endOffsets(t.topicName()));
        }
        long records = ends.values().stream().mapToLong(Long::longValue).sum();
        List<KafkaRates.Consumed> consumed = new ArrayList<>();
        List<Replay.Result> replays = new ArrayList<>();
        for (int r = 1; r <= settings.runs(); r++) {
            // the reference: a JVM of its own, its third read, as the rebuild timed is the service's third (Bench's replay)
            List<KafkaRates.Consumed> reads = rates.consumeInOwnJvm(ends, 3);
            consumed.add(reads.getLast());
            log(String.format(Locale.ROOT, "%s, run %d: Kafka's consumer, in a JVM of its own, read %s at %s, %s and %s", name, r,
                    topics, ResultTable.rate(reads.get(0).perSecond()), ResultTable.rate(reads.get(1).perSecond()),
                    ResultTable.rate(reads.get(2).perSecond())));
            boolean profiled = settings.profile() && r == settings.runs();
            String database = name.replace('-', '_') + "_" + r;
            Path jfr = settings.work().resolve(name + "-replay.jfr");
            replays.add(Replay.run(settings, kafka, db, database, "bench." + name + r + "." + nonce, name, subject.service(), ends,
                    true, true, profiled ? jfr : null, stack));
            Replay.Result last = replays.getLast();
            Replay.Rebuild rebuild = last.rebuild();
            log(String.format(Locale.ROOT, "%s, run %d: first start (cold JVM): %,d records in %.1f s: %s; first rebuild: %.1f s, %s; "
                            + "rebuild as generation %d: %.1f s from the POST until live: %s; cores: %s", name, r, last.events(),
                    last.seconds(), ResultTable.rate(last.perSecond()), last.firstRebuild().seconds(),
                    ResultTable.rate(last.firstRebuild().perSecond()), rebuild.generation(), rebuild.seconds(),
                    ResultTable.rate(rebuild.perSecond()), CpuWindow.describe(rebuild.cores())));
            if (profiled) {
                profile.append(String.format(Locale.ROOT, "%n### %s's rebuild (run %d: generation %d, %,d records in "
                        + "%.1f s from the POST until live)%n%n", name, r, rebuild.generation(), rebuild.events(), rebuild.seconds()));
                profile.append("  cores busy: ").append(CpuWindow.describe(rebuild.cores())).append('\n');
                profile.append(Profiles.statements(db, database, rebuild.seconds(), 8, rebuild.events(), "record"));
                profile.append("  projection-service:\n").append(Profiles.jfr(jfr, rebuild.postedAt(), rebuild.liveAt(), 6));
            }
        }
        KafkaRates.Consumed decoded = rates.consumeAll(topics, ends, true);
        log(String.format(Locale.ROOT, "%s: Kafka's consumer with EventCodec.decode of every record: %s", name,
                ResultTable.rate(decoded.perSecond())));
        return new Measured(subject, records, consumed, replays, decoded);
    }

    private String table(Machine machine, String load, String postgres, SyntheticPhones.Settings data, SyntheticPhones.Totals totals,
                         long records, double meanBytes, List<Measured> measured) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "presence-day's and agents' replays (BENCH_ONLY=presence), %s%n- Machine: %s; %s; "
                        + "PostgreSQL %s%n- %d employees (%d phones), %d days from %s, seed %d: %,d records on rollcall.presence, "
                        + "rollcall.agents and rollcall.roster (%,d events: %,d phone changes, %,d heartbeats, %,d roster; "
                        + "%,d duplicates; %.0f B each)%n",
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES), machine.describe(), load, postgres,
                data.employees(), phones(data.employees()), data.days(), data.firstDay(), data.seed(), records, totals.events(),
                totals.stateChanges(), totals.heartbeats(), totals.roster(), totals.duplicates(), meanBytes));
        for (Measured m : measured) {
            String name = m.subject().projection();
            b.append(String.format(Locale.ROOT, "%n### %s: %,d records on %s%n%n"
                            + "| run | rebuild, warm JVM: POST until live | share | first rebuild, JIT warming up | first start, cold JVM "
                            + "| share | Kafka's consumer, its own JVM's third read | Kafka's consumer + EventCodec.decode | rebuild's share |%n"
                            + "|---|---|---|---|---|---|---|---|---|%n", name, m.records(),
                    m.subject().topics().stream().map(Topic::topicName).collect(Collectors.joining(", "))));
            for (int r = 0; r < m.replays().size(); r++) {
                Replay.Result first = m.replays().get(r);
                Replay.Rebuild rebuild = first.rebuild();
                double consumer = m.consumed().get(r).perSecond();
                b.append(String.format(Locale.ROOT, "| %d | %s (%.1f s) | %s | %s (%.1f s) | %s (%.1f s) | %s | %s | %s | %s |%n",
                        r + 1, ResultTable.rate(rebuild.perSecond()), rebuild.seconds(), Goal.percent(rebuild.perSecond() / consumer),
                        ResultTable.rate(first.firstRebuild().perSecond()), first.firstRebuild().seconds(),
                        ResultTable.rate(first.perSecond()), first.seconds(), Goal.percent(first.perSecond() / consumer),
                        ResultTable.rate(consumer), ResultTable.rate(m.decoded().perSecond()),
                        Goal.percent(rebuild.perSecond() / m.decoded().perSecond())));
            }
            double rebuild = median(m.replays(), r -> r.rebuild().perSecond());
            double consumer = median(m.consumed(), KafkaRates.Consumed::perSecond);
            Goal goal = Goal.atLeastShareOf("≥ 50% of Kafka's consumer", rebuild, consumer, 0.5);
            b.append(String.format(Locale.ROOT, "%nMedian: rebuild %s, Kafka's consumer %s (%s). Goal (issue 6): rebuild %s: %s. "
                            + "%s counted %s in its first generation (its events: %s; duplicates dropped by id).%n",
                    ResultTable.rate(rebuild), ResultTable.rate(consumer), Goal.percent(rebuild / consumer), goal.text(),
                    goal.verdictText(), name, m.replays().getLast().outcomes(), m.subject().events()));
        }
        b.append(String.format(Locale.ROOT, "%nRebuild: `POST /admin/projections/<name>/rebuild` on the service that made the first "
                + "start, twice; the second is timed (the service's third read of the topics), beside Kafka's consumer in a JVM of "
                + "its own timed on its third read in a row. The agents projection loads in bulk (projection.agents.bulk-load: heartbeats "
                + "appended while the history is read, folded once at the end), and so does presence-day (projection.presence.bulk-load: phone changes and heartbeats stored as they are "
                + "read, each device's intervals and everyone's attendance folded once at the end). Each is measured with the other switched off (%s); the roster projection folds its topic in "
                + "the first start too.%n", SUBJECTS.stream().map(x -> x.service().keySet().iterator().next() + "=false")
                .collect(Collectors.joining(", "))));
        return b.toString();
    }

    private static int phones(int employees) {
        int n = 0;
        for (int e = 0; e < employees; e++) {
            n += SyntheticPhones.phones(e);
        }
        return n;
    }

    private void log(String message) {
        log.accept(message);
    }
}
