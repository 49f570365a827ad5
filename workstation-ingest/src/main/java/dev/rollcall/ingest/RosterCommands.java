package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Turns roster administration requests into roster events. Pure: the clock and the id come in. Every check
 * happens before an event exists, so a refused request writes nothing.
 */
public final class RosterCommands {

    public static final int DEFAULT_GRACE_MINUTES = 5;

    private final TimeBounds bounds;

    public RosterCommands(TimeBounds bounds) {
        this.bounds = bounds;
    }

    public EventEnvelope configureSite(String site, JsonNode body, String admin, Instant now, UUID id) {
        JsonNode b = object(body);
        ZoneId zone;
        try {
            zone = ZoneId.of(text(b, "zone", true));
        } catch (DateTimeException e) {
            throw new InvalidInputException("zone must be an IANA time zone such as Europe/Berlin, got '" + b.get("zone").asText() + "'");
        }
        int grace = b.hasNonNull("presenceGraceMinutes") ? whole(b, "presenceGraceMinutes") : DEFAULT_GRACE_MINUTES;
        // absent: the deployment's workstation rules (projection.workstation.*)
        Integer autoTimeout = b.hasNonNull("autoTimeoutMinutes") ? whole(b, "autoTimeoutMinutes") : null;
        Integer realWorkBlock = b.hasNonNull("realWorkBlockMinutes") ? whole(b, "realWorkBlockMinutes") : null;
        return event(id, admin, now, site, site,
                () -> new SiteConfigured(text(b, "name", true), zone, grace, autoTimeout, realWorkBlock));
    }

    public EventEnvelope updateEmployee(String site, String employeeId, JsonNode body, String admin, Instant now, UUID id) {
        JsonNode b = object(body);
        boolean active = !b.hasNonNull("active") || bool(b, "active");
        // absent: the employee's workstation user names stay as they are; [] removes them
        java.util.List<String> workstationUsers = b.hasNonNull("workstationUsers") ? texts(b, "workstationUsers") : null;
        // the same for the ids StaffTrace's agent reports the employee by
        java.util.List<String> staffTraceIds = b.hasNonNull("staffTraceIds") ? texts(b, "staffTraceIds") : null;
        return event(id, admin, now, site, employeeId,
                () -> new EmployeeUpdated(employeeId, text(b, "name", true), active, workstationUsers, staffTraceIds));
    }

    /** From {@code from} (default: now) the device belongs to the employee. */
    public EventEnvelope assignDevice(String site, String mac, JsonNode body, String admin, Instant now, UUID id) {
        JsonNode b = object(body);
        Instant from = from(text(b, "from", false), now);
        return event(id, admin, from, site, mac, () -> new DeviceAssigned(mac, text(b, "employeeId", true), text(b, "label", false)));
    }

    public EventEnvelope releaseDevice(String site, String mac, String fromParam, String admin, Instant now, UUID id) {
        return event(id, admin, from(fromParam, now), site, mac, () -> new DeviceReleased(mac));
    }

    private Instant from(String from, Instant now) {
        if (from == null || from.isBlank()) {
            return now;
        }
        try {
            return bounds.check("from", Instant.parse(from.strip()), now);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("from must be an ISO-8601 instant such as 2026-11-20T08:00:00Z, got '" + from + "'");
        }
    }

    private static EventEnvelope event(UUID id, String admin, Instant time, String site, String subject,
                                       java.util.function.Supplier<RollcallEvent> data) {
        try {
            RollcallEvent d = data.get();
            String normalisedSubject = switch (d) {
                case DeviceAssigned a -> a.mac();
                case DeviceReleased r -> r.mac();
                default -> subject;
            };
            return EventEnvelope.of(id, "ingest/roster/" + admin, time, site, normalisedSubject, d);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("send a JSON object");
        }
        return body;
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidInputException(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(field + " must be a string");
        }
        return v.textValue();
    }

    private static java.util.List<String> texts(JsonNode b, String field) {
        JsonNode v = b.get(field);
        java.util.List<String> out = new java.util.ArrayList<>();
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    break;
                }
                out.add(item.textValue());
            }
            if (out.size() == v.size()) {
                return out;
            }
        }
        throw new InvalidInputException(field + " must be an array of strings");
    }

    private static int whole(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidInputException(field + " must be a whole number");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (!v.isBoolean()) {
            throw new InvalidInputException(field + " must be true or false");
        }
        return v.booleanValue();
    }
}
