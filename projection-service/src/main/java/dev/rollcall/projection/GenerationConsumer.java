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
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * each batch is only stored ({@link Projection#prepareLoad}), and once every partition of its topics has caught up
 * (its checkpoint at the end offset) one transaction folds all of it ({@link Projection#finishLoading}) and ends
 * the load; from then on batches are folded as they come. A crash while loading resumes the load from the
 * checkpoints; one while finishing rolls the finish back, and it runs again.
 *
 * <p>A replay (a rebuild reading from offset 0) is bound by the consumer's thread, so decoding runs beside it:
 * each partition's polled batch is handed to a decoder thread and the consumer thread polls again. After each poll
 * it stores the batches that are ready (decoded, and the previous transaction done), in poll order, and goes back
 * to polling while the others get ready: the classic consumer reads the broker's next fetch only inside {@code
 * poll}, so waiting elsewhere would leave it in the socket. It waits only when more than a couple of batches are
 * waiting. So while Kafka's poll of batch N+2 runs on the consumer thread, batch N+1 is decoded on the decoder
 * thread and batch N's transaction runs in PostgreSQL. A batch that reached the end of its partition is stored at
 * once instead: the next poll would only wait for new records, and a live generation's reads would lag by that
 * wait. Storing stays on the consumer thread, one transaction at a time, so each partition's batches still commit
 * in offset order. A batch polled but not yet stored whose partition is given up, or sought back to its
 * checkpoint, meanwhile is dropped, never stored: it is read again from the checkpoint. Everything polled is
 * stored when a poll comes back empty and before the load is finished.
 */
public class GenerationConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationConsumer.class);
    private static final int PARTITION_FETCH_BYTES = 8 * 1024 * 1024;
    /** Folding a loaded history happens on the consumer's thread, between polls: give it time before the group gives up on it. */
    private static final Duration FINISH_LOADING_TIMEOUT = Duration.ofMinutes(15);
    /** Polled batches that may wait to be stored while the consumer polls on (a few MiB each while catching up). */
    private static final int BATCHES_AHEAD = 2;

    private final Projection projection;
    private final Runnable onLoaded;
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
    private volatile KafkaConsumer<byte[], Object> consumer;
    /** Only on the consumer's thread: whether the poll under way is for a load (its records are then read for it). */
    private boolean pollLoading;
    private volatile boolean assigned;
    private final ExecutorService decoder;
    /**
     * Only on the consumer's thread: the transaction in flight; the batches polled but not yet stored, in poll order;
     * how often each partition has been sought back to its checkpoint (a batch polled before the latest seek is stale).
     */
    private InFlight inFlight;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<TopicPartition, Integer> seeks = new HashMap<>();
    private Thread thread;

    public GenerationConsumer(Projection projection, int generation, boolean loading, Checkpoints checkpoints, Pool pool,
                              MeterRegistry metrics, String bootstrapServers) {
        this(projection, generation, loading, checkpoints, pool, metrics, bootstrapServers, () -> { });
    }

    /** @param loaded called once this consumer has ended the bulk load (a rebuild can then be switched live at once) */
    public GenerationConsumer(Projection projection, int generation, boolean loading, Checkpoints checkpoints, Pool pool,
                              MeterRegistry metrics, String bootstrapServers, Runnable loaded) {
        this.onLoaded = loaded;
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
        this.decoder = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("projection-" + projection.name() + "-g" + generation + "-decode").factory());
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
        KafkaConsumer<byte[], Object> c = consumer;
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
        decoder.shutdown();
    }

    /** True once the consumer owns its partitions and has sought to their checkpoints. */
    public boolean isAssigned() {
        return assigned;
    }

    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    private void run() {
        try {
            while (running.get()) {
                try (KafkaConsumer<byte[], Object> c = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                        new Values(projection.recordReader()))) {
                    consumer = c;
                    c.subscribe(topics, new SeekToCheckpoint(c));
                    while (running.get()) {
                        pollLoading = loading; // the same for every record of the poll, and for its batches
                        ConsumerRecords<byte[], Object> records = c.poll(projection.consuming().pollTimeout());
                        // handed over before storing the last poll's batches: storing may seek a partition back, and
                        // this poll's batch of it must then be dropped too
                        List<Pending> polled = records.partitions().stream()
                                .map(tp -> decodeLater(tp, records.records(tp), pollLoading)).toList();
                        pending.addAll(polled);
                        if (caughtUp(c, polled)) {
                            storePending(c); // nothing more to read: the next poll would only wait, and these with it
                        } else {
                            storeReady(c);
                        }
                        if (records.isEmpty()) {
                            storePending(c);
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
                    dropPending(); // not checkpointed: the next consumer reads them again
                    awaitQuietly();
                    consumer = null;
                }
            }
        } finally {
            decoder.shutdown();
        }
    }

    /**
     * Starts decoding a partition's batch on the decoder thread; while loading, preparing it to be loaded instead (the
     * projection decodes what it needs of the records, packs it, and keeps no event beyond that).
     */
    private Pending decodeLater(TopicPartition tp, List<ConsumerRecord<byte[], Object>> records, boolean prepareLoad) {
        Future<Decoded> events = decoder.submit(() -> {
            Projection.RecordBatch batch = new Projection.RecordBatch(tp.topic(), tp.partition(), records, GenerationConsumer::decode);
            return prepareLoad ? new Decoded(null, projection.prepareLoad(generation, batch)) : new Decoded(batch.decoded().events(), null);
        });
        return new Pending(tp, seeks.getOrDefault(tp, 0), records.size(), records.getLast().offset() + 1, events);
    }

    /** True when these batches reached the end of their partitions (for all the consumer knows, without asking the broker). */
    private static boolean caughtUp(KafkaConsumer<byte[], Object> c, List<Pending> batches) {
        return batches.stream().allMatch(p -> c.currentLag(p.partition()).orElse(1) == 0);
    }

    /**
     * Stores, in poll order, the batches that can be stored without waiting (decoded, and no transaction running);
     * waits only for those beyond {@value #BATCHES_AHEAD} batches that wait. The classic consumer reads the next fetch
     * only inside {@code poll}: waiting here for the decoder or PostgreSQL would hold the broker's data in the
     * socket, so the consumer thread goes back to polling instead.
     */
    private void storeReady(KafkaConsumer<byte[], Object> c) {
        while (!pending.isEmpty()) {
            Pending p = pending.getFirst();
            boolean ready = p.events().isDone() && (inFlight == null || inFlight.done().isDone());
            if (!ready && pending.size() <= BATCHES_AHEAD) {
                return;
            }
            pending.removeFirst();
            store(c, p);
        }
    }

    /** Stores every batch polled and not yet stored, in poll order. */
    private void storePending(KafkaConsumer<byte[], Object> c) {
        for (Pending p : pending) {
            store(c, p);
        }
        pending.clear();
    }

    private void dropPending() {
        pending.forEach(p -> p.events().cancel(false));
        pending.clear();
    }

    /**
     * Waits for the previous batch's transaction and starts this batch's. At most one transaction is in flight, so
     * each partition's batches commit in offset order. A batch whose partition was given up, or sought back to its
     * checkpoint, since it was polled is dropped: that seek already put the consumer back at the checkpoint.
     */
    private void store(KafkaConsumer<byte[], Object> c, Pending p) {
        settle(c);
        TopicPartition tp = p.partition();
        Long from = expected.get(tp);
        if (from == null || seeks.getOrDefault(tp, 0) != p.seek()) {
            p.events().cancel(false);
            return; // revoked since it was polled, or polled before the seek back to the checkpoint: read again
        }
        long next = p.next();
        Decoded decoded = decoded(p);
        CompletableFuture<Stored> done = pool.withTransaction(tx -> store(tx, tp, decoded)
                        .call(() -> checkpoints.advance(tx, projection.name(), generation, tp.topic(), tp.partition(), from, next)))
                .subscribeAsCompletionStage();
        inFlight = new InFlight(tp, from, next, p.records(), decoded.load(), done);
    }

    /** The batch's events, once decoded; usually already, as the decoder ran during the poll that came after it. */
    private static Decoded decoded(Pending p) {
        try {
            return p.events().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (ExecutionException e) {
            // decode skips unreadable records itself, so this is a bug: the consumer restarts from the checkpoints
            throw new IllegalStateException("decoding (or preparing to load) " + p.partition() + " failed", e.getCause());
        }
    }

    /** A partition's batch, polled and handed to the decoder, whose transaction has not been started yet. */
    private record Pending(TopicPartition partition, int seek, int records, long next, Future<Decoded> events) {
    }

    /**
     * A batch polled to be folded: its events. Or, polled while loading, the batch prepared to be loaded ({@link
     * Projection#prepareLoad(int, Projection.RecordBatch)}) and no events.
     */
    private record Decoded(List<EventEnvelope> events, Projection.Load load) {
    }

    /** A batch folded, or (while loading) only stored; the check and the storing share the transaction. */
    private Uni<Stored> store(SqlConnection tx, TopicPartition tp, Decoded decoded) {
        if (decoded.load() == null) {
            return projection.fold(tx, generation, new Projection.PartitionBatch(tp.topic(), tp.partition(), decoded.events()))
                    .map(f -> new Stored(f, false));
        }
        return Generations.loading(tx, projection.name(), generation, false).chain(still -> {
            if (still) {
                return decoded.load().store(tx).map(f -> new Stored(f, true));
            }
            loading = false;
            return Uni.createFrom().failure(new LoadEndedElsewhereException(projection.name(), generation, tp));
        });
    }

    /**
     * Another replica ended the load while this batch, prepared to be loaded, waited: it is read again from the
     * checkpoint, to be folded.
     */
    private static final class LoadEndedElsewhereException extends RuntimeException {
        LoadEndedElsewhereException(String projection, int generation, TopicPartition tp) {
            super("projection " + projection + " generation " + generation + ": another replica ended the load; " + tp
                    + " is read again from its checkpoint to be folded", null, false, false);
        }
    }

    private record Stored(Projection.Folded counts, boolean loaded) {
    }

    /**
     * While loading: once this consumer's partitions have nothing left to read, and the checkpoints of every
     * partition of the topics (some may be another replica's) have reached the end offsets, folds what was
     * loaded and ends the load. Tried at most once a second; after a failure, after 5 s.
     */
    private void finishLoadingIfCaughtUp(KafkaConsumer<byte[], Object> c) {
        if (System.nanoTime() - nextFinishAttempt < 0) {
            return;
        }
        for (TopicPartition tp : c.assignment()) {
            OptionalLong lag = c.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return;
            }
        }
        // what was polled last counts: store it and book its checkpoint (a failure seeks back, and the check below waits)
        storePending(c);
        settle(c);
        nextFinishAttempt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (String topic : topics) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<Integer, Long> at = checkpoints.load(projection.name(), generation, topic).await().atMost(Duration.ofSeconds(30));
            for (Map.Entry<TopicPartition, Long> end : endOffsets(c, partitions).entrySet()) {
                if (end.getValue() > at.getOrDefault(end.getKey().partition(), 0L)) {
                    return; // still loading there (another replica's partition, or records that came meanwhile)
                }
            }
        }
        long started = System.nanoTime();
        try {
            Projection.Folded f = pool.withTransaction(tx -> Generations.loading(tx, projection.name(), generation, true)
                            .chain(still -> still
                                    ? projection.finishLoading(tx, pool, generation).call(() -> Generations.loaded(tx, projection.name(), generation))
                                    : Uni.createFrom().<Projection.Folded>nullItem()))
                    .await().atMost(FINISH_LOADING_TIMEOUT);
            loading = false;
            onLoaded.run();
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

    /**
     * Where the partitions end. This consumer's own have no lag (checked before), so each ends at its position, as the
     * last fetch saw it: asking the broker would wait behind the fetch it holds open for new records (up to
     * {@code fetch.max.wait.ms}, half a second, on this connection). Only other replicas' partitions are asked for.
     */
    private static Map<TopicPartition, Long> endOffsets(KafkaConsumer<byte[], Object> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        List<TopicPartition> others = new ArrayList<>();
        Set<TopicPartition> mine = c.assignment();
        for (TopicPartition tp : partitions) {
            if (mine.contains(tp)) {
                ends.put(tp, c.position(tp));
            } else {
                others.add(tp);
            }
        }
        if (!others.isEmpty()) {
            ends.putAll(c.endOffsets(others));
        }
        return ends;
    }

    /** Waits for the transaction in flight, if any, and books its outcome: the new checkpoint, or a seek back to the stored one. */
    private void settle(KafkaConsumer<byte[], Object> c) {
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
            if (stored.loaded()) {
                f.load().stored();
            }
            (stored.loaded() ? loaded : folded).increment(done.fresh());
            duplicates.increment(done.duplicates());
            skipped.increment(f.records() - done.fresh() - done.duplicates());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleCheckpointException stale) {
                LOG.warn(stale.getMessage() + "; re-reading the checkpoint");
            } else if (e.getCause() instanceof LoadEndedElsewhereException ended) {
                LOG.info(ended.getMessage());
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

    /** Back to the stored checkpoint, unless the partition was given up meanwhile (then its batches are dropped anyway). */
    private void reseekBack(KafkaConsumer<byte[], Object> c, TopicPartition tp) {
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
    private record InFlight(TopicPartition partition, long from, long next, int records, Projection.Load load,
                            CompletableFuture<Stored> done) {
    }

    /** The event, or null for a record no projection can read (it is counted as skipped). */
    static EventEnvelope decode(ConsumerRecord<byte[], Object> r) {
        if (!(r.value() instanceof byte[] bytes)) {
            throw new IllegalStateException(r.topic() + "-" + r.partition() + "@" + r.offset() + " was read for a load, not to be decoded");
        }
        try {
            return EventCodec.decode(bytes);
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s at %s-%d@%d: a type this service does not know", e.type(), r.topic(), r.partition(), r.offset());
            return null;
        } catch (EventDecodingException e) {
            // A poison record must not stop the partition; it stays in the topic for inspection.
            LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    /** Seeks to the stored checkpoints; the batches of these partitions polled until now are stale. */
    private void reseek(KafkaConsumer<byte[], Object> c, Collection<TopicPartition> partitions) {
        Map<String, Map<Integer, Long>> stored = new HashMap<>();
        for (TopicPartition tp : partitions) {
            seeks.merge(tp, 1, Integer::sum);
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
                // a generation catching up (a rebuild, a restart after downtime) gets large batches from one partition: the
                // default 1 MiB per partition fetch holds about 3,500 workstation records, 8 MiB about 28,000. Fewer than
                // workstation-day's max-poll-records (50,000) on purpose: a poll then takes the whole fetch, and the consumer
                // sends the next fetch before the batch is decoded and stored (it sends none for a partition with records
                // still buffered, so a fetch larger than a poll makes every other poll wait for the broker; make bench)
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

    /**
     * Record values: during a poll for a load, what the projection's reader reads of each straight from the fetched
     * bytes (no copy of them is made: a rebuild reads a million); otherwise, and for what the reader leaves, the bytes,
     * as {@link ByteArrayDeserializer} gives them.
     */
    private final class Values implements Deserializer<Object> {
        private final Projection.RecordReader reader;
        private final ByteArrayDeserializer bytes = new ByteArrayDeserializer();

        Values(Projection.RecordReader reader) {
            this.reader = reader;
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            return data;
        }

        @Override
        public Object deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data != null && pollLoading && reader != null && data.hasArray()) {
                int from = data.arrayOffset() + data.position();
                Object read = reader.read(data.array(), from, from + data.remaining());
                if (read != null) {
                    return read;
                }
            }
            return bytes.deserialize(topic, headers, data);
        }
    }

    /** On assignment: continue from the checkpoints in Postgres. On revocation: forget the partitions. */
    private final class SeekToCheckpoint implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], Object> c;

        SeekToCheckpoint(KafkaConsumer<byte[], Object> c) {
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
