package dev.rollcall.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The registry of projection generations ({@code projection_generation}) and the switches between them. Each
 * change runs in one transaction under the projection's advisory lock, so replicas agree on what is live.
 * A projection's tables are made by the SQL functions {@code rollcall_<name>_create / _publish / _drop(g)}
 * of {@code db/read-model.sql}.
 */
@ApplicationScoped
public class Generations {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;

    public Generations(Pool pool) {
        this.pool = pool;
    }

    public List<Generation> of(String projection) {
        return pool.preparedQuery("SELECT * FROM projection_generation WHERE projection = $1 ORDER BY generation")
                .execute(Tuple.of(projection))
                .map(rows -> {
                    List<Generation> out = new ArrayList<>();
                    rows.forEach(r -> out.add(generation(r)));
                    return out;
                }).await().atMost(TIMEOUT);
    }

    public Optional<Generation> live(String projection) {
        return of(projection).stream().filter(g -> g.status() == Generation.Status.LIVE).findFirst();
    }

    /**
     * The live generation; on a first start, generation 1, live at once (there is nothing older to show), loading
     * its history in bulk if {@code bulkLoad}.
     */
    public Generation ensureLive(String projection, int codeVersion, String rules, boolean bulkLoad) {
        return pool.withTransaction(tx -> lock(tx, projection)
                        .chain(() -> tx.preparedQuery("SELECT * FROM projection_generation WHERE projection = $1 AND status = 'live'")
                                .execute(Tuple.of(projection)))
                        .chain(rows -> rows.size() > 0
                                ? Uni.createFrom().item(generation(rows.iterator().next()))
                                : next(tx, projection).chain(g -> create(tx, projection, g, bulkLoad)
                                        .chain(() -> function(tx, projection, "publish", g))
                                        .chain(() -> insert(tx, projection, g, "live", codeVersion, rules, bulkLoad)))))
                .await().atMost(TIMEOUT);
    }

    /** Starts a rebuild: a new generation with empty tables, status building, loading its history in bulk if {@code bulkLoad}. */
    public Generation startRebuild(String projection, int codeVersion, String rules, boolean bulkLoad) {
        return pool.withTransaction(tx -> lock(tx, projection)
                        .chain(() -> tx.preparedQuery("SELECT * FROM projection_generation WHERE projection = $1 AND status = 'building'")
                                .execute(Tuple.of(projection)))
                        .chain(rows -> {
                            if (rows.size() > 0) {
                                throw new RebuildRunningException(generation(rows.iterator().next()));
                            }
                            return next(tx, projection);
                        })
                        .chain(g -> create(tx, projection, g, bulkLoad)
                                .chain(() -> insert(tx, projection, g, "building", codeVersion, rules, bulkLoad))))
                .await().atMost(TIMEOUT);
    }

    /**
     * Makes a building generation live and retires the live one, re-pointing the readers' views in the same
     * transaction. False if {@code generation} is no longer building (another replica switched first).
     */
    public boolean promote(String projection, int generation) {
        return pool.withTransaction(tx -> lock(tx, projection)
                        .chain(() -> tx.preparedQuery("UPDATE projection_generation SET status = 'retired', retired_at = now() "
                                        + "WHERE projection = $1 AND status = 'live' AND generation <> $2 AND EXISTS ("
                                        + "SELECT 1 FROM projection_generation WHERE projection = $1 AND generation = $2 AND status = 'building')")
                                .execute(Tuple.of(projection, generation)))
                        .chain(() -> tx.preparedQuery("UPDATE projection_generation SET status = 'live', live_at = now() "
                                        + "WHERE projection = $1 AND generation = $2 AND status = 'building'")
                                .execute(Tuple.of(projection, generation)))
                        .chain(rows -> rows.rowCount() == 1
                                ? function(tx, projection, "publish", generation).replaceWith(true)
                                : Uni.createFrom().item(false)))
                .await().atMost(TIMEOUT);
    }

    /** Drops a retired generation's tables and checkpoints; its registry row stays, as history. */
    public void drop(String projection, int generation) {
        pool.withTransaction(tx -> lock(tx, projection)
                        .chain(() -> tx.preparedQuery("SELECT status FROM projection_generation WHERE projection = $1 AND generation = $2")
                                .execute(Tuple.of(projection, generation)))
                        .chain(rows -> {
                            if (rows.size() == 0 || !"retired".equals(rows.iterator().next().getString("status"))) {
                                return Uni.createFrom().voidItem();
                            }
                            return function(tx, projection, "drop", generation)
                                    .chain(() -> tx.preparedQuery("DELETE FROM projection_checkpoint WHERE projection = $1 AND version = $2")
                                            .execute(Tuple.of(projection, generation)))
                                    .replaceWithVoid();
                        }))
                .await().atMost(TIMEOUT);
    }

    private static Uni<Void> lock(SqlConnection tx, String projection) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('rollcall.generation.' || $1))")
                .execute(Tuple.of(projection)).replaceWithVoid();
    }

    private static Uni<Integer> next(SqlConnection tx, String projection) {
        return tx.preparedQuery("SELECT coalesce(max(generation), 0) + 1 AS g FROM projection_generation WHERE projection = $1")
                .execute(Tuple.of(projection)).map(rows -> rows.iterator().next().getInteger("g"));
    }

    private static Uni<Void> create(SqlConnection tx, String projection, int g, boolean bulkLoad) {
        Uni<Void> created = function(tx, projection, "create", g);
        return bulkLoad ? created.chain(() -> function(tx, projection, "load", g)) : created;
    }

    /**
     * Whether generation {@code g} still loads in bulk, read under a row lock held to the end of the caller's
     * transaction: shared for a batch that stores rows ({@code exclusive} false), exclusive for the one that
     * ends the load, so that no batch stores unfolded rows once it has (nor while it runs).
     */
    public static Uni<Boolean> loading(SqlConnection tx, String projection, int g, boolean exclusive) {
        return tx.preparedQuery("SELECT loading FROM projection_generation WHERE projection = $1 AND generation = $2 FOR "
                        + (exclusive ? "UPDATE" : "SHARE"))
                .execute(Tuple.of(projection, g))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("loading"));
    }

    /** Ends a bulk load, in the transaction that folded what it loaded (and holds the row lock of {@link #loading}). */
    public static Uni<Void> loaded(SqlConnection tx, String projection, int g) {
        return tx.preparedQuery("UPDATE projection_generation SET loading = false WHERE projection = $1 AND generation = $2")
                .execute(Tuple.of(projection, g)).replaceWithVoid();
    }

    private static Uni<Void> function(SqlConnection tx, String projection, String action, int g) {
        // the name is ours (a constant projection name), never input: see ProjectionAdminResource
        String fn = "rollcall_" + projection.replace('-', '_') + "_" + action;
        return tx.preparedQuery("SELECT " + fn + "($1)").execute(Tuple.of(g)).replaceWithVoid();
    }

    private static Uni<Generation> insert(SqlConnection tx, String projection, int g, String status, int codeVersion, String rules,
                                          boolean loading) {
        return tx.preparedQuery("INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at, loading) "
                        + "VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'live' THEN now() END, $6) RETURNING *")
                .execute(Tuple.of(projection, g, status, codeVersion, rules, loading))
                .map(rows -> generation(rows.iterator().next()));
    }

    private static Generation generation(Row r) {
        return new Generation(r.getString("projection"), r.getInteger("generation"),
                Generation.Status.fromWire(r.getString("status")), r.getInteger("code_version"), r.getString("rules"),
                instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("live_at")),
                instant(r.getOffsetDateTime("retired_at")), r.getBoolean("loading"));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
