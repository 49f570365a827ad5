package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.projection.workstation.StateReport;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.UUID;

/**
 * One workstation report as the read model stores it: its time in microseconds, as PostgreSQL keeps it, so that a
 * report in memory and the same report read back are equal. Pure: the local day comes from the event's time and the
 * site's zone, never from a clock. The host and the event's source are not kept: no page needs them.
 */
public record WorkstationEventRow(UUID eventId, String site, String username, String state, OffsetDateTime occurredAt,
                                  LocalDate localDate) {

    public static WorkstationEventRow of(EventEnvelope e, WorkstationStateChanged w, ZoneId siteZone) {
        return new WorkstationEventRow(e.id(), e.site(), w.user(), w.state().wire(), stored(e.time()),
                localDate(e.time(), siteZone.getRules()));
    }

    /** A time as PostgreSQL stores it: in microseconds, at UTC. */
    public static OffsetDateTime stored(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** The local date of an instant in a zone (as {@code t.atZone(zone).toLocalDate()}, without the date-time in between). */
    public static LocalDate localDate(Instant t, ZoneRules zone) {
        return LocalDate.ofEpochDay(Math.floorDiv(t.getEpochSecond() + zone.getOffset(t).getTotalSeconds(), 86_400L));
    }

    /** The timeline a report belongs to: intervals are folded per site and user. */
    public UserTimeline timeline() {
        return new UserTimeline(site, username);
    }

    public record UserTimeline(String site, String username) {
    }

    public StateReport asReport() {
        return new StateReport(eventId, occurredAt.toInstant(), WorkstationState.fromWire(state));
    }
}
