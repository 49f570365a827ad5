package dev.rollcall.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.rollcall.events.EventJsonReader.DataField.*;

/**
 * Decodes an event in one pass of Jackson's streaming parser straight into the records: no tree, and instants read
 * by {@link IsoInstant}. It only decodes what it can decode. On anything else (malformed JSON, a missing, null or
 * mistyped field, a value a record refuses, an unknown type) it returns null, and {@link EventCodec} decodes the
 * input again over the tree, which stays the one place that decides and words rejections. Bad events are rare, so
 * reading them twice costs nothing that matters.
 *
 * <p>What it accepts, the tree path accepts too, as an equal envelope: it parses with the same mapper, stops after the
 * root object as {@code readTree} does (trailing content is ignored by both), reads every string and number on the
 * way as {@code readTree} does (so the parser's limits fail both), lets the last of duplicate keys win, and builds
 * the records with the same checks and constructors. Field order does not matter: data fields are kept by name until
 * the whole envelope, and so its type, has been read.
 */
final class EventJsonReader {

    /** A data field whose value is JSON null. */
    private static final Object NULL = new Object();
    /** A data field whose value no event reads: an object, a fraction, a number beyond long, an array of non-strings. */
    private static final Object OTHER = new Object();

    private EventJsonReader() {
    }

    /** The event in {@code json}, or null when it is left to the tree path. */
    static EventEnvelope read(byte[] json) {
        try (JsonParser p = EventCodec.MAPPER.createParser(json)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            // LeftToTree, the parser's errors and the records' refusals alike: the tree path decides again.
            return null;
        }
    }

