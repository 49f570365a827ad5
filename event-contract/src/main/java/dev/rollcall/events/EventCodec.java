package dev.rollcall.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * JSON form of events: a CloudEvents 1.0 structured-mode document. Written by hand, not by reflection, so it behaves
 * the same on the JVM and in a native image, and the wire form is explicit. Encoding and {@link #fromTree} work over
 * Jackson's tree model. {@link #decode(byte[])} tries three readers, each handing on what it does not read: {@link
 * EventJsonScanner} reads the plain JSON the encoder writes straight from its bytes, {@link EventJsonReader} streams
 * any JSON straight into the records, and the tree path reads the rest, so {@code fromTree} alone decides what is
 * rejected and how the rejection reads.
 */
public final class EventCodec {

    /** Also the streaming reader's, so that both ways of decoding parse with the same settings. */
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EventCodec() {
    }

    public static byte[] encode(EventEnvelope e) {
        try {
            return MAPPER.writeValueAsBytes(toTree(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode event " + e.id(), ex);
        }
    }

    public static String encodeToString(EventEnvelope e) {
        return new String(encode(e), StandardCharsets.UTF_8);
    }

    public static ObjectNode toTree(EventEnvelope e) {
        ObjectNode n = NODES.objectNode();
        n.put("specversion", EventEnvelope.SPEC_VERSION);
        n.put("id", e.id().toString());
        n.put("type", e.type());
        n.put("source", e.source());
        n.put("time", e.time().toString());
        n.put("site", e.site());
        if (e.subject() != null) {
            n.put("subject", e.subject());
        }
        n.put("datacontenttype", "application/json");
        n.set("data", dataToTree(e.data()));
        return n;
    }

    private static ObjectNode dataToTree(RollcallEvent data) {
        ObjectNode d = NODES.objectNode();
        switch (data) {
            case WorkstationStateChanged w -> {
                d.put("user", w.user());
                if (w.host() != null) {
                    d.put("host", w.host());
                }
                d.put("state", w.state().wire());
            }
            case DeviceStateChanged dv -> {
                d.put("mac", dv.mac());
                if (dv.ip() != null) {
                    d.put("ip", dv.ip());
                }
                d.put("state", dv.state().wire());
            }
            case AgentHeartbeat h -> {
                d.put("agentId", h.agentId());
                d.put("version", h.version());
                d.put("host", h.host());
                d.put("os", h.os());
                d.put("uptimeSeconds", h.uptimeSeconds());
                d.put("outboxDepth", h.outboxDepth());
                if (h.lastScanMillis() != null) {
                    d.put("lastScanMillis", h.lastScanMillis());
                }
                h.devicesOnline().forEach(d.putArray("devicesOnline")::add);
                if (h.employeesPresent() != null) {
                    h.employeesPresent().forEach(d.putArray("employeesPresent")::add);
                }
                if (h.stopping()) {
                    d.put("stopping", true); // absent means false: older readers and samples stay as they were
                }
            }
            case SiteConfigured c -> {
                d.put("name", c.name());
                d.put("zone", c.zone().getId());
                d.put("presenceGraceMinutes", c.presenceGraceMinutes());
                if (c.autoTimeoutMinutes() != null) {
                    d.put("autoTimeoutMinutes", c.autoTimeoutMinutes());
                }
                if (c.realWorkBlockMinutes() != null) {
                    d.put("realWorkBlockMinutes", c.realWorkBlockMinutes());
                }
            }
            case EmployeeUpdated u -> {
                d.put("employeeId", u.employeeId());
                d.put("name", u.name());
                d.put("active", u.active());
                if (u.workstationUsers() != null) {
                    u.workstationUsers().forEach(d.putArray("workstationUsers")::add);
                }
                if (u.staffTraceIds() != null) {
                    u.staffTraceIds().forEach(d.putArray("staffTraceIds")::add);
                }
            }
            case DeviceAssigned a -> {
                d.put("mac", a.mac());
                d.put("employeeId", a.employeeId());
                if (a.label() != null) {
                    d.put("label", a.label());
                }
            }
            case DeviceReleased r -> d.put("mac", r.mac());
            case PresenceHourReported p -> {
                d.put("employeeId", p.employeeId());
                d.put("date", p.date().toString());
                d.put("hour", p.hour());
                d.put("firstSeen", p.firstSeen().toString());
                d.put("lastSeen", p.lastSeen().toString());
                d.put("minutesOnline", p.minutesOnline());
            }
            case AgentDowntimeReported a -> {
                d.put("start", a.start().toString());
                d.put("end", a.end().toString());
            }
            case AgentEnrolled en -> {
                d.put("agentId", en.agentId());
                if (en.host() != null) {
                    d.put("host", en.host());
                }
            }
            case AgentRevoked rv -> d.put("agentId", rv.agentId());
            case WorkstationSessionChanged w -> {
                d.put("user", w.user());
                if (w.host() != null) {
                    d.put("host", w.host());
                }
                d.put("kind", w.kind().wire());
            }
            case RealNamesRevealed r -> {
                d.put("viewer", r.viewer());
                d.put("page", r.page());
                d.put("period", r.period());
            }
        }
        return d;
    }

    public static EventEnvelope decode(byte[] json) {
        EventEnvelope e = EventJsonScanner.read(json);
        if (e == null) {
            e = EventJsonReader.read(json);
        }
        return e != null ? e : fromTree(readTree(json));
    }

    public static EventEnvelope decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new EventDecodingException("not JSON: " + ex.getOriginalMessage(), ex);
        } catch (IOException ex) {
            throw new EventDecodingException("cannot read JSON", ex);
        }
    }

