package dev.rollcall.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the workstation tables that projection-service writes. */
@ApplicationScoped
public class WorkstationReadModel {

    private final Pool pool;

    public WorkstationReadModel(Pool pool) {
        this.pool = pool;
    }

    public Uni<WorkstationReport> day(String site, LocalDate date, ZoneId zone, Instant now) {
        Uni<Map<String, Summary>> summaries = pool.preparedQuery(
                        "SELECT username, reports, first_at, last_at, last_state FROM workstation_user_day "
                                + "WHERE site = $1 AND local_date = $2 ORDER BY lower(username), username")
                .execute(Tuple.of(site, date))
                .map(rows -> {
                    Map<String, Summary> m = new LinkedHashMap<>();
                    for (Row r : rows) {
                        m.put(r.getString("username"), new Summary(r.getInteger("reports"),
                                r.getOffsetDateTime("first_at").toInstant(), r.getOffsetDateTime("last_at").toInstant(),
                                r.getString("last_state")));
                    }
                    return m;
                });
        Uni<Map<String, List<WorkstationReport.StateChange>>> reports = pool.preparedQuery(
                        "SELECT username, occurred_at, state FROM workstation_event "
                                + "WHERE site = $1 AND local_date = $2 ORDER BY username, occurred_at, state")
                .execute(Tuple.of(site, date))
                .map(rows -> {
                    Map<String, List<WorkstationReport.StateChange>> m = new LinkedHashMap<>();
                    for (Row r : rows) {
                        m.computeIfAbsent(r.getString("username"), k -> new ArrayList<>())
                                .add(new WorkstationReport.StateChange(r.getOffsetDateTime("occurred_at").toInstant(),
                                        r.getString("state")));
                    }
                    return m;
                });
        return Uni.combine().all().unis(summaries, reports).asTuple().map(t -> {
            List<WorkstationReport.UserActivity> users = new ArrayList<>();
            t.getItem1().forEach((user, s) -> users.add(new WorkstationReport.UserActivity(user, s.lastState(),
                    s.firstAt(), s.lastAt(), s.reports(), StateChanges.of(t.getItem2().getOrDefault(user, List.of())))));
            return new WorkstationReport(site, date, zone, now, users);
        });
    }

    private record Summary(int reports, Instant firstAt, Instant lastAt, String lastState) {
    }
}
