package dev.rollcall.report;

import java.time.Instant;
import java.util.List;

/**
 * The geometry of one user's day: where each working interval sits on the {@link DayAxis}, in percent of its
 * width, so that the SVG scales to any screen without distorting its text.
 */
public record Timeline(DayAxis axis, List<Bar> bars, boolean showsNow, double nowPercent) {

    /** Narrower than this a bar would vanish; a one-minute interval should still be visible. */
    static final double MIN_WIDTH = 0.25;

    public static Timeline of(DayAxis axis, List<ReportedInterval> intervals, Instant now) {
        List<Bar> bars = intervals.stream().map(i -> Bar.of(axis, i)).toList();
        return new Timeline(axis, bars, axis.contains(now), axis.percentAt(now));
    }

    public List<DayAxis.HourTick> ticks() {
        return axis.ticks();
    }

    /**
     * One interval. It belongs to the day it started, so it never starts before the axis; one that ends after
     * the next midnight is clipped at the right edge and says so.
     */
    public record Bar(ReportedInterval interval, double x, double width, boolean continuesNextDay) {

        static Bar of(DayAxis axis, ReportedInterval i) {
            double x = axis.percentAt(i.start());
            double width = Math.max(axis.percentAt(i.end()) - x, MIN_WIDTH);
            if (x + width > 100) {
                x = 100 - width;
            }
            return new Bar(i, x, width, i.end().isAfter(axis.end()));
        }

        public boolean running() {
            return interval.running();
        }

        public double endPercent() {
            return x + width;
        }

        /** Near the right edge the label goes before the bar's end, elsewhere after it. */
        public boolean labelBeforeEnd() {
            return endPercent() > 85;
        }
    }
}
