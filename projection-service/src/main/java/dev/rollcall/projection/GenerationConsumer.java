package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventDecodingException;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.UnknownEventTypeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Folds one generation of one projection: a Kafka consumer on its own thread that folds each polled batch of
 * a partition into that generation's tables and advances the partition's checkpoint in one Postgres
 * transaction. On assignment it seeks to the stored checkpoints, so after a crash it resumes exactly where its
 * last committed transaction left off. Every generation has its own consumer group, so a rebuild reads the
 * topics from offset 0 without disturbing the live generation. {@link ProjectionSupervisor} starts and stops
 * these.
 *
 * <p>A generation of a projection that {@linkplain Projection#loadsInBulk() loads in bulk} starts out loading:
 * each batch is only stored ({@link Projection#load}), and once every partition of its topics has caught up
 * (its checkpoint at the end offset) one transaction folds all of it ({@link Projection#finishLoading}) and ends
 * the load; from then on batches are folded as they come. A crash while loading resumes the load from the
 * checkpoints; one while finishing rolls the finish back, and it runs again.
 */
public class GenerationConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationConsumer.class);
    private static final int PARTITION_FETCH_BYTES = 16 * 1024 * 1024;
    /** Folding a loaded history happens on the consumer's thread, between polls: give it time before the group gives up on it. */
    private static final Duration FINISH_LOADING_TIMEOUT = Duration.ofMinutes(15);

    private final Projection projection;
    private final int generation;
    private final Checkpoints checkpoints;
    private final Pool pool;
    private final String bootstrapServers;
    private final List<String> topics;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The checkpoint each owned partition's next transaction must start from. */
    private final Map<TopicPartition, Long> expected = new ConcurrentHashMap<>();
    private final Counter folded;
    private final Counter duplicates;
    private final Counter skipped;
    private final Counter loaded;
    /** Still loading in bulk: true until this consumer, or another replica's, has finished the load. */
    private volatile boolean loading;
    /** When this consumer may next try to finish the load (nanoTime). */
    private long nextFinishAttempt;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean assigned;
    /** Only on the consumer's thread: the transaction in flight, and partitions sought back since the last poll. */
    private InFlight inFlight;
    private final Set<TopicPartition> reseeked = new HashSet<>();
    private Thread thread;

    public GenerationConsumer(Projection projection, int generation, boolean loading, Checkpoints checkpoints, Pool pool,
                              MeterRegistry metrics, String bootstrapServers) {
        this.projection = projection;
        this.generation = generation;
        this.loading = loading;
        this.checkpoints = checkpoints;
        this.pool = pool;
        this.bootstrapServers = bootstrapServers;
        this.topics = projection.topics().stream().map(Topic::topicName).toList();
        this.folded = counter(metrics, "folded");
        this.duplicates = counter(metrics, "duplicate");
        this.skipped = counter(metrics, "skipped");
        this.loaded = counter(metrics, "loaded");
    }

    private Counter counter(MeterRegistry metrics, String outcome) {
        return metrics.counter("rollcall.projection.events", "projection", projection.name(),
                "generation", Integer.toString(generation), "outcome", outcome);
    }

    /** The consumer group of a projection's generation. */
    public static String group(Projection projection, int generation) {
        return projection.consuming().groupPrefix().orElse("rollcall.projection." + projection.name()) + ".g" + generation;
    }

    public int generation() {
        return generation;
    }

    public GenerationConsumer start() {
        running.set(true);
        thread = new Thread(this::run, "projection-" + projection.name() + "-g" + generation);
        thread.start();
        return this;
    }

    public void stop() {
        running.set(false);
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the consumer owns its partitions and has sought to their checkpoints. */
    public boolean isAssigned() {
        return assigned;
    }

    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    private void run() {
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(topics, new SeekToCheckpoint(c));
                while (running.get()) {
                    ConsumerRecords<String, byte[]> records = c.poll(projection.consuming().pollTimeout());
                    reseeked.clear();
                    for (TopicPartition tp : records.partitions()) {
                        foldPartitionBatch(c, tp, records.records(tp));
                    }
                    if (records.isEmpty()) {
                        settle(c);
                    }
                    if (loading && assigned) {
                        finishLoadingIfCaughtUp(c);
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                LOG.errorf(e, "projection %s generation %d failed; restarting its consumer in 5 s", projection.name(), generation);
                assigned = false;
                sleep(Duration.ofSeconds(5));
            } finally {
                awaitQuietly();
                consumer = null;
            }
        }
    }

    /**
     * Decodes a partition's batch while the previous batch's transaction is still running in PostgreSQL (the
     * database and this thread work at the same time), then waits for that transaction and starts this one.
     * At most one transaction is in flight, so each partition's batches still commit in offset order.
     */
    private void foldPartitionBatch(KafkaConsumer<String, byte[]> c, TopicPartition tp, List<ConsumerRecord<String, byte[]>> records) {
        List<EventEnvelope> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            EventEnvelope e = decode(r);
            if (e != null) {
                events.add(e);
            }
        }
        settle(c);
        Long from = expected.get(tp);
        if (from == null || reseeked.contains(tp)) {
            return; // revoked while polling, or polled before the seek back to the checkpoint: read again
        }
        long next = records.getLast().offset() + 1;
        Projection.PartitionBatch batch = new Projection.PartitionBatch(tp.topic(), tp.partition(), events);
        CompletableFuture<Stored> done = pool.withTransaction(tx -> store(tx, batch)
                        .call(() -> checkpoints.advance(tx, projection.name(), generation, tp.topic(), tp.partition(), from, next)))
                .subscribeAsCompletionStage();
        inFlight = new InFlight(tp, from, next, records.size(), done);
    }

    /** A batch folded, or (while loading) only stored; the check and the storing share the transaction. */
    private Uni<Stored> store(SqlConnection tx, Projection.PartitionBatch batch) {
        if (!loading) {
            return projection.fold(tx, generation, batch).map(f -> new Stored(f, false));
        }
        return Generations.loading(tx, projection.name(), generation, false).chain(still -> {
            if (still) {
                return projection.load(tx, generation, batch).map(f -> new Stored(f, true));
            }
            loading = false; // finished by another replica
            return projection.fold(tx, generation, batch).map(f -> new Stored(f, false));
        });
    }

    private record Stored(Projection.Folded counts, boolean loaded) {
    }

    /**
     * While loading: once this consumer's partitions have nothing left to read, and the checkpoints of every
     * partition of the topics (some may be another replica's) have reached the end offsets, folds what was
     * loaded and ends the load. Tried at most once a second; after a failure, after 5 s.
     */
    private void finishLoadingIfCaughtUp(KafkaConsumer<String, byte[]> c) {
        if (System.nanoTime() - nextFinishAttempt < 0) {
            return;
        }
        for (TopicPartition tp : c.assignment()) {
            OptionalLong lag = c.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return;
            }
        }
        settle(c); // the last batch's checkpoint counts
        nextFinishAttempt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (String topic : topics) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<Integer, Long> at = checkpoints.load(projection.name(), generation, topic).await().atMost(Duration.ofSeconds(30));
            for (Map.Entry<TopicPartition, Long> end : c.endOffsets(partitions).entrySet()) {
                if (end.getValue() > at.getOrDefault(end.getKey().partition(), 0L)) {
                    return; // still loading there (another replica's partition, or records that came meanwhile)
                }
            }
        }
        long started = System.nanoTime();
        try {
            Projection.Folded f = pool.withTransaction(tx -> Generations.loading(tx, projection.name(), generation, true)
                            .chain(still -> still
                                    ? projection.finishLoading(tx, generation).call(() -> Generations.loaded(tx, projection.name(), generation))
                                    : Uni.createFrom().<Projection.Folded>nullItem()))
                    .await().atMost(FINISH_LOADING_TIMEOUT);
            loading = false;
            if (f != null) {
                folded.increment(f.fresh());
                duplicates.increment(f.duplicates());
                LOG.infof("projection %s generation %d: loaded history folded in %.1f s (%d events, %d duplicates dropped)",
                        projection.name(), generation, (System.nanoTime() - started) / 1e9, f.fresh(), f.duplicates());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "projection %s generation %d: folding the loaded history failed; trying again in 5 s",
                    projection.name(), generation);
            nextFinishAttempt = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        }
    }

    /** Waits for the transaction in flight, if any, and books its outcome: the new checkpoint, or a seek back to the stored one. */
    private void settle(KafkaConsumer<String, byte[]> c) {
        InFlight f = inFlight;
        if (f == null) {
            return;
        }
        inFlight = null;
        TopicPartition tp = f.partition();
        try {
            Stored stored = f.done().get(60, TimeUnit.SECONDS);
            if (expected.containsKey(tp)) {
                expected.put(tp, f.next());
            }
            Projection.Folded done = stored.counts();
            (stored.loaded() ? loaded : folded).increment(done.fresh());
            duplicates.increment(done.duplicates());
            skipped.increment(f.records() - done.fresh() - done.duplicates());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleCheckpointException stale) {
                LOG.warn(stale.getMessage() + "; re-reading the checkpoint");
            } else {
                LOG.errorf(e.getCause(), "%s: folding %s offsets %d..%d failed; will retry from the checkpoint", projection.name(),
                        tp, f.from(), f.next() - 1);
                sleep(Duration.ofSeconds(1));
            }
            reseekBack(c, tp);
        } catch (TimeoutException e) {
            f.done().cancel(true);
            LOG.errorf("%s: folding %s offsets %d..%d took over 60 s; will retry from the checkpoint", projection.name(), tp,
                    f.from(), f.next() - 1);
            reseekBack(c, tp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void reseekBack(KafkaConsumer<String, byte[]> c, TopicPartition tp) {
        reseeked.add(tp);
        if (expected.containsKey(tp)) {
            reseek(c, List.of(tp));
        }
    }

    /** On the way out: the transaction in flight commits or not on its own; its outcome is only bookkeeping. */
    private void awaitQuietly() {
        InFlight f = inFlight;
        inFlight = null;
        if (f != null) {
            try {
                f.done().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // not booked: the next consumer starts from the stored checkpoint
            }
        }
    }

    /** A partition's batch whose transaction has been started and not yet waited for. */
    private record InFlight(TopicPartition partition, long from, long next, int records, CompletableFuture<Stored> done) {
    }

    /** The event, or null for a record no projection can read (it is counted as skipped). */
    private static EventEnvelope decode(ConsumerRecord<String, byte[]> r) {
        try {
            return EventCodec.decode(r.value());
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s at %s-%d@%d: a type this service does not know", e.type(), r.topic(), r.partition(), r.offset());
            return null;
        } catch (EventDecodingException e) {
            // A poison record must not stop the partition; it stays in the topic for inspection.
            LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    private void reseek(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        Map<String, Map<Integer, Long>> stored = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.computeIfAbsent(tp.topic(), t -> checkpoints.load(projection.name(), generation, t)
                    .await().atMost(Duration.ofSeconds(30))).get(tp.partition());
            if (next == null) {
                c.seekToBeginning(List.of(tp));
                expected.put(tp, -1L);
            } else {
                c.seek(tp, next);
                expected.put(tp, next);
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        ProjectionConfig.Consuming consuming = projection.consuming();
        return Map.ofEntries(
                Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, group(projection, generation)),
                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, consuming.maxPollRecords()),
                Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                // a crashed instance's partitions move to a live one after this long, not the default 45 s
                Map.entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) consuming.sessionTimeout().toMillis()),
                Map.entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) consuming.sessionTimeout().toMillis() / 3),
                // a generation catching up (a rebuild, a restart after downtime) gets whole batches of max-poll-records
                // from one partition: the default 1 MiB per partition fetch holds about 3,500 workstation records, 16 MiB about 50,000
                Map.entry(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_BYTES),
                Map.entry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) FINISH_LOADING_TIMEOUT.plusMinutes(1).toMillis()),
                Map.entry(ConsumerConfig.CLIENT_ID_CONFIG, "rollcall-" + projection.name() + "-g" + generation));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On assignment: continue from the checkpoints in Postgres. On revocation: forget the partitions. */
    private final class SeekToCheckpoint implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        SeekToCheckpoint(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            reseek(c, partitions);
            assigned = true;
            LOG.infof("projection %s generation %d owns %s", projection.name(), generation, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settle(c); // the transaction in flight finishes before its partition is given up
            partitions.forEach(expected::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another consumer may own them already: its guarded checkpoint decides whose transaction counts
            awaitQuietly();
            partitions.forEach(expected::remove);
        }
    }
}
