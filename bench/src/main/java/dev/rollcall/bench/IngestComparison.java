package dev.rollcall.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The ingest beside Kafka's own producer, in the same run, on the same broker: the work-tracing endpoint
 * ({@code POST /api/report}, one report per request) and the agents' batch endpoint ({@code POST /api/agent/events})
 * at each concurrency; Kafka's producer with the ingest's settings sending the same records to a topic configured
 * like the workstation topic, by as many senders each waiting for its ack, and pipelined. No projection runs.
 */
final class IngestComparison {

    /** The agent the bench posts batches as; the ingest is configured with its secret's SHA-256. */
    static final String AGENT = "bench-agent";
    private static final String SECRET = "bench-secret";

    record Results(List<Double> pipelined, Map<Integer, List<ClosedLoop.Result>> kafkaAcked,
                   Map<Integer, List<ClosedLoop.Result>> workTracing, Map<Integer, List<ClosedLoop.Result>> batches,
                   int batchEvents, Map<Integer, String> failures, String profile) {
    }

    private final BenchSettings settings;
    private final KafkaRates rates;
    private final List<byte[]> records;
    private final Consumer<String> log;

    IngestComparison(BenchSettings settings, KafkaRates rates, List<byte[]> records, Consumer<String> log) {
        this.settings = settings;
        this.rates = rates;
        this.records = records;
        this.log = log;
    }

