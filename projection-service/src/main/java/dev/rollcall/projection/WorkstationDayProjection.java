package dev.rollcall.projection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Folds workstation reports into {@code workstation_event} and {@code workstation_user_day}. A report whose
 * event id is already stored changes nothing, so a re-delivered event is counted once. The day row is a
 * commutative merge (count, least, greatest, latest state by event time): the result does not depend on the
 * order in which reports arrive.
 */
@ApplicationScoped
public class WorkstationDayProjection {

    public static final String NAME = "workstation-day";
    public static final int VERSION = 1;

    static final String FOLD = """
            WITH inserted AS (
                INSERT INTO workstation_event (event_id, site, username, host, state, occurred_at, local_date, source)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING site, local_date, username, occurred_at, state)
            INSERT INTO workstation_user_day AS d (site, local_date, username, reports, first_at, last_at, last_state)
            SELECT site, local_date, username, 1, occurred_at, occurred_at, state FROM inserted
            ON CONFLICT (site, local_date, username) DO UPDATE SET
                reports = d.reports + 1,
                first_at = LEAST(d.first_at, excluded.first_at),
                last_at = GREATEST(d.last_at, excluded.last_at),
                last_state = CASE
                    WHEN excluded.last_at > d.last_at THEN excluded.last_state
                    WHEN excluded.last_at = d.last_at THEN GREATEST(excluded.last_state, d.last_state)
                    ELSE d.last_state END
            """;

    /** Applies the rows in the caller's transaction; answers how many were new (the rest were duplicates). */
    public Uni<Integer> fold(SqlConnection tx, List<WorkstationEventRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> tuples = rows.stream().map(r -> Tuple.tuple()
                .addUUID(r.eventId()).addString(r.site()).addString(r.username()).addString(r.host())
                .addString(r.state()).addOffsetDateTime(r.occurredAt()).addLocalDate(r.localDate())
                .addString(r.source())).toList();
        return tx.preparedQuery(FOLD).executeBatch(tuples).map(WorkstationDayProjection::countRows);
    }

    private static int countRows(RowSet<?> first) {
        int n = 0;
        for (RowSet<?> rs = first; rs != null; rs = rs.next()) {
            n += rs.rowCount();
        }
        return n;
    }
}
