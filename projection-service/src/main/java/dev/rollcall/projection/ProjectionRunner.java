package dev.rollcall.projection;

import dev.rollcall.events.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.vertx.mutiny.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one projection's consumers on this instance in line with the generation registry: a consumer for the
 * live generation and, during a rebuild, one for the building generation. Every {@code supervise-interval} it
 * measures each generation's lag (the end offsets of all its topics' partitions minus its checkpoints),
 * switches a rebuild live once it has caught up (lag 0), stops consumers of retired generations and drops
 * their tables after {@code drop-retired-after}.
 */
final class ProjectionRunner {

    private static final Logger LOG = Logger.getLogger(ProjectionRunner.class);

    private final Projection projection;
    private final String name;
    private final ProjectionConfig config;
    private final Generations generations;
    private final Checkpoints checkpoints;
    private final Pool pool;
    private final MeterRegistry metrics;
    private final String bootstrapServers;
    private final List<String> topics;
    private final Map<Integer, GenerationConsumer> consumers = new ConcurrentHashMap<>();
    private final Set<Integer> dropped = new HashSet<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong liveLag = new AtomicLong();
    private final AtomicLong buildingLag = new AtomicLong();
    private volatile ProjectionSupervisor.ProjectionStatus status;
    private ProjectionSupervisor.Progress progress;
    private Thread thread;

    ProjectionRunner(Projection projection, ProjectionConfig config, Generations generations, Checkpoints checkpoints,
                     Pool pool, MeterRegistry metrics, String bootstrapServers) {
        this.projection = projection;
        this.name = projection.name();
        this.config = config;
        this.generations = generations;
        this.checkpoints = checkpoints;
        this.pool = pool;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.topics = projection.topics().stream().map(Topic::topicName).toList();
    }

    Projection projection() {
        return projection;
    }

