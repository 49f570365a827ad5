package dev.rollcall.projection.workstation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One user's working on one site-local day: the intervals that started that day, whole, even when they end
 * after midnight.
 *
 * @param firstWork the start of the day's first interval
 * @param lastWork  the end of its last interval
 */
public record WorkingDay(LocalDate date, Duration working, int realWorkBlocks, Instant firstWork, Instant lastWork) {

    public static LocalDate dayOf(WorkingInterval interval, ZoneId zone) {
        return interval.start().atZone(zone).toLocalDate();
    }

    /** The days these intervals make, by the site's rules. Days without an interval are absent. */
    public static SortedMap<LocalDate, WorkingDay> of(Collection<WorkingInterval> intervals, WorkRules rules) {
        SortedMap<LocalDate, WorkingDay> days = new TreeMap<>();
        for (WorkingInterval i : intervals) {
            WorkingDay one = new WorkingDay(dayOf(i, rules.zone()), i.length(), rules.realWorkBlocks(i), i.start(), i.end());
            days.merge(one.date(), one, WorkingDay::plus);
        }
        return days;
    }

    private WorkingDay plus(WorkingDay o) {
        return new WorkingDay(date, working.plus(o.working), realWorkBlocks + o.realWorkBlocks,
                firstWork.isBefore(o.firstWork) ? firstWork : o.firstWork,
                lastWork.isAfter(o.lastWork) ? lastWork : o.lastWork);
    }
}