    /** What the ingest must be told to accept the bench's batches. */
    static Map<String, String> agentProperties() {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SECRET.getBytes(StandardCharsets.UTF_8)));
            return Map.of("ingest.agents." + AGENT + ".site", BenchSettings.SITE, "ingest.agents." + AGENT + ".token-sha256", sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Results run(ServiceProcess ingest, String rawTopic, List<CpuWindow.Watched> stack, Path jfr) throws Exception {
        Duration window = Duration.ofSeconds(settings.ingestSeconds());
        Duration warmup = Duration.ofMillis(Math.max(1000, window.toMillis() / 5));
        int busiest = settings.concurrencies().getLast();
        List<Double> pipelined = new ArrayList<>();
        Map<Integer, List<ClosedLoop.Result>> kafkaAcked = new LinkedHashMap<>();
        Map<Integer, List<ClosedLoop.Result>> workTracing = new LinkedHashMap<>();
        Map<Integer, List<ClosedLoop.Result>> batches = new LinkedHashMap<>();
        Map<String, Window> profiled = new LinkedHashMap<>();

        // Until the JIT has compiled the request paths, a fresh JVM burns its CPU compiling: not measured.
        ClosedLoop.Result warm = workTracing(ingest.port(), busiest, Duration.ZERO, window);
        batch(ingest.port(), busiest, Duration.ZERO, window);
        rates.acknowledged(rawTopic, BenchSettings.SITE, records, busiest, Duration.ZERO, warmup);
        log.accept(String.format(Locale.ROOT, "warm-up: work-tracing at %d clients %s", busiest, ResultTable.rate(warm.perSecond())));
        for (int r = 1; r <= settings.runs(); r++) {
            pipelined.add(rates.pipelined(rawTopic, BenchSettings.SITE, records, warmup, window));
            log.accept(String.format(Locale.ROOT, "run %d: Kafka's producer, pipelined: %s", r, ResultTable.rate(pipelined.getLast())));
            for (int c : settings.concurrencies()) {
                boolean profile = settings.profile() && r == settings.runs() && c == busiest;
                kafkaAcked.computeIfAbsent(c, k -> new ArrayList<>())
                        .add(rates.acknowledged(rawTopic, BenchSettings.SITE, records, c, warmup, window));
                Window w = measured(ingest, stack, () -> workTracing(ingest.port(), c, warmup, window));
                workTracing.computeIfAbsent(c, k -> new ArrayList<>()).add(w.result());
                Window b = measured(ingest, stack, () -> batch(ingest.port(), c, warmup, window));
                batches.computeIfAbsent(c, k -> new ArrayList<>()).add(b.result());
                log.accept(String.format(Locale.ROOT, "run %d, %d clients: work-tracing %s, batches %s, Kafka alone %s; "
                                + "cores during the batches: %s", r, c, ResultTable.rate(w.result().perSecond()),
                        ResultTable.rate(b.result().perSecond() * settings.batchEvents()),
                        ResultTable.rate(kafkaAcked.get(c).getLast().perSecond()), CpuWindow.describe(b.cores())));
                if (profile) {
                    profiled.put(String.format(Locale.ROOT, "work-tracing `POST /api/report`, run %d, %d clients, %s", r, c,
                            ResultTable.rate(w.result().perSecond())), w);
                    profiled.put(String.format(Locale.ROOT, "agent batches of %d `POST /api/agent/events`, run %d, %d clients, %s",
                            settings.batchEvents(), r, c, ResultTable.rate(b.result().perSecond() * settings.batchEvents())), b);
                }
            }
        }
        StringBuilder profile = new StringBuilder();
        if (!profiled.isEmpty()) {
            ingest.close(); // JFR writes the recording as the service stops
            for (var e : profiled.entrySet()) {
                profile.append(String.format(Locale.ROOT, "%n### Ingest: %s%n%n  cores busy: %s%n  workstation-ingest:%n",
                        e.getKey(), CpuWindow.describe(e.getValue().cores())));
                profile.append(Profiles.jfr(jfr, e.getValue().from(), e.getValue().to(), 6));
            }
        }
        failures.forEach((status, what) -> log.accept("failed requests, the first with " + status + ": " + what));
        return new Results(pipelined, kafkaAcked, workTracing, batches, settings.batchEvents(), failures(), profile.toString());
    }

    private record Window(ClosedLoop.Result result, Map<String, Double> cores, Instant from, Instant to) {
    }

    private interface Load {
        ClosedLoop.Result run() throws Exception;
    }

    private static Window measured(ServiceProcess ingest, List<CpuWindow.Watched> stack, Load load) throws Exception {
        List<CpuWindow.Watched> watched = new ArrayList<>();
        watched.add(new CpuWindow.Watched("ingest", ingest.pid(), false));
        watched.addAll(stack);
        CpuWindow cpu = CpuWindow.open(watched);
        Instant from = Instant.now();
        ClosedLoop.Result result = load.run();
        Instant to = Instant.now();
        return new Window(result, cpu.close(), from, to);
    }

    /** One report per request, as the work-tracing client sends them, for the office's people in turn. */
    private ClosedLoop.Result workTracing(int port, int concurrency, Duration warmup, Duration window) throws Exception {
        String ts = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<byte[]> bodies = new ArrayList<>();
        for (int e = 0; e < settings.employees(); e++) {
            bodies.add(("{\"user\":\"" + SyntheticOffice.user(e).replace("\\", "\\\\") + "\",\"state\":\"working\",\"ts\":\""
                    + ts + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return ClosedLoop.run(concurrency, warmup, window, w -> poster(port, w, bodies, "/api/report", "", 201));
    }

    /**
     * Batches of {@code BENCH_BATCH_EVENTS} workstation reports as an agent sends them (CloudEvents, the agent as
     * source, its own ids). A pool of batches is posted in turn: ids repeat across the pool's rounds, which only
     * a projection would notice, and none runs.
     */
    private ClosedLoop.Result batch(int port, int concurrency, Duration warmup, Duration window) throws Exception {
        Random random = new Random(settings.seed());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode events = body.putArray("events");
            for (int i = 0; i < settings.batchEvents(); i++) {
                String user = SyntheticOffice.user(random.nextInt(settings.employees()));
                events.add(EventCodec.toTree(EventEnvelope.of(new UUID(random.nextLong(), random.nextLong()), "agent/" + AGENT,
                        now, BenchSettings.SITE, user, new WorkstationStateChanged(user, "PC-" + user.substring(8), WorkstationState.WORKING))));
            }
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        String auth = "Authorization: Bearer " + AGENT + "." + SECRET + "\r\n";
        ClosedLoop.Result requests = ClosedLoop.run(concurrency, warmup, window,
                w -> poster(port, w, bodies, "/api/agent/events", auth, 200));
        return requests;
    }

    /** The first unexpected answer of each status, to say in the table what the failures were. */
    private final Map<Integer, String> failures = new java.util.concurrent.ConcurrentHashMap<>();

    /** What went wrong so far, e.g. {@code 503: {"title": …}}; empty when nothing did. */
    Map<Integer, String> failures() {
        return Map.copyOf(failures);
    }

    private ClosedLoop.Call poster(int port, int worker, List<byte[]> bodies, String path, String headers, int expected) {
        LoopbackHttp http = new LoopbackHttp("localhost", port, 60_000);
        int[] next = {worker};
        return new ClosedLoop.Call() {
            @Override
            public boolean call() throws Exception {
                LoopbackHttp.Response r = http.post(path, "application/json", headers, bodies.get(next[0]++ % bodies.size()));
                if (r.status() == 401 || r.status() == 403 || r.status() == 400) {
                    throw new IllegalStateException(path + " refused the bench's request: " + r.status() + " " + r.text());
                }
                if (r.status() != expected) {
                    String text = r.text();
                    failures.putIfAbsent(r.status(), path + " → " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
                    return false;
                }
                return true;
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }
}
