package dev.rollcall.report;

/** A query parameter the caller can fix; the message says how. */
public class InvalidQueryException extends RuntimeException {

    public InvalidQueryException(String message) {
        super(message);
    }
}
