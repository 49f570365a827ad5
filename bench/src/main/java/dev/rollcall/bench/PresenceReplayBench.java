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

import static dev.rollcall.bench.Bench.median;

/**
 * {@code BENCH_ONLY=presence}: presence-day's replays. A synthetic office's roster, phones and agents' heartbeats
 * ({@link SyntheticPhones}) on the three topics presence-day reads; then, run by run, Kafka's own consumer reading
 * those three topics and a fresh projection-service folding them from offset 0 (the first start) and rebuilding
 * presence-day twice (the second timed, in a warm JVM), as {@link Replay} does for workstation-day.
 */
final class PresenceReplayBench {

    static final String PRESENCE_DAY = "presence-day";

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
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (Topic t : List.of(Topic.PRESENCE, Topic.AGENTS, Topic.ROSTER)) {
                ends.putAll(kafka.endOffsets(t.topicName()));
            }
            long onTopics = ends.values().stream().mapToLong(Long::longValue).sum();
            SyntheticPhones.Totals totals = history.totals();
            log(String.format(Locale.ROOT, "%,d records (%,d events: %,d phone changes, %,d heartbeats, %,d roster; %,d duplicates; "
                            + "%.0f B each) in %.1f s", onTopics, totals.events(), totals.stateChanges(), totals.heartbeats(),
                    totals.roster(), totals.duplicates(), history.meanRecordBytes(), history.seconds()));
            List<CpuWindow.Watched> stack = List.of(
                    new CpuWindow.Watched("PostgreSQL", db.postmasterPid(), true),
                    new CpuWindow.Watched("Kafka", kafka.pid(), false),
                    new CpuWindow.Watched("bench", ProcessHandle.current().pid(), false));

