package dev.rollcall.ingest;

/** A refusal with its own status and a message for the caller (enrollment, agent administration). */
public class ProblemException extends RuntimeException {

    private final int status;

    public ProblemException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
