package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationStateChanged;

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
}
