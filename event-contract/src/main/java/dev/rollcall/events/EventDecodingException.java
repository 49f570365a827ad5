package dev.rollcall.events;

/** A byte sequence that is not a valid Rollcall event; the message says what is wrong. */
public class EventDecodingException extends RuntimeException {

    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
