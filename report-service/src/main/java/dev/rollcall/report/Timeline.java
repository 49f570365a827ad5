package dev.rollcall.report;

import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The geometry of one row of a day: where each span (a working interval, a presence session) sits on the
 * {@link DayAxis}, in percent of its width, so that the SVG scales to any screen without distorting its text.
 * It also carries the words the SVG says: a title per bar and a description for screen readers.
 */
public record Timeline(DayAxis axis, List<Bar> bars, boolean showsNow, double nowPercent, Words words,
                       String description, List<Unknown> unknown) {

    /** Narrower than this a bar would vanish; a one-minute interval should still be visible. */
    static final double MIN_WIDTH = 0.25;

    /**
     * What the spans are: {@code activity} starts the description ("working 08:00–09:15"), {@code running}
     * labels a span that goes on now, {@code none} describes a row without spans.
     */
    public record Words(String activity, String running, String none) {

        public static final Words WORKING = new Words("working", "running", "no working interval");
        public static final Words PRESENT = new Words("present", "present", "not present");
    }

    public static Timeline of(DayAxis axis, List<? extends TimeSpan> spans, Instant now, Words words) {
        return of(axis, spans, now, words, s -> "");
    }

    /**
     * @param detail what a bar's title adds after the span's times and length, e.g. {@code " · 2 real work hours"}
     */
    public static <T extends TimeSpan> Timeline of(DayAxis axis, List<? extends T> spans, Instant now, Words words,
                                                   Function<T, String> detail) {
        List<Bar> bars = spans.stream().map(s -> Bar.of(axis, s, words, detail.apply(s))).toList();
        return new Timeline(axis, bars, axis.contains(now), axis.percentAt(now), words, describe(axis, bars, words), List.of());
    }

    /**
     * The same row with the stretches in which presence was not observed (a presence agent down), drawn apart from
     * the bars so that nobody reads them as absence.
     *
     * @param downtimes within the axis, an ongoing one ending {@code now} ({@link Coverage#presenceUnknownWithin})
     */
    public Timeline withUnknown(List<AgentDowntime> downtimes, Instant now) {
        if (downtimes.isEmpty()) {
            return this;
        }
        List<Unknown> stretches = downtimes.stream().map(d -> Unknown.of(axis, d, now)).toList();
        StringJoiner s = new StringJoiner(", ", description + "; unknown ", "");
        stretches.forEach(u -> s.add(u.times()));
        return new Timeline(axis, bars, showsNow, nowPercent, words, s.toString(), stretches);
    }

    public List<DayAxis.HourTick> ticks() {
        return axis.ticks();
    }

    /** What the timeline says to a screen reader: {@code working 08:00–09:15, 10:00–now (running)}. */
    private static String describe(DayAxis axis, List<Bar> bars, Words words) {
        if (bars.isEmpty()) {
            return words.none();
        }
        StringJoiner s = new StringJoiner(", ", words.activity() + " ", "");
        for (Bar b : bars) {
            s.add(TimeExtensions.hhmm(b.span().start(), axis.zone()) + "–" + (b.running() ? "now (" + words.running() + ")"
                    : TimeExtensions.hhmm(b.span().end(), axis.zone()) + (b.continuesNextDay() ? " the next day" : "")
                    + (b.span().unknownAfter() ? " (then unknown)" : "")));
        }
        return s.toString();
    }

    /**
     * One span. It belongs to the day it started, so it never starts before the axis; one that ends after
     * the next midnight is clipped at the right edge and says so.
     */
    public record Bar(TimeSpan span, double x, double width, boolean continuesNextDay, String title) {

        static Bar of(DayAxis axis, TimeSpan s, Words words, String detail) {
            double x = axis.percentAt(s.start());
            double width = Math.max(axis.percentAt(s.end()) - x, MIN_WIDTH);
            if (x + width > 100) {
                x = 100 - width;
            }
            boolean continues = s.end().isAfter(axis.end());
            String title = TimeExtensions.hhmm(s.start(), axis.zone()) + "–"
                    + (s.running() ? "now, " + words.running()
                    : TimeExtensions.hhmm(s.end(), axis.zone()) + (continues ? " the next day" : ""))
                    + " · " + TimeExtensions.hm(s.seconds()) + detail
                    + (s.unknownAfter() ? " · then unknown: the agent fell silent" : "");
            return new Bar(s, x, width, continues, title);
        }

        public boolean running() {
            return span.running();
        }

        public double endPercent() {
            return x + width;
        }

        /** Near the right edge the label goes before the bar's end, elsewhere after it. */
        public boolean labelBeforeEnd() {
            return endPercent() > 85;
        }
    }

    /** A stretch in which presence is unknown: an agent was down ({@code ongoing}: still is, up to now). */
    public record Unknown(double x, double width, String times, String title) {

        static Unknown of(DayAxis axis, AgentDowntime d, Instant now) {
            double x = axis.percentAt(d.start());
            double width = Math.max(axis.percentAt(d.end()) - x, MIN_WIDTH);
            if (x + width > 100) {
                x = 100 - width;
            }
            String times = TimeExtensions.hhmm(d.start(), axis.zone()) + "–"
                    + (d.end().equals(now) ? "now" : TimeExtensions.hhmm(d.end(), axis.zone()));
            return new Unknown(x, width, times, "unknown " + times + ": agent " + d.agentId() + " was not observing");
        }
    }
}
