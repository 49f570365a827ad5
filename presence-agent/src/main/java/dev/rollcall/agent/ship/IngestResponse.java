package dev.rollcall.agent.ship;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What workstation-ingest answered to a batch, in the terms the shipper acts on. */
public sealed interface IngestResponse {

    /** 200: every event of the batch is durably appended (re-sent ones were dropped by id). */
    record Accepted(int accepted) implements IngestResponse {
    }

    /** 400: nothing was stored; these events are invalid. {@code errors} may be empty if the server named none. */
    record Invalid(List<EventError> errors, String detail) implements IngestResponse {
    }

    /** 401 or 403: the credential is unknown, revoked or not for this site. */
    record Refused(int status, String detail) implements IngestResponse {
    }

    /** 413: the batch is larger than the server takes. */
    record TooLarge(String detail) implements IngestResponse {
    }

    /** 429 or 5xx: try again later, no sooner than {@code retryAfter} if the server said so. */
    record Unavailable(int status, Optional<Duration> retryAfter, String detail) implements IngestResponse {
    }

    /** Anything else (404 from a wrong URL, a redirect …): a configuration problem; try again later. */
    record Unexpected(int status, String detail) implements IngestResponse {
    }

    /** One invalid event as the server's problem+json names it: by position in the batch and/or by id. */
    record EventError(Integer index, String id, String message) {
    }
}
