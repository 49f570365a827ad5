package dev.rollcall.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollcall.events.EventFields.DataField.*;

/**
 * An event's fields as one of the fast readers ({@link EventJsonReader}, {@link EventJsonScanner}) found them, before
 * anything is checked: the envelope's attributes as strings, and the data object's values by field. {@link
 * #toEnvelope} then builds the records with the same checks and constructors as {@link EventCodec#fromTree}. Anything
 * it cannot build (a missing, null or mistyped field, an unknown type) is {@link LeftToTree}: the tree path decides
 * again and words the rejection.
 */
final class EventFields {

    /** A data field whose value is JSON null. */
    static final Object NULL = new Object();
    /** A data field whose value no event reads: an object, a fraction, a number beyond long, an array of non-strings. */
    static final Object OTHER = new Object();

    String spec;
    /** The id as text; or null, and {@link #uuid} already read (by the scanner). */
    String id;
    UUID uuid;
    String type;
    String source;
    /** The time as text; or null, and {@link #instant} already read (by the scanner). */
    String time;
    Instant instant;
    String site;
    String subject;
    /** The last data object's values, by {@link DataField#ordinal()}; null until one was read. */
    Object[] data;

    /** A fresh data object: a later {@code data} key replaces an earlier one whole, as in {@code readTree}. */
    Object[] newData() {
        data = new Object[DataField.COUNT];
        return data;
    }

    EventEnvelope toEnvelope() {
        if (!EventEnvelope.SPEC_VERSION.equals(spec) || type == null || data == null) {
            throw LeftToTree.INSTANCE;
        }
        // The same records, in the same way, as EventCodec.fromTree builds them.
        RollcallEvent event = switch (type) {
            case WorkstationStateChanged.TYPE -> new WorkstationStateChanged(text(USER),
                    optionalText(HOST), WorkstationState.fromWire(text(STATE)));
            case DeviceStateChanged.TYPE -> new DeviceStateChanged(text(MAC), optionalText(IP),
                    DeviceState.fromWire(text(STATE)));
            case AgentHeartbeat.TYPE -> new AgentHeartbeat(text(AGENT_ID), text(VERSION), text(HOST),
                    text(OS), number(UPTIME_SECONDS), Math.toIntExact(number(OUTBOX_DEPTH)),
                    optionalNumber(LAST_SCAN_MILLIS), textsOrEmpty(DEVICES_ONLINE),
                    optionalTexts(EMPLOYEES_PRESENT), optionalBool(STOPPING));
            case SiteConfigured.TYPE -> new SiteConfigured(text(NAME), ZoneId.of(text(ZONE)),
                    Math.toIntExact(number(PRESENCE_GRACE_MINUTES)), optionalInt(AUTO_TIMEOUT_MINUTES),
                    optionalInt(REAL_WORK_BLOCK_MINUTES));
            case EmployeeUpdated.TYPE -> new EmployeeUpdated(text(EMPLOYEE_ID), text(NAME),
                    bool(ACTIVE), optionalTexts(WORKSTATION_USERS), optionalTexts(STAFFTRACE_IDS));
            case DeviceAssigned.TYPE -> new DeviceAssigned(text(MAC), text(EMPLOYEE_ID), optionalText(LABEL));
            case DeviceReleased.TYPE -> new DeviceReleased(text(MAC));
            case PresenceHourReported.TYPE -> new PresenceHourReported(text(EMPLOYEE_ID),
                    LocalDate.parse(text(DATE)), Math.toIntExact(number(HOUR)),
                    IsoInstant.parse(text(FIRST_SEEN)), IsoInstant.parse(text(LAST_SEEN)),
                    Math.toIntExact(number(MINUTES_ONLINE)));
            case AgentDowntimeReported.TYPE -> new AgentDowntimeReported(IsoInstant.parse(text(START)),
                    IsoInstant.parse(text(END)));
            case AgentEnrolled.TYPE -> new AgentEnrolled(text(AGENT_ID), optionalText(HOST));
            case AgentRevoked.TYPE -> new AgentRevoked(text(AGENT_ID));
            case WorkstationSessionChanged.TYPE -> new WorkstationSessionChanged(text(USER),
                    optionalText(HOST), WorkstationSessionKind.fromWire(text(KIND)));
            case RealNamesRevealed.TYPE -> new RealNamesRevealed(text(VIEWER), text(PAGE), text(PERIOD));
            default -> throw LeftToTree.INSTANCE;
        };
        return new EventEnvelope(uuid != null ? uuid : UUID.fromString(required(id)), type, required(source),
                instant != null ? instant : IsoInstant.parse(required(time)), required(site), subject, event);
    }

