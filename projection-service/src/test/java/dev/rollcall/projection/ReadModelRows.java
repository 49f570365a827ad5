package dev.rollcall.projection;

import dev.rollcall.testsupport.Postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

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
}
