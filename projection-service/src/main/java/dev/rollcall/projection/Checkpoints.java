package dev.rollcall.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a projection version stands in each partition. The truth about progress: broker-committed offsets
 * are never used.
 */
@ApplicationScoped
public class Checkpoints {

    private final Pool pool;

    public Checkpoints(Pool pool) {
        this.pool = pool;
    }

    /** Next offset per partition of {@code topic}; partitions never folded are absent. */
    public Uni<Map<Integer, Long>> load(String projection, int version, String topic) {
        return pool.preparedQuery("SELECT partition, next_offset FROM projection_checkpoint "
                        + "WHERE projection = $1 AND version = $2 AND topic = $3")
                .execute(Tuple.of(projection, version, topic))
                .map(rows -> {
                    Map<Integer, Long> m = new HashMap<>();
                    for (Row r : rows) {
                        m.put(r.getInteger("partition"), r.getLong("next_offset"));
                    }
                    return m;
                });
    }

    /**
     * Moves the checkpoint from {@code expected} to {@code next} inside the caller's transaction. Fails (and so
     * rolls the transaction back) when the stored checkpoint is not {@code expected}: another consumer took
     * the partition over and advanced it, and this one's work must not count.
     * {@code expected} is {@code -1} for a partition with no checkpoint yet.
     */
    public Uni<Void> advance(SqlConnection tx, String projection, int version, String topic, int partition,
                             long expected, long next) {
        Uni<Integer> changed = expected < 0
                ? tx.preparedQuery("INSERT INTO projection_checkpoint (projection, version, topic, partition, next_offset) "
                                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(projection, version, topic, partition, next)).map(r -> r.rowCount())
                : tx.preparedQuery("UPDATE projection_checkpoint SET next_offset = $6, updated_at = now() "
                                + "WHERE projection = $1 AND version = $2 AND topic = $3 AND partition = $4 AND next_offset = $5")
                        .execute(Tuple.of(projection, version, topic, partition, expected).addLong(next)).map(r -> r.rowCount());
        return changed.invoke(n -> {
            if (n != 1) {
                throw new StaleCheckpointException(projection, version, topic, partition, expected);
            }
        }).replaceWithVoid();
    }
}
