package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.PresenceHourReported;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * StaffTrace's agent payloads as Rollcall events. Pure. Ids are derived from content, so a summary sent again
 * is the same event and counts once; a corrected summary of the same hour is a new event that supersedes the
 * earlier one. Employee names in the payloads are not kept: the roster owns names (collect the minimum).
 */
public final class StaffTracePayloads {

    static final String SOURCE = "ingest/stafftrace";
    public static final int MAX_ENTRIES = 10_000;

    private final TimeBounds bounds;

    public StaffTracePayloads(TimeBounds bounds) {
        this.bounds = bounds;
    }

    /**
     * {@code POST /api/heartbeat}: the agent is alive, and who it sees present now: the ids of the entries of
     * {@code devicesOnline} with {@code isPresent: true} (its own view of "now"). Names, areas and the rest of each
     * entry are not kept.
     */
    public EventEnvelope heartbeat(JsonNode body, String site, ZoneId zone, Instant now) {
        Instant at = time(body, "timestamp", zone, now);
        JsonNode online = array(body, "devicesOnline");
        if (online.size() > AgentHeartbeat.MAX_DEVICES) {
            throw new InvalidInputException("devicesOnline lists more than " + AgentHeartbeat.MAX_DEVICES + " entries");
        }
        List<String> present = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < online.size(); i++) {
            JsonNode d = online.get(i);
            try {
                String employee = text(d, "employeeId");
                JsonNode isPresent = d.get("isPresent");
                if (isPresent != null && !isPresent.isNull() && !isPresent.isBoolean()) {
                    throw new InvalidInputException("isPresent must be true or false");
                }
                // absent isPresent: listed as online, so present
                if (isPresent == null || isPresent.isNull() || isPresent.booleanValue()) {
                    present.add(EmployeeUpdated.requireStaffTraceId(employee));
                }
            } catch (InvalidInputException | IllegalArgumentException e) {
                errors.add("devicesOnline[" + i + "]: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(String.join("; ", errors.subList(0, Math.min(errors.size(), 20)))
                    + (errors.size() > 20 ? "; and " + (errors.size() - 20) + " more" : "") + "; nothing was stored");
        }
        String agent = "stafftrace-" + site;
        try {
            return EventEnvelope.of(id("heartbeat", site, at.toString()), SOURCE, at, site, agent,
                    new AgentHeartbeat(agent, "stafftrace", "stafftrace agent", "unknown", 0, 0, null, List.of(), present));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** {@code POST /api/presence}: hourly summaries per employee and the agent's own downtimes. */
    public List<EventEnvelope> presence(JsonNode body, String site, ZoneId zone, Instant now) {
        Instant at = time(body, "timestamp", zone, now);
        List<EventEnvelope> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        JsonNode data = array(body, "presenceData");
        JsonNode downtimes = array(body, "agentDowntimes");
        if (data.size() + downtimes.size() > MAX_ENTRIES) {
            throw new InvalidInputException("at most " + MAX_ENTRIES + " entries per request");
        }
        for (int i = 0; i < data.size(); i++) {
            JsonNode p = data.get(i);
            try {
                String employee = text(p, "employeeId");
                LocalDate date = LocalDate.parse(text(p, "date"));
                int hour = whole(p, "hour");
                Instant first = time(p, "firstSeen", zone, now);
                Instant last = time(p, "lastSeen", zone, now);
                int minutes = whole(p, "minutesOnline");
                PresenceHourReported e = new PresenceHourReported(employee, date, hour, first, last, minutes);
                out.add(EventEnvelope.of(id("hour", site, employee, date.toString(), Integer.toString(hour), first.toString(),
                        last.toString(), Integer.toString(minutes)), SOURCE, at, site, e.employeeId(), e));
            } catch (InvalidInputException | IllegalArgumentException | DateTimeException e) {
                errors.add("presenceData[" + i + "]: " + e.getMessage());
            }
        }
        for (int i = 0; i < downtimes.size(); i++) {
            JsonNode d = downtimes.get(i);
            try {
                Instant start = time(d, "downtimeStart", zone, now);
                Instant end = time(d, "downtimeEnd", zone, now);
                out.add(EventEnvelope.of(id("downtime", site, start.toString(), end.toString()), SOURCE, at, site,
                        "stafftrace-" + site, new AgentDowntimeReported(start, end)));
            } catch (InvalidInputException | IllegalArgumentException e) {
                errors.add("agentDowntimes[" + i + "]: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(String.join("; ", errors.subList(0, Math.min(errors.size(), 20)))
                    + (errors.size() > 20 ? "; and " + (errors.size() - 20) + " more" : "") + "; nothing was stored");
        }
        return out;
    }

    /** An ISO time with offset, or a local one in the site's zone (StaffTrace's agent sends either). */
    private Instant time(JsonNode n, String field, ZoneId zone, Instant now) {
        String s = text(n, field);
        Instant t;
        try {
            t = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException withoutOffset) {
            try {
                t = LocalDateTime.parse(s).atZone(zone).toInstant();
            } catch (DateTimeException e) {
                throw new InvalidInputException(field + " must be an ISO-8601 time, got '" + clip(s) + "'");
            }
        }
        return bounds.check(field, t, now);
    }

    private static JsonNode array(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw new InvalidInputException(field + " must be an array");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(field + " is required");
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new InvalidInputException(field + " must be a string");
        }
        return v.asText();
    }

    private static int whole(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidInputException(field + " must be a whole number");
        }
        return v.intValue();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static UUID id(String... parts) {
        return UUID.nameUUIDFromBytes(("stafftrace|" + String.join("|", parts)).getBytes(StandardCharsets.UTF_8));
    }
}
