package dev.rollcall.projection;

import dev.rollcall.testsupport.Postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads rows as {@code a|b|c} strings (instants in ISO form, nulls as {@code null}), for compact assertions. */
final class ReadModelRows {

    private ReadModelRows() {
    }

    static List<String> rows(String sql, Object... args) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringJoiner row = new StringJoiner("|");
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Timestamp t ? t.toInstant().toString() : String.valueOf(v));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        }
    }

    static long count(String sql, Object... args) throws Exception {
        return Long.parseLong(rows(sql, args).getFirst());
    }

    /**
     * Each table (a generation's, named {@code <prefix><g>}) holds rows in generation {@code g}, and the same rows in
     * {@code g} as in {@code other}, both ways.
     */
    static void assertSameRows(List<String> prefixes, int g, int other, String what) throws Exception {
        for (String table : prefixes) {
            assertThat(count("SELECT count(*) FROM " + table + g)).as("%s: %s has rows", what, table).isPositive();
            assertThat(count("SELECT count(*) FROM (SELECT * FROM " + table + g + " EXCEPT SELECT * FROM " + table + other + ") d"))
                    .as("%s: %s of generation %d, minus %d", what, table, g, other).isZero();
            assertThat(count("SELECT count(*) FROM (SELECT * FROM " + table + other + " EXCEPT SELECT * FROM " + table + g + ") d"))
                    .as("%s: %s of generation %d, minus %d", what, table, other, g).isZero();
        }
    }
}
