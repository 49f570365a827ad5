package dev.rollcall.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Rows × the days of a range, behind every week and month page: one cell per row and day (null where the row
 * has nothing that day), a sum per row and per day. What a row is (a user, an employee) and what a cell holds
 * is the caller's; the grid sums two numbers of each cell, {@code seconds} and {@code count}.
 *
 * @param rows      in the caller's order
 * @param dayTotals one per day, in day order
 */
public record DayGrid<R, C>(List<LocalDate> days, List<Row<R, C>> rows, List<Sum> dayTotals, Sum total) {

    /** A row's header (e.g. a username), its cells in day order, and their sum. */
    public record Row<R, C>(R header, List<C> cells, Sum total) {
    }

    /** The sum over some cells: their seconds, their counts, and how many cells there were. */
    public record Sum(long seconds, long count, int cells) {

        static final Sum ZERO = new Sum(0, 0, 0);

        Sum plus(long s, long c) {
            return new Sum(seconds + s, count + c, cells + 1);
        }

        Sum plus(Sum o) {
            return new Sum(seconds + o.seconds, count + o.count, cells + o.cells);
        }
    }

    /**
     * @param items   anything with a row and a date; those outside the range are left out, and a later item of
     *                the same row and day replaces an earlier one
     * @param row     the row an item belongs to (equal headers share a row)
     * @param cell    what an item shows
     * @param order   the order of the rows
     */
    public static <T, R, C> DayGrid<R, C> of(ReportRange range, Collection<T> items, Function<T, R> row,
                                             Function<T, LocalDate> date, Function<T, C> cell,
                                             ToLongFunction<C> seconds, ToLongFunction<C> count, Comparator<R> order) {
        List<LocalDate> days = range.days();
        Map<R, List<C>> cells = new LinkedHashMap<>();
        for (T item : items) {
            LocalDate d = date.apply(item);
            if (range.contains(d)) {
                cells.computeIfAbsent(row.apply(item), r -> Arrays.asList(newRow(days.size())))
                        .set((int) (d.toEpochDay() - range.from().toEpochDay()), cell.apply(item));
            }
        }
        List<Row<R, C>> rows = new ArrayList<>();
        Sum[] byDay = new Sum[days.size()];
        Arrays.fill(byDay, Sum.ZERO);
        Sum total = Sum.ZERO;
        for (Map.Entry<R, List<C>> e : cells.entrySet()) {
            Sum rowSum = Sum.ZERO;
            for (int i = 0; i < days.size(); i++) {
                C c = e.getValue().get(i);
                if (c != null) {
                    rowSum = rowSum.plus(seconds.applyAsLong(c), count.applyAsLong(c));
                    byDay[i] = byDay[i].plus(seconds.applyAsLong(c), count.applyAsLong(c));
                }
            }
            rows.add(new Row<>(e.getKey(), e.getValue(), rowSum));
            total = total.plus(rowSum);
        }
        rows.sort(Comparator.comparing(Row::header, order));
        return new DayGrid<>(days, List.copyOf(rows), List.of(byDay), total);
    }

    @SuppressWarnings("unchecked")
    private static <C> C[] newRow(int days) {
        return (C[]) new Object[days];
    }
}
