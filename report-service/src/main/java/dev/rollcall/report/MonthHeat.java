package dev.rollcall.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Month heatmaps: time on a day as one of five shades, so a month reads at a glance and still prints. The steps
 * are whole hours, the same for presence and working time: under 2 h, 2–4 h, 4–6 h, 6–8 h, 8 h or more. The
 * exact h:mm stays written in every cell; the shade only helps the eye.
 * <p>
 * {@link Calendar} lays one employee's month out as a calendar (a row per ISO week, a column per weekday) for a
 * small server-rendered SVG.
 */
public final class MonthHeat {

    /** The upper bounds, in hours, of shades 1 to 4; shade 5 is everything from the last one up. */
    static final int[] STEP_HOURS = {2, 4, 6, 8};

    /** One shade of the legend: its level and what it stands for. */
    public record Step(int level, String label) {
    }

    public static final List<Step> STEPS = List.of(
            new Step(1, "under 2 h"), new Step(2, "2–4 h"), new Step(3, "4–6 h"), new Step(4, "6–8 h"), new Step(5, "8 h or more"));

    private MonthHeat() {
    }

    /** The legend's shades, for templates: {@code heat:steps}. */
    @io.quarkus.qute.TemplateExtension(namespace = "heat")
    static List<Step> steps() {
        return STEPS;
    }

    /** 0 for no time at all, else 1 to 5. */
    static int level(long seconds) {
        if (seconds <= 0) {
            return 0;
        }
        for (int i = 0; i < STEP_HOURS.length; i++) {
            if (seconds < STEP_HOURS[i] * 3600L) {
                return i + 1;
            }
        }
        return STEP_HOURS.length + 1;
    }

    /** The CSS class of a shade: {@code heat-0} … {@code heat-5}. */
    static String cssClass(long seconds) {
        return "heat-" + level(seconds);
    }

    /**
     * A month as a calendar. {@code x} and {@code y} are the cell's column (Monday 0) and row (the month's first
     * week 0); {@code unknown}: not seen on a day a presence agent was down, so presence is unknown, not absent;
     * {@code incomplete}: seen on such a day, so the hours are what was observed, not the whole day.
     */
    public record Calendar(String title, List<Day> days, int weeks) {

        public record Day(LocalDate date, int x, int y, long seconds, int level, boolean unknown, boolean incomplete,
                          boolean today) {

            /** The cell's top-left corner in the SVG. */
            public int left() {
                return x * (CELL + GAP);
            }

            public int top() {
                return HEAD + y * (CELL + GAP);
            }

            public int centre() {
                return left() + CELL / 2;
            }
        }

        /** Cell size and gap in the SVG's own units; the SVG scales to its box. */
        static final int CELL = 40;
        static final int GAP = 4;
        static final int HEAD = 16;

        public int width() {
            return 7 * (CELL + GAP) - GAP;
        }

        public int height() {
            return HEAD + weeks * (CELL + GAP) - GAP;
        }

        /** A column's head: the weekday's initial, centred over its column. */
        public record Head(String label, int x) {
        }

        public List<Head> heads() {
            List<Head> heads = new ArrayList<>();
            String initials = "MTWTFSS";
            for (int i = 0; i < 7; i++) {
                heads.add(new Head(initials.substring(i, i + 1), i * (CELL + GAP) + CELL / 2));
            }
            return heads;
        }

        /**
         * The calendar of {@code range} (a month): each day with the seconds {@code row} gives it (0 when the
         * employee was not seen), marked unknown where {@code coverage} makes an unseen day incomplete.
         */
        static Calendar of(String title, ReportRange range, PresenceMonth.EmployeeRow row, Coverage coverage, LocalDate today) {
            java.util.Map<LocalDate, Long> seconds = new java.util.HashMap<>();
            if (row != null) {
                row.days().stream().filter(java.util.Objects::nonNull).forEach(c -> seconds.put(c.date(), c.presentSeconds()));
            }
            List<Day> days = new ArrayList<>();
            int offset = range.from().getDayOfWeek().getValue() - 1;
            int weeks = 0;
            for (LocalDate d = range.from(); !d.isAfter(range.to()); d = d.plusDays(1)) {
                int index = offset + (int) java.time.temporal.ChronoUnit.DAYS.between(range.from(), d);
                long s = seconds.getOrDefault(d, 0L);
                boolean seen = seconds.containsKey(d);
                days.add(new Day(d, index % 7, index / 7, s, seen ? Math.max(1, level(s)) : 0,
                        !seen && coverage.incompleteOn(d), seen && coverage.incompleteOn(d), d.equals(today)));
                weeks = index / 7 + 1;
            }
            return new Calendar(title, days, weeks);
        }
    }
}