            List<KafkaRates.Consumed> consumed = new ArrayList<>();
            List<Replay.Result> replays = new ArrayList<>();
            for (int r = 1; r <= settings.runs(); r++) {
                rates.consumeAll("presence, agents and roster", ends, false); // warms the bench's JVM up
                consumed.add(rates.consumeAll("presence, agents and roster", ends, false));
                log(String.format(Locale.ROOT, "run %d: Kafka's consumer read the three topics at %s", r,
                        ResultTable.rate(consumed.getLast().perSecond())));
                boolean profiled = settings.profile() && r == settings.runs();
                Path jfr = settings.work().resolve("presence-replay.jfr");
                replays.add(Replay.run(settings, kafka, db, "presence_" + r, "bench.presence" + r + "." + nonce, PRESENCE_DAY,
                        Map.of("projection.agents.enabled", "false"), ends, true, true, profiled ? jfr : null, stack));
                Replay.Result last = replays.getLast();
                Replay.Rebuild rebuild = last.rebuild();
                log(String.format(Locale.ROOT, "run %d: first start (cold JVM): %,d records in %.1f s: %s; first rebuild: %.1f s, %s; "
                                + "rebuild as generation %d: %.1f s from the POST until live: %s; cores: %s", r, last.events(),
                        last.seconds(), ResultTable.rate(last.perSecond()), last.firstRebuild().seconds(),
                        ResultTable.rate(last.firstRebuild().perSecond()), rebuild.generation(), rebuild.seconds(),
                        ResultTable.rate(rebuild.perSecond()), CpuWindow.describe(rebuild.cores())));
                if (profiled) {
                    profile.append(String.format(Locale.ROOT, "%n### presence-day's rebuild (run %d: generation %d, %,d records in "
                            + "%.1f s from the POST until live)%n%n", r, rebuild.generation(), rebuild.events(), rebuild.seconds()));
                    profile.append("  cores busy: ").append(CpuWindow.describe(rebuild.cores())).append('\n');
                    profile.append(Profiles.statements(db, "presence_" + r, rebuild.seconds(), 8, rebuild.events(), "record"));
                    profile.append("  projection-service:\n").append(Profiles.jfr(jfr, rebuild.postedAt(), rebuild.liveAt(), 6));
                }
            }
            KafkaRates.Consumed decoded = rates.consumeAll("presence, agents and roster", ends, true);
            log(String.format(Locale.ROOT, "Kafka's consumer with EventCodec.decode of every record: %s",
                    ResultTable.rate(decoded.perSecond())));
            String out = table(machine, "load average " + loadBefore + " before, " + Bench.loadAverage() + " at the end",
                    db.version(), data, totals, onTopics, history.meanRecordBytes(), consumed, replays, decoded)
                    + (profile.isEmpty() ? "" : "\n## Where the time goes\n" + profile);
            Files.writeString(settings.work().resolve("results.md"), out, StandardCharsets.UTF_8);
            return out;
        }
    }

    private String table(Machine machine, String load, String postgres, SyntheticPhones.Settings data, SyntheticPhones.Totals totals,
                         long onTopics, double meanBytes, List<KafkaRates.Consumed> consumed, List<Replay.Result> replays,
                         KafkaRates.Consumed decoded) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "presence-day's replays (BENCH_ONLY=presence), %s%n- Machine: %s; %s; PostgreSQL %s%n"
                        + "- %d employees (%d phones), %d days from %s, seed %d: %,d records on rollcall.presence, rollcall.agents and "
                        + "rollcall.roster (%,d events: %,d phone changes, %,d heartbeats, %,d roster; %,d duplicates; %.0f B each)%n%n"
                        + "| run | rebuild, warm JVM: POST until live | share | first rebuild, JIT warming up | first start, cold JVM "
                        + "| share | Kafka's consumer, warm | Kafka's consumer + EventCodec.decode | rebuild's share |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n",
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES), machine.describe(), load, postgres,
                data.employees(), phones(data.employees()), data.days(), data.firstDay(), data.seed(), onTopics, totals.events(),
                totals.stateChanges(), totals.heartbeats(), totals.roster(), totals.duplicates(), meanBytes));
        for (int r = 0; r < replays.size(); r++) {
            Replay.Result first = replays.get(r);
            Replay.Rebuild rebuild = first.rebuild();
            double consumer = consumed.get(r).perSecond();
            b.append(String.format(Locale.ROOT, "| %d | %s (%.1f s) | %s | %s (%.1f s) | %s (%.1f s) | %s | %s | %s | %s |%n",
                    r + 1, ResultTable.rate(rebuild.perSecond()), rebuild.seconds(), Goal.percent(rebuild.perSecond() / consumer),
                    ResultTable.rate(first.firstRebuild().perSecond()), first.firstRebuild().seconds(),
                    ResultTable.rate(first.perSecond()), first.seconds(), Goal.percent(first.perSecond() / consumer),
                    ResultTable.rate(consumer), ResultTable.rate(decoded.perSecond()),
                    Goal.percent(rebuild.perSecond() / decoded.perSecond())));
        }
        double rebuild = median(replays, r -> r.rebuild().perSecond());
        double consumer = median(consumed, KafkaRates.Consumed::perSecond);
        Goal goal = Goal.atLeastShareOf("≥ 50% of Kafka's consumer", rebuild, consumer, 0.5);
        b.append(String.format(Locale.ROOT, "%nMedian: rebuild %s, Kafka's consumer %s (%s). Goal (issue 6): rebuild %s: %s. "
                        + "presence-day counted %s in its first generation (its events: the phones' changes, the heartbeats and "
                        + "the roster; duplicates dropped by id).%n",
                ResultTable.rate(rebuild), ResultTable.rate(consumer), Goal.percent(rebuild / consumer), goal.text(),
                goal.verdictText(), replays.getLast().outcomes()));
        b.append("Rebuild: `POST /admin/projections/presence-day/rebuild` on the service that made the first start, twice; the "
                + "second is timed. presence-day folds batch by batch (it has no bulk load), so the first start and a rebuild "
                + "fold alike. The agents projection (agent health, which folds every heartbeat) is switched off: in the first start it "
                + "folded the heartbeats for minutes after presence-day had caught up, and took the machine from the rebuilds; "
                + "the roster projection folds its topic in the first start too.\n");
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