    private static EventEnvelope read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw LeftToTree.INSTANCE;
        }
        String spec = null;
        String id = null;
        String type = null;
        String source = null;
        String time = null;
        String site = null;
        String subject = null;
        Data data = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "specversion" -> spec = text(p, value);
                case "id" -> id = text(p, value);
                case "type" -> type = text(p, value);
                case "source" -> source = text(p, value);
                case "time" -> time = text(p, value);
                case "site" -> site = text(p, value);
                case "subject" -> subject = text(p, value);
                case "data" -> data = data(p, value);
                default -> skip(p, value);
            }
        }
        if (!EventEnvelope.SPEC_VERSION.equals(spec) || type == null || data == null) {
            throw LeftToTree.INSTANCE;
        }
        // The same records, in the same way, as EventCodec.fromTree builds them.
        RollcallEvent event = switch (type) {
            case WorkstationStateChanged.TYPE -> new WorkstationStateChanged(data.text(USER),
                    data.optionalText(HOST), WorkstationState.fromWire(data.text(STATE)));
            case DeviceStateChanged.TYPE -> new DeviceStateChanged(data.text(MAC), data.optionalText(IP),
                    DeviceState.fromWire(data.text(STATE)));
            case AgentHeartbeat.TYPE -> new AgentHeartbeat(data.text(AGENT_ID), data.text(VERSION), data.text(HOST),
                    data.text(OS), data.number(UPTIME_SECONDS), Math.toIntExact(data.number(OUTBOX_DEPTH)),
                    data.optionalNumber(LAST_SCAN_MILLIS), data.textsOrEmpty(DEVICES_ONLINE),
                    data.optionalTexts(EMPLOYEES_PRESENT), data.optionalBool(STOPPING));
            case SiteConfigured.TYPE -> new SiteConfigured(data.text(NAME), ZoneId.of(data.text(ZONE)),
                    Math.toIntExact(data.number(PRESENCE_GRACE_MINUTES)), data.optionalInt(AUTO_TIMEOUT_MINUTES),
                    data.optionalInt(REAL_WORK_BLOCK_MINUTES));
            case EmployeeUpdated.TYPE -> new EmployeeUpdated(data.text(EMPLOYEE_ID), data.text(NAME),
                    data.bool(ACTIVE), data.optionalTexts(WORKSTATION_USERS), data.optionalTexts(STAFFTRACE_IDS));
            case DeviceAssigned.TYPE -> new DeviceAssigned(data.text(MAC), data.text(EMPLOYEE_ID),
                    data.optionalText(LABEL));
            case DeviceReleased.TYPE -> new DeviceReleased(data.text(MAC));
            case PresenceHourReported.TYPE -> new PresenceHourReported(data.text(EMPLOYEE_ID),
                    LocalDate.parse(data.text(DATE)), Math.toIntExact(data.number(HOUR)),
                    IsoInstant.parse(data.text(FIRST_SEEN)), IsoInstant.parse(data.text(LAST_SEEN)),
                    Math.toIntExact(data.number(MINUTES_ONLINE)));
            case AgentDowntimeReported.TYPE -> new AgentDowntimeReported(IsoInstant.parse(data.text(START)),
                    IsoInstant.parse(data.text(END)));
            case AgentEnrolled.TYPE -> new AgentEnrolled(data.text(AGENT_ID), data.optionalText(HOST));
            case AgentRevoked.TYPE -> new AgentRevoked(data.text(AGENT_ID));
            case WorkstationSessionChanged.TYPE -> new WorkstationSessionChanged(data.text(USER),
                    data.optionalText(HOST), WorkstationSessionKind.fromWire(data.text(KIND)));
            case RealNamesRevealed.TYPE -> new RealNamesRevealed(data.text(VIEWER), data.text(PAGE),
                    data.text(PERIOD));
            default -> throw LeftToTree.INSTANCE;
        };
        return new EventEnvelope(UUID.fromString(required(id)), type, required(source),
                IsoInstant.parse(required(time)), required(site), subject, event);
    }

    /** An envelope attribute: a string, or null for JSON null. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw LeftToTree.INSTANCE;
        };
    }

    private static String required(String attribute) {
        if (attribute == null) {
            throw LeftToTree.INSTANCE;
        }
        return attribute;
    }

    private static Data data(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw LeftToTree.INSTANCE;
        }
        Data data = new Data();
        for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            DataField field = DataField.BY_NAME.get(p.currentName());
            JsonToken value = p.nextToken();
            if (field == null) {
                skip(p, value);
            } else {
                data.values[field.ordinal()] = value(p, value);
            }
        }
        return data;
    }

    /** A data field's value: a String, Long, Boolean, String[], {@link #NULL} or {@link #OTHER}. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue() instanceof BigInteger ? OTHER : (Object) p.getLongValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> NULL;
            case START_ARRAY -> strings(p);
            default -> {
                skip(p, t);
                yield OTHER;
            }
        };
    }

    /** The array's items as a String[], or {@link #OTHER} when one of them is not a string. */
    private static Object strings(JsonParser p) throws IOException {
        List<String> items = new ArrayList<>();
        boolean onlyStrings = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                items.add(p.getText());
            } else {
                onlyStrings = false;
                skip(p, t);
            }
        }
        return onlyStrings ? items.toArray(String[]::new) : OTHER;
    }

    /**
     * Reads past the value that starts with {@code t}. Its strings and numbers are read, not skipped, because
     * {@code readTree} reads them, and reading is where the parser applies some of its limits (a string's length).
     */
    private static void skip(JsonParser p, JsonToken t) throws IOException {
        int depth = 0;
        do {
            if (t == null) {
                throw LeftToTree.INSTANCE;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
                default -> {
                }
            }
            if (depth > 0) {
                t = p.nextToken();
            }
        } while (depth > 0);
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

        private static final Map<String, DataField> BY_NAME = new HashMap<>();

        static {
            for (DataField f : values()) {
                BY_NAME.put(f.json, f);
            }
        }

        private final String json;

        DataField(String json) {
            this.json = json;
        }
    }

    /** The data object's fields, read as EventCodec's tree helpers read a node's. */
    private static final class Data {

        private static final int FIELDS = DataField.values().length;

        final Object[] values = new Object[FIELDS];

        String text(DataField f) {
            if (values[f.ordinal()] instanceof String s) {
                return s;
            }
            throw LeftToTree.INSTANCE;
        }

        /** Absent or null is null. */
        String optionalText(DataField f) {
            Object v = values[f.ordinal()];
            return v == null || v == NULL ? null : text(f);
        }

        long number(DataField f) {
            if (values[f.ordinal()] instanceof Long n) {
                return n;
            }
            throw LeftToTree.INSTANCE;
        }

        /** Absent or null is null. */
        Long optionalNumber(DataField f) {
            Object v = values[f.ordinal()];
            return v == null || v == NULL ? null : number(f);
        }

        /** Absent or null is null; otherwise a whole number that must fit an int. */
        Integer optionalInt(DataField f) {
            Long v = optionalNumber(f);
            return v == null ? null : Math.toIntExact(v);
        }

        boolean bool(DataField f) {
            if (values[f.ordinal()] instanceof Boolean b) {
                return b;
            }
            throw LeftToTree.INSTANCE;
        }

        /** Absent or null is false. */
        boolean optionalBool(DataField f) {
            Object v = values[f.ordinal()];
            return v != null && v != NULL && bool(f);
        }

        /** Absent or null is null. */
        List<String> optionalTexts(DataField f) {
            Object v = values[f.ordinal()];
            if (v == null || v == NULL) {
                return null;
            }
            if (v instanceof String[] items) {
                return Arrays.asList(items);
            }
            throw LeftToTree.INSTANCE;
        }

        /** Absent or null is an empty list. */
        List<String> textsOrEmpty(DataField f) {
            List<String> v = optionalTexts(f);
            return v == null ? List.of() : v;
        }
    }

    /** Hands the input to the tree path. One shared instance without a stack trace: it is caught at once. */
    private static final class LeftToTree extends RuntimeException {

        static final LeftToTree INSTANCE = new LeftToTree();

        private LeftToTree() {
            super("left to the tree path", null, false, false);
        }
    }
}
