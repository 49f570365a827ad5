package dev.rollcall.ingest;

/** Authenticated, or not needing to be, but not allowed: 403. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
