package dev.rollcall.projection.workstation;

import dev.rollcall.events.WorkstationState;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * One workstation report of one user, as the fold sees it.
 *
 * <p>{@link #ORDER} is the one order the fold reads reports in, whatever order they arrived in: by time, then
 * {@code working} before {@code stopped} (a start and a stop at the same instant make nothing), then by id.
 */
public record StateReport(UUID id, Instant at, WorkstationState state) {

    public static final Comparator<StateReport> ORDER = Comparator.comparing(StateReport::at)
            .thenComparing(r -> r.state() == WorkstationState.STOPPED)
            .thenComparing(StateReport::id);

    public StateReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
    }

    public boolean working() {
        return state == WorkstationState.WORKING;
    }
}
