package dev.rollcall.events;

import dev.rollcall.events.EventFields.LeftToTree;

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
    private int i;
    private boolean escaped;
    /** A hash of the bytes of the string read last. */
    private int hash;
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
        b = json;
        i = 0;
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
        working = b.length - i == WORKING.length && skip(WORKING);
        return working || b.length - i == STOPPED.length && skip(STOPPED);
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
        if (to > b.length || !Arrays.equals(b, i, to, expected, 0, expected.length)) {
            return false;
        }
        i = to;
        return true;
    }

    /** A canonical UUID (36 characters, dashes at 8, 13, 18 and 23, hex digits of either case), as the scanner reads one. */
    private boolean uuid() {
        if (i + 36 > b.length || b[i + 8] != '-' || b[i + 13] != '-' || b[i + 18] != '-' || b[i + 23] != '-') {
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
     * Reads a string's content up to its closing quote (not past it: the constant after it begins with the quote), and
     * hashes its bytes; returns where the content ends, or -1 for a byte that is not printable ASCII.
     */
    private int string() {
        escaped = false;
        int h = 0;
        for (int j = i; j < b.length; j++) {
            byte c = b[j];
            if (c == '"') {
                hash = h;
                i = j;
                return j;
            }
            h = 31 * h + c;
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The texts of one field met lately, by their bytes as they came (escapes and all), with the value the records'
     * check made of each, or {@link #REFUSED}. Direct-mapped: a text keeps its slot until another one takes it.
     */
    private static final class Texts {
        private static final String REFUSED = new String("refused");

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
            int h = s.hash;
            int slot = (h ^ h >>> 16) & mask;
            byte[] key = keys[slot];
            String v;
            if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
                v = values[slot];
            } else {
                String text = s.escaped ? EventJsonScanner.unescaped(b, from, to) : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
                try {
                    v = check.apply(text);
                } catch (IllegalArgumentException e) {
                    v = REFUSED;
                }
                keys[slot] = Arrays.copyOfRange(b, from, to);
                values[slot] = v;
            }
            return v == REFUSED ? null : v;
        }
    }
}
