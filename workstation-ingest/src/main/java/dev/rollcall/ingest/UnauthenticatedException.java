package dev.rollcall.ingest;

/** No credential, or one that does not identify an agent: 401. */
public class UnauthenticatedException extends RuntimeException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
