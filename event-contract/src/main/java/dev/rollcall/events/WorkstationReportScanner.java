package dev.rollcall.events;

import dev.rollcall.events.EventFields.LeftToTree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Reads a workstation state change straight from the bytes {@link EventCodec#encode} writes for one, and makes nothing
 * for a text it has met before: a rebuild of workstation-day reads a million reports of a few hundred users, and
 * decoding each into an envelope was most of its time and of its garbage.
 *
 * <p>It reads only that one layout: compact, the envelope's attributes in the encoder's order (a {@code subject} or
 * not), then {@code data}'s {@code user}, {@code host} (or not) and {@code state}, {@code working} or {@code stopped}
 * in lower case, strings of printable ASCII with JSON's escapes. For anything else (another type, another order,
 * whitespace, a text that breaks the records' rules) {@link #read} answers false and the caller decodes the record with
 * {@link EventCodec}, which decides what it is and how a rejection reads. When it answers true, {@link
 * EventCodec#decode(byte[])} of the same bytes is a {@link WorkstationStateChanged} with the same id, time, site, user
 * and state ({@code WorkstationReportScannerTest} holds it to that). Not thread-safe: one per thread.
 */
public final class WorkstationReportScanner {

    private static final byte[] HEAD = ascii("{\"specversion\":\"1.0\",\"id\":\"");
    private static final byte[] TYPE_SOURCE = ascii("\",\"type\":\"" + WorkstationStateChanged.TYPE + "\",\"source\":\"");
    private static final byte[] TIME = ascii("\",\"time\":\"");
    private static final byte[] SITE = ascii("\",\"site\":\"");
    private static final byte[] SUBJECT = ascii("\",\"subject\":\"");
    private static final byte[] DATA_USER = ascii("\",\"datacontenttype\":\"application/json\",\"data\":{\"user\":\"");
    private static final byte[] HOST = ascii("\",\"host\":\"");
    private static final byte[] STATE = ascii("\",\"state\":\"");
    private static final byte[] WORKING = ascii("working\"}}");
    private static final byte[] STOPPED = ascii("stopped\"}}");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** A hex digit's value by its byte; -1 for any other byte. */
    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    /** The records' checks of each text, each answering its value as the records keep it (they throw for a bad one). */
    private final Texts sources = new Texts(64, s -> ContractChecks.requireText("source", s, 256));
    private final Texts sites = new Texts(64, ContractChecks::requireSiteId);
    private final Texts subjects = new Texts(8_192, s -> ContractChecks.requireText("subject", s, 512));
    private final Texts users = new Texts(8_192, s -> ContractChecks.requireText("user", s, WorkstationStateChanged.MAX_USER_LENGTH));
    private final Texts hosts = new Texts(8_192,
            s -> s.isBlank() ? "" : ContractChecks.requireText("host", s, WorkstationStateChanged.MAX_HOST_LENGTH));

    private byte[] b;
    /** Where the JSON ends in {@code b}. */
    private int end;
    private int i;
    private boolean escaped;
    private long idHigh;
    private long idLow;
    private Instant time;
    private String site;
    private String user;
    private boolean working;

    /**
     * Reads {@code json}; true when it is a workstation state change in the encoder's layout whose texts pass the
     * records' checks (its fields are then this scanner's until the next read), false for anything else.
     */
    public boolean read(byte[] json) {
        return read(json, 0, json.length);
    }

    /** As {@link #read(byte[])}, for the JSON in {@code json[from, to)} (a record's value where it was fetched). */
    public boolean read(byte[] json, int from, int to) {
        b = json;
        i = from;
        end = to;
        try {
            return scan();
        } catch (LeftToTree e) {
            return false; // an escape JSON does not have
        } finally {
            b = null;
        }
    }

    private boolean scan() {
        if (!skip(HEAD) || !uuid() || !skip(TYPE_SOURCE) || sources.of(this) == null || !skip(TIME)) {
            return false;
        }
        int from = i;
        int to = string();
        if (to < 0 || escaped || (time = IsoInstant.parseCanonical(b, from, to)) == null || !skip(SITE)
                || (site = sites.of(this)) == null) {
            return false;
        }
        if (skip(SUBJECT) && subjects.of(this) == null) {
            return false;
        }
        if (!skip(DATA_USER) || (user = users.of(this)) == null) {
            return false;
        }
        if (skip(HOST) && hosts.of(this) == null) {
            return false;
        }
        if (!skip(STATE)) {
            return false;
        }
        working = end - i == WORKING.length && skip(WORKING);
        return working || end - i == STOPPED.length && skip(STOPPED);
    }

    /** The event's id: its most significant 64 bits. */
    public long idHigh() {
        return idHigh;
    }

    /** The event's id: its least significant 64 bits. */
    public long idLow() {
        return idLow;
    }

    /** When it happened (the envelope's {@code time}). */
    public Instant time() {
        return time;
    }

    /** The envelope's site. */
    public String site() {
        return site;
    }

    /** The data's user, as {@link WorkstationStateChanged#user()} has it (stripped). */
    public String user() {
        return user;
    }

    /** True for {@code working}, false for {@code stopped}. */
    public boolean working() {
        return working;
    }

    /** Skips {@code expected} when the input goes on with exactly it. */
    private boolean skip(byte[] expected) {
        int to = i + expected.length;
        if (to > end || !Arrays.equals(b, i, to, expected, 0, expected.length)) {
            return false;
        }
        i = to;
        return true;
    }

    /** A canonical UUID (36 characters, dashes at 8, 13, 18 and 23, hex digits of either case), as the scanner reads one. */
    private boolean uuid() {
        if (i + 36 > end || b[i + 8] != '-' || b[i + 13] != '-' || b[i + 18] != '-' || b[i + 23] != '-') {
            return false;
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 36; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                continue;
            }
            int d = HEX[b[i + k] & 0xff];
            if (d < 0) {
                return false;
            }
            if (k < 19) {
                high = high << 4 | d;
            } else {
                low = low << 4 | d;
            }
        }
        idHigh = high;
        idLow = low;
        i += 36;
        return true;
    }

    /**
     * Reads a string's content up to its closing quote (not past it: the constant after it begins with the quote);
     * returns where the content ends, or -1 for a byte that is not printable ASCII. Eight bytes at a time while none of
     * them needs a look (a quote, a backslash, anything not printable ASCII).
     */
    private int string() {
        escaped = false;
        int j = i;
        while (j + 8 <= end) {
            long special = special((long) LONGS.get(b, j));
            if (special == 0) {
                j += 8;
                continue;
            }
            j += Long.numberOfTrailingZeros(special) >>> 3; // the first byte that needs a look
            byte c = b[j];
            if (c == '"') {
                i = j;
                return j;
            }
            if (c != '\\') {
                return -1;
            }
            escaped = true;
            j += 2; // an escaped quote does not end the string; the escapes are checked when the text is made
        }
        for (; j < end; j++) {
            byte c = b[j];
            if (c == '"') {
                i = j;
                return j;
            }
            if (c < 0x20 || c > 0x7e) {
                return -1;
            }
            if (c == '\\') {
                escaped = true;
                j++;
            }
        }
        return -1;
    }

    /**
     * The high bit of each of the eight bytes of {@code x} (little-endian) that is a quote, a backslash, below 0x20 or
     * above 0x7e: exact for the lowest (a byte above a flagged one may be flagged by the borrow), which is all that is
     * used. The classic test for a zero byte, {@code (v - 0x01…) & ~v & 0x80…}, for each.
     */
    private static long special(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5c5c5c5c5c5c5c5cL;
        long delete = x ^ 0x7f7f7f7f7f7f7f7fL;
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (delete - ONES) & ~delete
                | (x - 0x2020202020202020L) & ~x | x) & HIGHS;
    }

    /** A hash of a text's bytes: its length and (up to) its first and last eight bytes. */
    private static int hash(byte[] b, int from, int to) {
        int n = to - from;
        long h = n;
        if (n >= 8) {
            h = h * 31 + (long) LONGS.get(b, from);
            h = h * 31 + (long) LONGS.get(b, to - 8);
        } else {
            for (int j = from; j < to; j++) {
                h = h * 31 + b[j];
            }
        }
        h ^= h >>> 33; // MurmurHash3's finaliser: every bit of the bytes moves the low bits the slot is taken from
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The texts of one field met lately, by their bytes as they came (escapes and all), with the value the records'
     * check made of each, or {@link #REFUSED}. A text is kept in its home slot or one of the next few, until a text
     * finds them all taken and its home slot is given to it.
     */
    private static final class Texts {
        private static final String REFUSED = new String("refused");
        private static final int PROBES = 4;

        private final byte[][] keys;
        private final String[] values;
        private final int mask;
        private final UnaryOperator<String> check;

        Texts(int slots, UnaryOperator<String> check) {
            keys = new byte[slots][];
            values = new String[slots];
            mask = slots - 1;
            this.check = check;
        }

        /** The value of the string the scanner is at (read past it), or null when the records would refuse it. */
        String of(WorkstationReportScanner s) {
            byte[] b = s.b;
            int from = s.i;
            int to = s.string();
            if (to < 0) {
                return null;
            }
            int home = hash(b, from, to) & mask;
            int free = -1;
            for (int probe = 0; probe < PROBES; probe++) { // a few neighbouring slots: two texts rarely take turns at one
                int slot = (home + probe) & mask;
                byte[] key = keys[slot];
                if (key == null) {
                    free = free < 0 ? slot : free;
                } else if (Arrays.equals(key, 0, key.length, b, from, to)) {
                    String v = values[slot];
                    return v == REFUSED ? null : v;
                }
            }
            String text = s.escaped ? EventJsonScanner.unescaped(b, from, to) : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
            String v;
            try {
                v = check.apply(text);
            } catch (IllegalArgumentException e) {
                v = REFUSED;
            }
            int slot = free >= 0 ? free : home; // all taken: the text in its home slot makes way
            keys[slot] = Arrays.copyOfRange(b, from, to);
            values[slot] = v;
            return v == REFUSED ? null : v;
        }
    }
}
