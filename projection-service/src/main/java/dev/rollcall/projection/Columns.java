package dev.rollcall.projection;

import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Rows gathered as columns, for one {@code INSERT … SELECT * FROM unnest($1::…[], $2::…[], …)} instead of an INSERT per
 * row: PostgreSQL parses, plans and executes one statement, and the client encodes one message.
 */
final class Columns {

    private final List<List<Object>> columns;

    Columns(int width) {
        columns = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            columns.add(new ArrayList<>());
        }
    }

    /** One row: a value per column, in order (null for SQL's NULL). */
    void add(Object... row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + columns.size() + " columns");
        }
        for (int i = 0; i < row.length; i++) {
            columns.get(i).add(row[i]);
        }
    }

    boolean isEmpty() {
        return columns.getFirst().isEmpty();
    }

    /** The columns as the statement's parameters, each an array of the type {@code arrays} makes (one per column). */
    @SafeVarargs
    final Tuple tuple(IntFunction<? extends Object[]>... arrays) {
        if (arrays.length != columns.size()) {
            throw new IllegalArgumentException(arrays.length + " array types for " + columns.size() + " columns");
        }
        Tuple t = Tuple.tuple();
        for (int i = 0; i < arrays.length; i++) {
            t.addValue(columns.get(i).toArray(arrays[i].apply(0)));
        }
        return t;
    }
}
