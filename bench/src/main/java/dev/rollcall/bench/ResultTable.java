package dev.rollcall.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table {@code make bench} prints: Markdown, so it can go into the README as it is. */
final class ResultTable {

    private record Row(String figure, String rollcall, String kafka, Goal goal) {
    }

    private final List<String> heading = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    ResultTable heading(String line) {
        heading.add(line);
        return this;
    }

    ResultTable row(String figure, String rollcall, String kafka, Goal goal) {
        rows.add(new Row(figure, rollcall, kafka, goal));
        return this;
    }

    ResultTable note(String line) {
        notes.add(line);
        return this;
    }

    String render() {
        StringBuilder s = new StringBuilder();
        heading.forEach(h -> s.append(h).append("\n"));
        s.append("\n| figure | Rollcall | Kafka's own, same broker and run | goal (issue 8) | |\n");
        s.append("|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append("| ").append(String.join(" | ", cell(r.figure()), cell(r.rollcall()), cell(r.kafka()),
                    cell(r.goal().text()), cell(r.goal().verdictText()))).append(" |\n");
        }
        if (!notes.isEmpty()) {
            s.append("\n");
            notes.forEach(n -> s.append("- ").append(n).append("\n"));
        }
        return s.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f ev/s", perSecond);
    }

    static String millis(double ms) {
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
