package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.projection.workstation.StateReport;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * One workstation report as the read model stores it. Pure: the local day comes from the event's time and
 * the site's zone, never from a clock.
 */
public record WorkstationEventRow(UUID eventId, String site, String username, String host, String state,
                                  OffsetDateTime occurredAt, LocalDate localDate, String source) {

    public static WorkstationEventRow of(EventEnvelope e, WorkstationStateChanged w, ZoneId siteZone) {
        return new WorkstationEventRow(e.id(), e.site(), w.user(), w.host(), w.state().wire(),
                e.time().atOffset(ZoneOffset.UTC), e.time().atZone(siteZone).toLocalDate(), e.source());
    }

    /** The timeline a report belongs to: intervals are folded per site and user. */
    public UserTimeline timeline() {
        return new UserTimeline(site, username);
    }

    public record UserTimeline(String site, String username) {
    }

    public StateReport asReport() {
        return new StateReport(eventId, occurredAt.toInstant(), dev.rollcall.events.WorkstationState.fromWire(state));
    }
}