    /** Makes sure a generation is live, registers the lag gauges and, unless disabled, starts supervising. */
    void start() {
        Generation live = generations.ensureLive(name, projection.codeVersion(), projection.rules(), projection.loadsInBulk());
        LOG.infof("projection %s: generation %d is live (%s)", name, live.generation(), live.rules());
        metrics.gauge("rollcall.projection.lag", List.of(Tag.of("projection", name), Tag.of("generation", "live")), liveLag);
        metrics.gauge("rollcall.projection.lag", List.of(Tag.of("projection", name), Tag.of("generation", "building")), buildingLag);
        if (projection.consuming().enabled()) {
            running.set(true);
            thread = new Thread(this::superviseUntilStopped, "projection-supervisor-" + name);
            thread.start();
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
        consumers.values().forEach(GenerationConsumer::stop);
    }

    Generation rebuild() {
        Generation g = generations.startRebuild(name, projection.codeVersion(), projection.rules(), projection.loadsInBulk());
        LOG.infof("projection %s: rebuild started as generation %d (%s)", name, g.generation(), g.rules());
        nudge(); // this instance starts its consumer now; other replicas at their next check
        return g;
    }

    /**
     * Supervises again now rather than at the next interval: after a rebuild was asked for here, or when a generation
     * has ended its bulk load (it may be switched live at once). Without it a rebuild waited up to two intervals for
     * nothing (make bench).
     */
    void nudge() {
        nudged.release();
    }

    ProjectionSupervisor.ProjectionStatus status() {
        return status;
    }

    /**
     * Ready when the live generation's consumer runs and owns its partitions and the generation is not still loading
     * its history in bulk (then its rows are stored but not yet folded), or when this projection is switched off.
     */
    boolean ready() {
        if (!projection.consuming().enabled()) {
            return true;
        }
        ProjectionSupervisor.ProjectionStatus s = status;
        if (s == null || s.live() == null || s.live().loading()) {
            return false;
        }
        GenerationConsumer c = consumers.get(s.live().generation());
        return c != null && c.isRunning() && c.isAssigned();
    }

    private final Semaphore nudged = new Semaphore(0);

    private void superviseUntilStopped() {
        try (KafkaConsumer<byte[], byte[]> offsets = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "rollcall-" + name + "-supervisor",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (running.get()) {
                try {
                    supervise(offsets);
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        LOG.debugf(e, "projection %s: supervising stopped while the service stops", name);
                        return;
                    }
                    LOG.errorf(e, "projection %s: supervising failed; trying again", name);
                }
                try {
                    if (nudged.tryAcquire(config.generations().superviseInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                        nudged.drainPermits();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void supervise(KafkaConsumer<byte[], byte[]> offsets) {
        List<Generation> all = generations.of(name);
        Set<Integer> active = new HashSet<>();
        for (Generation g : all) {
            if (g.active()) {
                active.add(g.generation());
                consumers.computeIfAbsent(g.generation(), n -> new GenerationConsumer(projection, n, g.loading(), checkpoints, pool,
                        metrics, bootstrapServers, this::nudge).start());
            }
        }
        consumers.entrySet().removeIf(e -> {
            if (!active.contains(e.getKey())) {
                e.getValue().stop();
                LOG.infof("projection %s: stopped the consumer of retired generation %d", name, e.getKey());
                return true;
            }
            return false;
        });

        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : topics) {
            List<TopicPartition> partitions = offsets.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            ends.putAll(offsets.endOffsets(partitions, Duration.ofSeconds(10)));
        }
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        Instant now = Instant.now();

        ProjectionSupervisor.GenerationStatus live = null;
        ProjectionSupervisor.GenerationStatus building = null;
        for (Generation g : all) {
            if (!g.active()) {
                continue;
            }
            Map<String, Map<Integer, Long>> at = new HashMap<>();
            for (String topic : topics) {
                at.put(topic, checkpoints.load(name, g.generation(), topic).await().atMost(Duration.ofSeconds(30)));
            }
            long folded = 0;
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                long next = at.get(end.getKey().topic()).getOrDefault(end.getKey().partition(), 0L);
                folded += Math.min(next, end.getValue());
                lag += Math.max(0, end.getValue() - next);
            }
            GenerationConsumer c = consumers.get(g.generation());
            boolean consuming = c != null && c.isRunning();
            if (g.status() == Generation.Status.LIVE) {
                live = ProjectionSupervisor.GenerationStatus.of(g, folded, total, lag, consuming, null);
                liveLag.set(lag);
            } else {
                progress = progress == null || progress.generation() != g.generation()
                        ? new ProjectionSupervisor.Progress(g.generation(), folded, now, 0) : progress.next(folded, now);
                building = ProjectionSupervisor.GenerationStatus.of(g, folded, total, lag, consuming, progress);
                buildingLag.set(lag);
            }
        }
        if (building == null) {
            buildingLag.set(0);
        }
        status = new ProjectionSupervisor.ProjectionStatus(name, projection.codeVersion(), projection.rules(), topics,
                live, building, all.stream().filter(g -> !g.active()).toList());

        // a generation loading in bulk has its checkpoints at the end before it has folded what it loaded
        if (building != null && building.lag() == 0 && !building.loading() && generations.promote(name, building.generation())) {
            LOG.infof("projection %s: generation %d caught up (%d events) and is live; generation %s retired",
                    name, building.generation(), building.folded(), live == null ? "-" : live.generation());
        }
        Instant dropBefore = now.minus(config.generations().dropRetiredAfter());
        for (Generation g : all) {
            if (g.status() == Generation.Status.RETIRED && !dropped.contains(g.generation())
                    && g.retiredAt() != null && g.retiredAt().isBefore(dropBefore)) {
                generations.drop(name, g.generation());
                dropped.add(g.generation());
                LOG.infof("projection %s: dropped the tables of retired generation %d", name, g.generation());
            }
        }
    }
}
