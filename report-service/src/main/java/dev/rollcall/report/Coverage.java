package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a report's period was watched: the downtimes of the site's agents that overlap it (for the warning
 * banner), and the local dates on which presence is unknown for part of the day because a presence (network)
 * agent was down: those days are <em>incomplete</em>, never short. Evaluated when the report is made, against the
 * clock, like agent health: an agent silent now makes today incomplete from its last heartbeat.
 */
public record Coverage(List<AgentDowntime> downtimes, List<LocalDate> incompleteDates) {

    public static final Coverage NONE = new Coverage(List.of(), List.of());

    /** The downtimes that overlap the local dates {@code first}..{@code last}, and the dates a presence agent's touches. */
    static Coverage of(List<AgentDowntime> all, LocalDate first, LocalDate last, ZoneId zone, Instant now) {
        Instant from = first.atStartOfDay(zone).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(zone).toInstant();
        List<AgentDowntime> overlapping = all.stream().filter(d -> d.overlaps(from, to)).toList();
        List<LocalDate> incomplete = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            Instant a = d.atStartOfDay(zone).toInstant();
            Instant b = d.plusDays(1).atStartOfDay(zone).toInstant();
            Instant end = b.isBefore(now) ? b : now; // an ongoing downtime makes no future day unknown yet
            if (a.isBefore(end) && overlapping.stream().anyMatch(x -> x.presence() && x.overlaps(a, end))) {
                incomplete.add(d);
            }
        }
        return new Coverage(overlapping, List.copyOf(incomplete));
    }

    public boolean isIncomplete() {
        return !incompleteDates.isEmpty();
    }

    public boolean incompleteOn(LocalDate date) {
        return incompleteDates.contains(date);
    }

    /**
     * The ongoing downtimes of presence agents at {@code now} (an agent silent now, or an outage reported to last
     * beyond it): while there is one, presence now is unknown.
     */
    public List<AgentDowntime> presenceDownAt(Instant now) {
        return downtimes.stream()
                .filter(d -> d.presence() && !d.start().isAfter(now) && (d.end() == null || d.end().isAfter(now)))
                .toList();
    }

    /** Whether any downtime overlaps the period (the banner shows). */
    public boolean gaps() {
        return !downtimes.isEmpty();
    }
}
