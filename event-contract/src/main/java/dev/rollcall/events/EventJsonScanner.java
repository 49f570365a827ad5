package dev.rollcall.events;

import dev.rollcall.events.EventFields.DataField;
import dev.rollcall.events.EventFields.LeftToTree;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads the plain JSON that {@link EventCodec#encode} writes straight from its bytes, with no parser in between: the
 * first and cheapest of the three ways {@link EventCodec#decode(byte[])} tries. It reads a strict subset of JSON and
 * leaves everything else to {@link EventJsonReader} (returns null), so it never has to decide what a rejection is or
 * how it reads. What it accepts:
 * <ul>
 *   <li>one object, optionally surrounded by JSON whitespace, and nothing after it;</li>
 *   <li>strings of printable ASCII (0x20 to 0x7e) and JSON's escapes ({@code \\}, {@code \"}, a backslash-u and
 *       four hex digits …), at most {@value #LONGEST_STRING} bytes; names likewise but without escapes (so a name's
 *       bytes are its characters and can be compared as they are);</li>
 *   <li>whole numbers that fit a long, with no fraction, exponent or leading zero;</li>
 *   <li>{@code true}, {@code false}, {@code null}; in data, arrays of such strings;</li>
 *   <li>objects only as the root and as {@code data}.</li>
 * </ul>
 * Within that subset Jackson reads exactly the same names and values, so the fields it finds are the ones {@link
 * EventJsonReader} would find, and both build the envelope with {@link EventFields#toEnvelope}. Duplicate keys: the
 * last one wins, as there.
 */
final class EventJsonScanner {

    static final int LONGEST_STRING = 10_000;
    /** Digits that always fit a long. */
    private static final int MOST_DIGITS = 18;

    private static final byte[] SPECVERSION = ascii("specversion");
    private static final byte[] ID = ascii("id");
    private static final byte[] TYPE = ascii("type");
    private static final byte[] TIME = ascii("time");
    private static final byte[] SITE = ascii("site");
    private static final byte[] DATA = ascii("data");
    private static final byte[] SOURCE = ascii("source");
    private static final byte[] SUBJECT = ascii("subject");
    /** The types' names as their constants, so a decoded type is that same string (its hash already known). */
    private static final String[] TYPES = {WorkstationStateChanged.TYPE, DeviceStateChanged.TYPE, AgentHeartbeat.TYPE,
            SiteConfigured.TYPE, EmployeeUpdated.TYPE, DeviceAssigned.TYPE, DeviceReleased.TYPE,
            PresenceHourReported.TYPE, AgentDowntimeReported.TYPE, AgentEnrolled.TYPE, AgentRevoked.TYPE,
            WorkstationSessionChanged.TYPE, RealNamesRevealed.TYPE};
    private static final byte[][] TYPE_BYTES = Arrays.stream(TYPES).map(EventJsonScanner::ascii).toArray(byte[][]::new);

    private final byte[] b;
    private int i;
    /** Whether the string read last had an escape in it. */
    private boolean escaped;
    /** The subject read last, and where its text lies; {@code subjectTo} -1 when there is none. */
    private String subject;
    private int subjectFrom;
    private int subjectTo = -1;

    private EventJsonScanner(byte[] json) {
        this.b = json;
    }

    /** The event in {@code json}, or null when it is left to the next way of decoding it. */
    static EventEnvelope read(byte[] json) {
        try {
            return new EventJsonScanner(json).envelope();
        } catch (RuntimeException e) {
            // LeftToTree, and the records' refusals: the next reader decides again.
            return null;
        }
    }

    private EventEnvelope envelope() {
        whitespace();
        EventFields f = new EventFields();
        members(f, null);
        whitespace();
        if (i != b.length) {
            throw LeftToTree.INSTANCE;
        }
        return f.toEnvelope();
    }

    private void attribute(EventFields f, int from, int to) {
        switch (to - from) {
            case 2 -> {
                if (named(from, to, ID)) {
                    f.uuid = at() == '"' ? uuid() : null;
                    f.id = f.uuid == null ? textOrNull() : null;
                    return;
                }
            }
            case 4 -> {
                if (named(from, to, TYPE)) {
                    f.type = type();
                    return;
                }
                if (named(from, to, TIME)) {
                    f.instant = at() == '"' ? instant() : null;
                    f.time = f.instant == null ? textOrNull() : null;
                    return;
                }
                if (named(from, to, SITE)) {
                    f.site = textOrNull();
                    return;
                }
                if (named(from, to, DATA)) {
                    members(null, f.newData());
                    return;
                }
            }
            case 6 -> {
                if (named(from, to, SOURCE)) {
                    f.source = textOrNull();
                    return;
                }
            }
            case 7 -> {
                if (named(from, to, SUBJECT)) {
                    subjectFrom = i + 1;
                    f.subject = textOrNull();
                    subject = f.subject;
                    subjectTo = subject == null ? -1 : i - 1;
                    return;
                }
            }
            case 11 -> {
                if (named(from, to, SPECVERSION)) {
                    f.spec = textOrNull();
                    return;
                }
            }
            default -> {
            }
        }
        scalar(); // a field nobody reads
    }

    private boolean named(int from, int to, byte[] name) {
        return Arrays.equals(b, from, to, name, 0, name.length);
    }

    /** The type's constant when it names a known type, else its text (which the envelope will not build). */
    private String type() {
        if (at() != '"') {
            return textOrNull();
        }
        int from = i + 1;
        int to = string();
        for (int t = 0; t < TYPES.length; t++) {
            if (Arrays.equals(b, from, to, TYPE_BYTES[t], 0, TYPE_BYTES[t].length)) {
                return TYPES[t];
            }
        }
        return text(from, to);
    }

    /**
     * The UUID in canonical form (36 characters, hex digits in either case, dashes at 8, 13, 18 and 23), read from
     * its bytes as {@code UUID.fromString} reads that form. Null, and nothing read, for any other text: that is read
     * as text and given to {@code UUID.fromString}, which also takes some shorter forms.
     */
    private UUID uuid() {
        int from = i + 1;
        if (from + 37 > b.length || b[from + 36] != '"'
                || b[from + 8] != '-' || b[from + 13] != '-' || b[from + 18] != '-' || b[from + 23] != '-') {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 36; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                continue;
            }
            int d = Character.digit(b[from + k], 16);
            if (d < 0) {
                return null;
            }
            if (k < 19) {
                high = high << 4 | d;
            } else {
                low = low << 4 | d;
            }
        }
        i = from + 37;
        return new UUID(high, low);
    }

    /** The instant in {@link IsoInstant}'s canonical form, read from its bytes; null, and nothing read, for any other text. */
    private Instant instant() {
        int save = i;
        int from = i + 1;
        int to = string();
        Instant t = escaped ? null : IsoInstant.parseCanonical(b, from, to);
        if (t == null) {
            i = save;
        }
        return t;
    }

    /**
     * An object: the envelope's members into {@code f}, or (with {@code values}) the data's into {@code values}.
     * One loop for both, without a callback: this is the hot path of a replay.
     */
    private void members(EventFields f, Object[] values) {
        expect('{');
        whitespace();
        if (at() != '}') {
            do {
                whitespace();
                int from = i + 1;
                int to = name();
                whitespace();
                expect(':');
                whitespace();
                if (values == null) {
                    attribute(f, from, to);
                } else {
                    dataField(values, from, to);
                }
                whitespace();
            } while (comma());
        }
        expect('}');
    }

    private void dataField(Object[] values, int from, int to) {
        DataField field = DataField.named(b, from, to);
        if (field == null) {
            scalar();
        } else if (field == DataField.USER && subjectTo >= 0 && at() == '"') {
            values[field.ordinal()] = sameAsSubject();
        } else {
            values[field.ordinal()] = at() == '[' ? strings() : scalar();
        }
    }

    /**
     * The user, the same text as the envelope's subject as a rule: when its bytes are the subject's bytes, so is its
     * text, and the subject's string is taken again instead of reading (and unescaping) it twice.
     */
    private String sameAsSubject() {
        int from = i + 1;
        int to = string();
        return Arrays.equals(b, from, to, b, subjectFrom, subjectTo) ? subject : text(from, to);
    }

    /** An envelope attribute: a string, or null for JSON null. */
    private String textOrNull() {
        Object v = scalar();
        if (v instanceof String s) {
            return s;
        }
        if (v == EventFields.NULL) {
            return null;
        }
        throw LeftToTree.INSTANCE;
    }

    /** A string, a long, a Boolean or {@link EventFields#NULL}. */
    private Object scalar() {
        return switch (at()) {
            case '"' -> {
                int from = i + 1;
                yield text(from, string());
            }
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", EventFields.NULL);
            default -> number();
        };
    }

    private String[] strings() {
        expect('[');
        whitespace();
        List<String> items = new ArrayList<>();
        if (at() != ']') {
            do {
                whitespace();
                if (at() != '"') {
                    throw LeftToTree.INSTANCE;
                }
                int from = i + 1;
                items.add(text(from, string()));
                whitespace();
            } while (comma());
        }
        expect(']');
        return items.toArray(String[]::new);
    }

    /** Reads past a string at {@code i}; returns where its text ends (its closing quote). */
    private int string() {
        expect('"');
        int from = i;
        int n = Math.min(b.length, from + LONGEST_STRING + 1);
        escaped = false;
        for (int j = from; j < n; j++) {
            byte c = b[j];
            if (c == '"') {
                i = j + 1;
                return j;
            }
            if (c < 0x20 || c > 0x7e) { // control, or not ASCII (a negative byte)
                throw LeftToTree.INSTANCE;
            }
            if (c == '\\') {
                escaped = true;
                j++; // an escaped quote does not end the string; text() checks the escape
            }
        }
        throw LeftToTree.INSTANCE;
    }

    /** A name: a string without escapes; returns where its text ends. */
    private int name() {
        int to = string();
        if (escaped) {
            throw LeftToTree.INSTANCE;
        }
        return to;
    }

    /** The text of the string read last, which lies in {@code b[from, to)}. */
    private String text(int from, int to) {
        return escaped ? unescaped(b, from, to) : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * The text of the string in {@code b[from, to)} (printable ASCII, as {@link #string} found it), its escapes read as
     * Jackson reads them: a backslash-u escape is its UTF-16 unit, even a lone surrogate. {@link LeftToTree} for an
     * escape JSON does not have.
     */
    static String unescaped(byte[] b, int from, int to) {
        char[] s = new char[to - from];
        int n = 0;
        for (int j = from; j < to; j++) {
            char c = (char) b[j];
            if (c != '\\') {
                s[n++] = c;
                continue;
            }
            char e = (char) b[++j];
            switch (e) {
                case '"', '\\', '/' -> s[n++] = e;
                case 'b' -> s[n++] = '\b';
                case 'f' -> s[n++] = '\f';
                case 'n' -> s[n++] = '\n';
                case 'r' -> s[n++] = '\r';
                case 't' -> s[n++] = '\t';
                case 'u' -> {
                    if (j + 4 >= to) {
                        throw LeftToTree.INSTANCE;
                    }
                    int unit = 0;
                    for (int k = 1; k <= 4; k++) {
                        int d = Character.digit(b[j + k], 16);
                        if (d < 0) {
                            throw LeftToTree.INSTANCE;
                        }
                        unit = unit * 16 + d;
                    }
                    s[n++] = (char) unit;
                    j += 4;
                }
                default -> throw LeftToTree.INSTANCE;
            }
        }
        return new String(s, 0, n);
    }

    private Object literal(String word, Object value) {
        int n = word.length();
        if (i + n > b.length) {
            throw LeftToTree.INSTANCE;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                throw LeftToTree.INSTANCE;
            }
        }
        i += n;
        endOfValue();
        return value;
    }

    private Long number() {
        boolean negative = at() == '-';
        if (negative) {
            i++;
        }
        int from = i;
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - from;
        if (digits == 0 || digits > MOST_DIGITS + 1 || (digits > 1 && b[from] == '0')) {
            throw LeftToTree.INSTANCE;
        }
        endOfValue();
        if (digits > MOST_DIGITS) {
            // 19 digits may overflow: Long.parseLong decides (beyond a long, Jackson's reader decides instead).
            int start = negative ? from - 1 : from;
            return Long.parseLong(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
        }
        return negative ? -v : v;
    }

    /** A number or literal must be followed by what may follow a value in an object or array. */
    private void endOfValue() {
        switch (at()) {
            case ',', '}', ']', ' ', '\t', '\n', '\r' -> {
            }
            default -> throw LeftToTree.INSTANCE;
        }
    }

    private boolean comma() {
        if (at() == ',') {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (at() != c) {
            throw LeftToTree.INSTANCE;
        }
        i++;
    }

    /** The byte at {@code i}, or 0 past the end (no JSON token starts with NUL, so the end is always unexpected). */
    private int at() {
        return i < b.length ? b[i] : 0;
    }

    private void whitespace() {
        while (i < b.length) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
