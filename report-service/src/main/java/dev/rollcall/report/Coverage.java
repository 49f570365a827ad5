package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a report's period was watched: the downtimes of the site's agents that overlap it (for the warning
 * banner), and the local dates on which presence is unknown for part of the day because a presence (network)
 * agent was down: those days are <em>incomplete</em>, never short. Evaluated when the report is made, against the
 * clock, like agent health: an agent silent now makes today incomplete from its last heartbeat.
 *
 * @param presenceUnknownSince null: the site's presence agents are observing now; else the moment presence stopped
 *                             being known (the start of the earliest presence downtime going on now, its agent's last
 *                             heartbeat), whatever period the report shows: an open session is counted up to it
 */
public record Coverage(List<AgentDowntime> downtimes, List<LocalDate> incompleteDates, Instant presenceUnknownSince) {

    public static final Coverage NONE = new Coverage(List.of(), List.of(), null);

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
        // from all of them: an open session of an earlier period runs into today's silence too
        Instant unknownSince = downAt(all, now).stream().map(AgentDowntime::start).min(Comparator.naturalOrder()).orElse(null);
        return new Coverage(overlapping, List.copyOf(incomplete), unknownSince);
    }

    /**
     * Up to when presence is known at {@code now}: {@code now} while the presence agents observe, else
     * {@link #presenceUnknownSince}. Every report counts an open session up to this moment, never beyond it.
     */
    public Instant presenceKnownUntil(Instant now) {
        return presenceUnknownSince == null || presenceUnknownSince.isAfter(now) ? now : presenceUnknownSince;
    }

    /** Whether presence is unknown now (a presence agent is silent): nobody is present or absent. */
    public boolean presenceUnknown() {
        return presenceUnknownSince != null;
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
        return downAt(downtimes, now);
    }

    private static List<AgentDowntime> downAt(List<AgentDowntime> downtimes, Instant now) {
        return downtimes.stream()
                .filter(d -> d.presence() && !d.start().isAfter(now) && (d.end() == null || d.end().isAfter(now)))
                .toList();
    }

    /**
     * The presence downtimes overlapping [{@code from}, {@code to}), clipped to it, an ongoing one up to {@code now}:
     * the stretches a timeline draws as unknown.
     */
    public List<AgentDowntime> presenceUnknownWithin(Instant from, Instant to, Instant now) {
        Instant until = to.isBefore(now) ? to : now;
        return downtimes.stream().filter(d -> d.presence() && d.overlaps(from, until))
                .map(d -> new AgentDowntime(d.agentId(), d.start().isBefore(from) ? from : d.start(),
                        d.end() == null || d.end().isAfter(until) ? until : d.end(), d.cause(), true))
                .toList();
    }

    /** Whether any downtime overlaps the period (the banner shows). */
    public boolean gaps() {
        return !downtimes.isEmpty();
    }
}
