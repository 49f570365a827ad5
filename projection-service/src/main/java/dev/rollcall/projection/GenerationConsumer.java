package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventDecodingException;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.events.UnknownEventTypeException;
import dev.rollcall.events.WorkstationStateChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Folds one generation of the workstation projection: a Kafka consumer on its own thread that folds each
 * polled batch of a partition into that generation's tables and advances the partition's checkpoint in one
 * Postgres transaction. On assignment it seeks to the stored checkpoint, so after a crash it resumes exactly
 * where its last committed transaction left off. Every generation has its own consumer group, so a rebuild
 * reads the topic from offset 0 without disturbing the live generation. {@link ProjectionSupervisor} starts
 * and stops these.
 */
public class GenerationConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationConsumer.class);

    private final int generation;
    private final String group;
    private final ProjectionConfig config;
    private final Checkpoints checkpoints;
    private final WorkstationDayProjection projection;
    private final Pool pool;
    private final String bootstrapServers;
    private final String topic = Topic.WORKSTATION.topicName();
    private final AtomicBoolean running = new AtomicBoolean();
    /** The checkpoint each owned partition's next transaction must start from. */
    private final Map<Integer, Long> expected = new ConcurrentHashMap<>();
    private final Counter folded;
    private final Counter duplicates;
    private final Counter skipped;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean assigned;
    private Thread thread;

    public GenerationConsumer(int generation, ProjectionConfig config, Checkpoints checkpoints,
                              WorkstationDayProjection projection, Pool pool, MeterRegistry metrics, String bootstrapServers) {
        this.generation = generation;
        this.group = config.workstation().groupPrefix() + ".g" + generation;
        this.config = config;
        this.checkpoints = checkpoints;
        this.projection = projection;
        this.pool = pool;
        this.bootstrapServers = bootstrapServers;
        this.folded = metrics.counter("rollcall.projection.events", "projection", WorkstationDayProjection.NAME,
                "generation", Integer.toString(generation), "outcome", "folded");
        this.duplicates = metrics.counter("rollcall.projection.events", "projection", WorkstationDayProjection.NAME,
                "generation", Integer.toString(generation), "outcome", "duplicate");
        this.skipped = metrics.counter("rollcall.projection.events", "projection", WorkstationDayProjection.NAME,
                "generation", Integer.toString(generation), "outcome", "skipped");
    }

    public int generation() {
        return generation;
    }

    public GenerationConsumer start() {
        running.set(true);
        thread = new Thread(this::run, "projection-" + WorkstationDayProjection.NAME + "-g" + generation);
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
                c.subscribe(List.of(topic), new SeekToCheckpoint(c));
                while (running.get()) {
                    ConsumerRecords<String, byte[]> records = c.poll(config.workstation().pollTimeout());
                    for (TopicPartition tp : records.partitions()) {
                        foldPartitionBatch(c, tp, records.records(tp));
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                LOG.errorf(e, "projection %s generation %d failed; restarting its consumer in 5 s", WorkstationDayProjection.NAME, generation);
                assigned = false;
                sleep(Duration.ofSeconds(5));
            } finally {
                consumer = null;
            }
        }
    }

    private void foldPartitionBatch(KafkaConsumer<String, byte[]> c, TopicPartition tp, List<ConsumerRecord<String, byte[]>> records) {
        Long from = expected.get(tp.partition());
        if (from == null) {
            return; // revoked while polling
        }
        List<WorkstationEventRow> rows = new ArrayList<>(records.size());
        int unreadable = 0;
        for (ConsumerRecord<String, byte[]> r : records) {
            WorkstationEventRow row = toRow(r);
            if (row == null) {
                unreadable++;
            } else {
                rows.add(row);
            }
        }
        long next = records.getLast().offset() + 1;
        try {
            int fresh = pool.withTransaction(tx -> projection.fold(tx, generation, rows)
                            .call(() -> checkpoints.advance(tx, WorkstationDayProjection.NAME, generation,
                                    topic, tp.partition(), from, next)))
                    .await().atMost(Duration.ofSeconds(60));
            expected.put(tp.partition(), next);
            folded.increment(fresh);
            duplicates.increment(rows.size() - fresh);
            skipped.increment(unreadable);
        } catch (StaleCheckpointException e) {
            LOG.warn(e.getMessage() + "; re-reading the checkpoint");
            reseek(c, List.of(tp));
        } catch (RuntimeException e) {
            LOG.errorf(e, "folding %s offsets %d..%d failed; will retry from the checkpoint", tp, from, next - 1);
            reseek(c, List.of(tp));
            sleep(Duration.ofSeconds(1));
        }
    }

    private WorkstationEventRow toRow(ConsumerRecord<String, byte[]> r) {
        try {
            EventEnvelope e = EventCodec.decode(r.value());
            if (e.data() instanceof WorkstationStateChanged w) {
                return WorkstationEventRow.of(e, w, config.zoneOf(e.site()));
            }
            return null;
        } catch (UnknownEventTypeException e) {
            LOG.debugf("skipping %s at %s-%d@%d: not for this projection", e.type(), r.topic(), r.partition(), r.offset());
            return null;
        } catch (EventDecodingException e) {
            // A poison record must not stop the partition; it stays in the topic for inspection.
            LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return null;
        }
    }

    private void reseek(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        Map<Integer, Long> stored = checkpoints.load(WorkstationDayProjection.NAME, generation, topic)
                .await().atMost(Duration.ofSeconds(30));
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp.partition());
            if (next == null) {
                c.seekToBeginning(List.of(tp));
                expected.put(tp.partition(), -1L);
            } else {
                c.seek(tp, next);
                expected.put(tp.partition(), next);
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.workstation().maxPollRecords(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // a crashed instance's partitions move to a live one after this long, not the default 45 s
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.workstation().sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) config.workstation().sessionTimeout().toMillis() / 3,
                ConsumerConfig.CLIENT_ID_CONFIG, "rollcall-" + WorkstationDayProjection.NAME + "-g" + generation);
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
            LOG.infof("projection %s generation %d owns %s", WorkstationDayProjection.NAME, generation, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> expected.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
