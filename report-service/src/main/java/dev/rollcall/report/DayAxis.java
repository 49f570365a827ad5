package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The x axis of a day's timeline: a site-local day from its midnight to the next, positioned by real elapsed
 * time. A day on which the clocks change is 23 or 25 hours long, so its hour marks are spaced evenly but
 * labelled with the local hour: 00 01 03 04 … in spring, 00 01 02 02 03 … in autumn.
 */
public record DayAxis(LocalDate date, ZoneId zone, Instant start, Instant end) {

    public static DayAxis of(LocalDate date, ZoneId zone) {
        return new DayAxis(date, zone, date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    /** Where {@code t} falls, in percent of the day's width, clamped to the day. */
    public double percentAt(Instant t) {
        if (!t.isAfter(start)) {
            return 0;
        }
        if (!t.isBefore(end)) {
            return 100;
        }
        return 100.0 * Duration.between(start, t).toMillis() / length().toMillis();
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** A mark at every local full hour of the day and one at its end (labelled 24). */
    public List<HourTick> ticks() {
        List<HourTick> ticks = new ArrayList<>();
        ZonedDateTime t = start.atZone(zone);
        if (t.getMinute() != 0 || t.getSecond() != 0) {
            t = t.withMinute(0).withSecond(0).withNano(0).plusHours(1);
        }
        for (; t.toInstant().isBefore(end); t = t.plusHours(1)) { // plusHours moves on the instant time-line
            ticks.add(HourTick.at(percentAt(t.toInstant()), t.getHour()));
        }
        ticks.add(HourTick.at(100, 24));
        return ticks;
    }

    /** A mark on the axis at a local full hour. Every third hour is labelled, every sixth even on a phone. */
    public record HourTick(double percent, int hour, boolean labelled, boolean major) {

        static HourTick at(double percent, int hour) {
            return new HourTick(percent, hour, hour % 3 == 0, hour % 6 == 0);
        }

        public String label() {
            return hour < 10 ? "0" + hour : Integer.toString(hour);
        }
    }
}
