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
 * JSON form of events: a CloudEvents 1.0 structured-mode document. Written by hand over Jackson's tree model,
 * not by reflection, so it behaves the same on the JVM and in a native image, and the wire form is explicit.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
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
        }
        return d;
    }

    public static EventEnvelope decode(byte[] json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException ex) {
            throw new EventDecodingException("not JSON: " + ex.getOriginalMessage(), ex);
        } catch (IOException ex) {
            throw new EventDecodingException("cannot read JSON", ex);
        }
        return fromTree(n);
    }

    public static EventEnvelope decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
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
                default -> throw new UnknownEventTypeException(type);
            };
            return new EventEnvelope(uuid(text(n, "id", true)), type, text(n, "source", true),
                    instant(text(n, "time", true)), text(n, "site", true), text(n, "subject", false), event);
        } catch (IllegalArgumentException ex) {
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