    private static String required(String attribute) {
        if (attribute == null) {
            throw LeftToTree.INSTANCE;
        }
        return attribute;
    }

    /** The field's value as a {@code type}: a String, Long, Boolean or String[], as the readers keep them. */
    private <T> T value(DataField f, Class<T> type) {
        Object v = data[f.ordinal()];
        if (type.isInstance(v)) {
            return type.cast(v);
        }
        throw LeftToTree.INSTANCE;
    }

    /** Absent or null is null. */
    private <T> T optional(DataField f, Class<T> type) {
        Object v = data[f.ordinal()];
        return v == null || v == NULL ? null : value(f, type);
    }

    private String text(DataField f) {
        return value(f, String.class);
    }

    private String optionalText(DataField f) {
        return optional(f, String.class);
    }

    private long number(DataField f) {
        return value(f, Long.class);
    }

    private Long optionalNumber(DataField f) {
        return optional(f, Long.class);
    }

    /** Absent or null is null; otherwise a whole number that must fit an int. */
    private Integer optionalInt(DataField f) {
        Long v = optionalNumber(f);
        return v == null ? null : Math.toIntExact(v);
    }

    private boolean bool(DataField f) {
        return value(f, Boolean.class);
    }

    /** Absent or null is false. */
    private boolean optionalBool(DataField f) {
        return Boolean.TRUE.equals(optional(f, Boolean.class));
    }

    /** Absent or null is null. */
    private List<String> optionalTexts(DataField f) {
        String[] items = optional(f, String[].class);
        return items == null ? null : Arrays.asList(items);
    }

    /** Absent or null is an empty list. */
    private List<String> textsOrEmpty(DataField f) {
        List<String> v = optionalTexts(f);
        return v == null ? List.of() : v;
    }

    /** Every field of any event's data, by its JSON name. */
    enum DataField {
        USER("user"), HOST("host"), STATE("state"), MAC("mac"), IP("ip"), AGENT_ID("agentId"), VERSION("version"),
        OS("os"), UPTIME_SECONDS("uptimeSeconds"), OUTBOX_DEPTH("outboxDepth"), LAST_SCAN_MILLIS("lastScanMillis"),
        DEVICES_ONLINE("devicesOnline"), NAME("name"), ZONE("zone"), PRESENCE_GRACE_MINUTES("presenceGraceMinutes"),
        AUTO_TIMEOUT_MINUTES("autoTimeoutMinutes"), REAL_WORK_BLOCK_MINUTES("realWorkBlockMinutes"),
        EMPLOYEE_ID("employeeId"), ACTIVE("active"), WORKSTATION_USERS("workstationUsers"), LABEL("label"),
        STAFFTRACE_IDS("staffTraceIds"), EMPLOYEES_PRESENT("employeesPresent"),
        DATE("date"), HOUR("hour"), FIRST_SEEN("firstSeen"), LAST_SEEN("lastSeen"), MINUTES_ONLINE("minutesOnline"),
        START("start"), END("end"), KIND("kind"), VIEWER("viewer"), PAGE("page"), PERIOD("period"),
        STOPPING("stopping");

        static final int COUNT = values().length;
        private static final Map<String, DataField> BY_NAME = new HashMap<>();
        /** At a name's length: the fields whose names have it (names are ASCII, so bytes and chars agree). */
        private static final DataField[][] BY_LENGTH;

        static {
            int longest = 0;
            for (DataField f : values()) {
                BY_NAME.put(f.json, f);
                longest = Math.max(longest, f.json.length());
            }
            BY_LENGTH = new DataField[longest + 1][];
            for (int n = 0; n <= longest; n++) {
                int length = n;
                BY_LENGTH[n] = Arrays.stream(values()).filter(f -> f.json.length() == length).toArray(DataField[]::new);
            }
        }

        private final String json;
        private final byte[] bytes;

        DataField(String json) {
            this.json = json;
            this.bytes = json.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        /** The field named {@code name}, or null when no event reads it. */
        static DataField named(String name) {
            return BY_NAME.get(name);
        }

        /** The field whose name is the ASCII bytes {@code b[from, to)}, or null when no event reads it. */
        static DataField named(byte[] b, int from, int to) {
            int length = to - from;
            if (length >= BY_LENGTH.length) {
                return null;
            }
            for (DataField f : BY_LENGTH[length]) {
                if (Arrays.equals(b, from, to, f.bytes, 0, length)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** Hands the input to the tree path. One shared instance without a stack trace: it is caught at once. */
    static final class LeftToTree extends RuntimeException {

        static final LeftToTree INSTANCE = new LeftToTree();

        private LeftToTree() {
            super("left to the tree path", null, false, false);
        }
    }
}
