package dev.rollcall.report;

import jakarta.ws.rs.core.Response;

/**
 * A table as RFC 4180 CSV (CRLF line ends, fields quoted when they need it), for every download of the pages.
 * A field that a spreadsheet would read as a formula gets a leading {@code '}: a name like
 * {@code =HYPERLINK(…)} stays text.
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv; charset=UTF-8";

    private final StringBuilder text = new StringBuilder();

    private Csv() {
    }

    /** A table with this header row. */
    static Csv withHeader(Object... columns) {
        return new Csv().row(columns);
    }

    /** One row; null is an empty field, anything else its {@code toString()}. */
    Csv row(Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(fields[i] == null ? "" : field(fields[i].toString()));
        }
        text.append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /**
     * The table as a download. The caller builds the name from site ids ({@code [a-z0-9-]}) and range labels
     * ({@code [0-9W_-]}): nothing in it needs quoting.
     */
    Response download(String fileName) {
        return Response.ok(toString(), MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    static String field(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
