package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads a work-tracing client's report, {@code {"user": "DOMAIN\\name", "state": "working"|"stopped", "ts": "…"}},
 * into an event. Pure: the clock and the ids come in as arguments.
 */
public final class WorkTracingReports {

    public static final String SOURCE = "ingest/work-tracing";

    private final String site;
    private final ZoneId zone;
    private final TimeBounds bounds;

    public WorkTracingReports(String site, ZoneId zone, TimeBounds bounds) {
        this.site = site;
        this.zone = zone;
        this.bounds = bounds;
    }

    public EventEnvelope toEvent(JsonNode body, Instant now, UUID id) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object like "
                    + "{\"user\": \"DOMAIN\\\\name\", \"state\": \"working\", \"ts\": \"2024-05-10T10:20:30Z\"}");
        }
        String user = requiredString(body, "user");
        WorkstationState state;
        try {
            state = WorkstationState.fromWire(requiredString(body, "state"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        Instant when = body.hasNonNull("ts") ? bounds.check("ts", parseTime(body.get("ts")), now) : now;
        try {
            return EventEnvelope.of(id, SOURCE, when, site, user.strip(), new WorkstationStateChanged(user, null, state));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(field + " is required");
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(field + " must be a string");
        }
        if (v.textValue().isBlank()) {
            throw new InvalidInputException(field + " must not be blank");
        }
        return v.textValue();
    }

    /** An ISO-8601 time with offset (or Z) is an instant; without offset it is a local time of the site. */
    Instant parseTime(JsonNode ts) {
        if (!ts.isTextual()) {
            throw new InvalidInputException("ts must be an ISO-8601 time string such as 2024-05-10T10:20:30Z");
        }
        String s = ts.textValue().strip();
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException withOffset) {
            try {
                return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
            } catch (DateTimeParseException local) {
                throw new InvalidInputException("ts '" + abbreviate(s) + "' is not an ISO-8601 time such as "
                        + "2024-05-10T10:20:30Z (or 2024-05-10T12:20:30, read in the site's zone " + zone + ")");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
