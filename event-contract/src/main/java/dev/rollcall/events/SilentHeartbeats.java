package dev.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises, from the bytes {@link EventCodec#encode} writes, an agent's heartbeat that says nothing about who is
 * present: no {@code lastScanMillis}, no device online, no {@code employeesPresent} (a workstation agent's, one per PC
 * every 5 minutes: most of {@code rollcall.agents}). A rebuild of presence-day reads past them, and decoding each into
 * an envelope only to drop it was most of its load's time.
 *
 * <p>It recognises only that one layout: compact, the envelope's attributes in the encoder's order (a {@code subject}
 * or not), then {@code data}'s {@code agentId}, {@code version}, {@code host}, {@code os}, {@code uptimeSeconds},
 * {@code outboxDepth}, an empty {@code devicesOnline} and {@code stopping} or not, and nothing after it. Strings are
 * stepped over as JSON has them (an escaped quote does not end one); their texts are not checked. So when {@link
 * #matches} answers true, {@link EventCodec#decode(byte[])} of the same bytes either refuses them or gives a heartbeat
 * with neither scan, devices nor employees ({@code SilentHeartbeatsTest} holds it to that): a reader that drops what
 * matches drops nothing it could have used. Anything else answers false, to be decoded as usual.
 */
public final class SilentHeartbeats {

    private static final byte[] HEAD = ascii("{\"specversion\":\"1.0\",\"id\":\"");
    private static final byte[] TYPE_SOURCE = ascii("\",\"type\":\"" + AgentHeartbeat.TYPE + "\",\"source\":\"");
    private static final byte[] TIME = ascii("\",\"time\":\"");
    private static final byte[] SITE = ascii("\",\"site\":\"");
    private static final byte[] SUBJECT = ascii("\",\"subject\":\"");
    private static final byte[] DATA_AGENT = ascii("\",\"datacontenttype\":\"application/json\",\"data\":{\"agentId\":\"");
    private static final byte[] VERSION = ascii("\",\"version\":\"");
    private static final byte[] HOST = ascii("\",\"host\":\"");
    private static final byte[] OS = ascii("\",\"os\":\"");
    private static final byte[] UPTIME = ascii("\",\"uptimeSeconds\":");
    private static final byte[] OUTBOX = ascii(",\"outboxDepth\":");
    private static final byte[] NO_DEVICES = ascii(",\"devicesOnline\":[]");
    private static final byte[] END = ascii("}}");
    private static final byte[] STOPPING_END = ascii(",\"stopping\":true}}");

    /** The layout, in order: the bytes a constant is, or a string's content ({@link #TEXT}) or a number ({@link #DIGITS}). */
    private static final byte[] TEXT = {};
    private static final byte[] DIGITS = {};
    private static final byte[][] BEFORE_SUBJECT = {HEAD, TEXT, TYPE_SOURCE, TEXT, TIME, TEXT, SITE, TEXT};
    private static final byte[][] AFTER_SUBJECT = {DATA_AGENT, TEXT, VERSION, TEXT, HOST, TEXT, OS, TEXT, UPTIME, DIGITS, OUTBOX,
            DIGITS, NO_DEVICES};

    private SilentHeartbeats() {
    }

    /** Whether {@code json} is such a heartbeat. */
    public static boolean matches(byte[] json) {
        return matches(json, 0, json.length);
    }

    /** As {@link #matches(byte[])}, for the JSON in {@code json[from, to)} (a record's value where it was fetched). */
    public static boolean matches(byte[] b, int from, int to) {
        int i = follow(b, from, to, BEFORE_SUBJECT);
        if (i >= 0) {
            int subject = constant(b, i, to, SUBJECT);
            if (subject >= 0) {
                i = stringEnd(b, subject, to);
            }
        }
        i = i < 0 ? -1 : follow(b, i, to, AFTER_SUBJECT);
        return i >= 0 && (constant(b, i, to, END) == to || constant(b, i, to, STOPPING_END) == to);
    }

    /** Where the input goes on after the parts of {@code layout}, one after the other; -1 when it does not follow them. */
    private static int follow(byte[] b, int i, int end, byte[][] layout) {
        for (int k = 0; k < layout.length && i >= 0; k++) {
            byte[] part = layout[k];
            i = part == TEXT ? stringEnd(b, i, end) : part == DIGITS ? digits(b, i, end) : constant(b, i, end, part);
        }
        return i;
    }

    /** Where the input goes on after {@code expected}, or -1 when it does not go on with exactly it. */
    private static int constant(byte[] b, int i, int end, byte[] expected) {
        int to = i + expected.length;
        return to <= end && Arrays.equals(b, i, to, expected, 0, expected.length) ? to : -1;
    }

    /** Where a string's closing quote is (the constant after it begins with it), from its content on; -1 if it has none. */
    private static int stringEnd(byte[] b, int i, int end) {
        for (int j = i; j < end; j++) {
            if (b[j] == '"') {
                return j;
            }
            if (b[j] == '\\') {
                j++; // what it escapes, a quote too, does not end the string
            }
        }
        return -1;
    }

    /** Where one or more ASCII digits end; -1 if there is none. */
    private static int digits(byte[] b, int i, int end) {
        int j = i;
        while (j < end && b[j] >= '0' && b[j] <= '9') {
            j++;
        }
        return j > i ? j : -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
