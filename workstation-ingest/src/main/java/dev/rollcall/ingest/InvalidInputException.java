package dev.rollcall.ingest;

/** The request is wrong in a way the caller can fix; the message says how. Nothing was appended. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