    public static EventEnvelope fromTree(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new EventDecodingException("an event must be a JSON object");
        }
        String spec = text(n, "specversion", true);
        if (!EventEnvelope.SPEC_VERSION.equals(spec)) {
            throw new EventDecodingException("unsupported specversion '" + spec + "'");
        }
        String type = text(n, "type", true);
        JsonNode data = n.get("data");
        if (data == null || !data.isObject()) {
            throw new EventDecodingException("data must be a JSON object");
        }
        try {
            RollcallEvent event = switch (type) {
                case WorkstationStateChanged.TYPE -> new WorkstationStateChanged(
                        text(data, "user", true), text(data, "host", false),
                        WorkstationState.fromWire(text(data, "state", true)));
                case DeviceStateChanged.TYPE -> new DeviceStateChanged(
                        text(data, "mac", true), text(data, "ip", false), DeviceState.fromWire(text(data, "state", true)));
                case AgentHeartbeat.TYPE -> new AgentHeartbeat(text(data, "agentId", true), text(data, "version", true),
                        text(data, "host", true), text(data, "os", true), number(data, "uptimeSeconds", true),
                        Math.toIntExact(number(data, "outboxDepth", true)), numberOrNull(data, "lastScanMillis"),
                        texts(data, "devicesOnline"), data.hasNonNull("employeesPresent") ? texts(data, "employeesPresent") : null,
                        data.hasNonNull("stopping") && bool(data, "stopping"));
                case SiteConfigured.TYPE -> new SiteConfigured(text(data, "name", true), zone(text(data, "zone", true)),
                        Math.toIntExact(number(data, "presenceGraceMinutes", true)),
                        intOrNull(data, "autoTimeoutMinutes"), intOrNull(data, "realWorkBlockMinutes"));
                case EmployeeUpdated.TYPE -> new EmployeeUpdated(text(data, "employeeId", true), text(data, "name", true),
                        bool(data, "active"), data.hasNonNull("workstationUsers") ? texts(data, "workstationUsers") : null,
                        data.hasNonNull("staffTraceIds") ? texts(data, "staffTraceIds") : null);
                case DeviceAssigned.TYPE -> new DeviceAssigned(text(data, "mac", true), text(data, "employeeId", true),
                        text(data, "label", false));
                case DeviceReleased.TYPE -> new DeviceReleased(text(data, "mac", true));
                case PresenceHourReported.TYPE -> new PresenceHourReported(text(data, "employeeId", true),
                        date(text(data, "date", true)), Math.toIntExact(number(data, "hour", true)),
                        instant(text(data, "firstSeen", true)), instant(text(data, "lastSeen", true)),
                        Math.toIntExact(number(data, "minutesOnline", true)));
                case AgentDowntimeReported.TYPE -> new AgentDowntimeReported(instant(text(data, "start", true)),
                        instant(text(data, "end", true)));
                case AgentEnrolled.TYPE -> new AgentEnrolled(text(data, "agentId", true), text(data, "host", false));
                case AgentRevoked.TYPE -> new AgentRevoked(text(data, "agentId", true));
                case WorkstationSessionChanged.TYPE -> new WorkstationSessionChanged(
                        text(data, "user", true), text(data, "host", false),
                        WorkstationSessionKind.fromWire(text(data, "kind", true)));
                case RealNamesRevealed.TYPE -> new RealNamesRevealed(text(data, "viewer", true),
                        text(data, "page", true), text(data, "period", true));
                default -> throw new UnknownEventTypeException(type);
            };
            return new EventEnvelope(uuid(text(n, "id", true)), type, text(n, "source", true),
                    instant(text(n, "time", true)), text(n, "site", true), text(n, "subject", false), event);
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new EventDecodingException("invalid " + type + ": " + ex.getMessage(), ex);
        }
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new EventDecodingException(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new EventDecodingException(field + " must be a string");
        }
        return v.textValue();
    }

    private static long number(JsonNode n, String field, boolean required) {
        Long v = numberOrNull(n, field);
        if (v == null) {
            if (required) {
                throw new EventDecodingException(field + " is required");
            }
            return 0;
        }
        return v;
    }

    private static Long numberOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new EventDecodingException(field + " must be a whole number");
        }
        return v.longValue();
    }

    /** An optional whole number that must fit an int (absent or null: null). */
    private static Integer intOrNull(JsonNode n, String field) {
        Long v = numberOrNull(n, field);
        return v == null ? null : Math.toIntExact(v);
    }

    private static java.util.List<String> texts(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw new EventDecodingException(field + " must be an array of strings");
        }
        java.util.List<String> out = new java.util.ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new EventDecodingException(field + " must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new EventDecodingException(field + " must be true or false");
        }
        return v.booleanValue();
    }

    private static java.time.LocalDate date(String s) {
        try {
            return java.time.LocalDate.parse(s);
        } catch (DateTimeParseException ex) {
            throw new EventDecodingException("date is not YYYY-MM-DD: '" + s + "'");
        }
    }

    private static java.time.ZoneId zone(String id) {
        try {
            return java.time.ZoneId.of(id);
        } catch (java.time.DateTimeException ex) {
            throw new EventDecodingException("zone is not an IANA time zone: '" + id + "'");
        }
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException ex) {
            throw new EventDecodingException("id is not a UUID: '" + s + "'");
        }
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ex) {
            throw new EventDecodingException("time is not an ISO-8601 UTC instant: '" + s + "'");
        }
    }
}
