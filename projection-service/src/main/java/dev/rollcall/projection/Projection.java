package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One read model folded from topics: built in generations ({@link Generations}), each folded by its own
 * consumer group ({@link GenerationConsumer}) and switched live by {@link ProjectionSupervisor}. Its tables
 * are made by the SQL functions {@code rollcall_<name>_create / _publish / _drop(g)} of {@code db/read-model.sql}.
 */
public interface Projection {

    /** As in the admin API, {@code make replay PROJECTION=<name>} and the registry, e.g. {@code presence-day}. */
    String name();

    /** The fold code's version, recorded with each generation. */
    int codeVersion();

    /** What it reads. Each partition of each has its own checkpoint. */
    List<Topic> topics();

    /** The rules a generation started now is folded with, in words, for the pages and for ops. */
    String rules();

    /** How its consumers poll. */
    ProjectionConfig.Consuming consuming();

    /**
     * Folds one polled batch of one partition into generation {@code generation}, in the caller's transaction
     * (which also advances that partition's checkpoint). Events it has no use for are left alone.
     */
    Uni<Folded> fold(SqlConnection tx, int generation, PartitionBatch batch);

    /**
     * Whether a new generation loads its history in bulk: {@link #prepareLoad} stores each batch without folding it,
     * and once every partition has caught up {@link #finishLoading} folds all of it at once. Cheaper than folding
     * event by event when the whole history is to be read (a first start, a rebuild).
     */
    default boolean loadsInBulk() {
        return false;
    }

    /**
     * Stores one polled batch of a loading generation without folding it, in two steps: what needs no database
     * (decoding and packing the batch, say) is done now, on the consumer's decoder thread while the previous batch's
     * transaction runs; the {@link Load} returned stores it later, in that batch's own transaction. By default the
     * records are decoded ({@link RecordBatch#decoded()}) and handed to {@link #prepareLoad(int, PartitionBatch)}; a
     * projection that can read what it keeps straight from the records' bytes overrides this instead.
     */
    default Load prepareLoad(int generation, RecordBatch batch) {
        return prepareLoad(generation, batch.decoded());
    }

    /** {@link #prepareLoad(int, RecordBatch)}, from the batch's decoded events. */
    default Load prepareLoad(int generation, PartitionBatch batch) {
        return tx -> Uni.createFrom().failure(new IllegalStateException(name() + " does not load in bulk (loadsInBulk() is false)"));
    }

    /**
     * Reads what a loading generation keeps of each record straight from the fetched bytes, inside the consumer's poll,
     * before they would be copied out of the fetch (the value handed over is then what it read). A new one per consumer,
     * used on its thread only. Null, the default: every record is handed over as its bytes.
     */
    default RecordReader recordReader() {
        return null;
    }

    /** See {@link #recordReader()}. */
    @FunctionalInterface
    interface RecordReader {
        /** What a loading batch keeps of the record in {@code b[from, to)}, or null to have it handed over as bytes. */
        Object read(byte[] b, int from, int to);
    }

    /** A batch of a loading generation, prepared by {@link #prepareLoad}, to be stored in the caller's transaction. */
    @FunctionalInterface
    interface Load {
        Uni<Folded> store(SqlConnection tx);

        /** Called once the transaction that stored it has committed (on the consumer's thread, in commit order). */
        default void stored() {
        }
    }

    /**
     * Folds everything a loading generation has stored, in the caller's transaction (which then ends the load, and
     * holds the generation's lock of {@link Generations#loading}, so no batch stores more meanwhile): afterwards its
     * tables are exactly what folding event by event would have made. It may read what was stored through
     * {@code reader}, on a connection of its own, while the transaction writes.
     */
    default Uni<Folded> finishLoading(SqlConnection tx, Pool reader, int generation) {
        return Uni.createFrom().failure(new IllegalStateException(name() + " does not load in bulk (loadsInBulk() is false)"));
    }

    /** Fails (at start) when a configured rule is absurd, rather than at the first event. */
    default void checkRules() {
    }

    /** The decodable events of one polled batch of one partition, in offset order. */
    record PartitionBatch(String topic, int partition, List<EventEnvelope> events) {
    }

    /**
     * One polled batch of one partition as it came, in offset order: each record's value its bytes, or, polled while
     * loading, what the projection's {@link #recordReader()} read of them; and how the consumer decodes a record's bytes:
     * the event, or null for one no projection can read (logged, and counted as skipped).
     */
    record RecordBatch(String topic, int partition, List<ConsumerRecord<byte[], Object>> records,
                       Function<ConsumerRecord<byte[], Object>, EventEnvelope> decode) {

        /** The batch's decodable events (its values are bytes: no reader read them). */
        public PartitionBatch decoded() {
            List<EventEnvelope> events = new ArrayList<>(records.size());
            for (ConsumerRecord<byte[], Object> r : records) {
                EventEnvelope e = decode.apply(r);
                if (e != null) {
                    events.add(e);
                }
            }
            return new PartitionBatch(topic, partition, events);
        }
    }

    /**
     * @param fresh      events folded for the first time
     * @param duplicates events this projection had already folded (same id)
     */
    record Folded(int fresh, int duplicates) {
        public static final Folded NOTHING = new Folded(0, 0);

        public Folded plus(Folded o) {
            return new Folded(fresh + o.fresh, duplicates + o.duplicates);
        }
    }
}
