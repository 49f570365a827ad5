package dev.rollcall.ingest;

/** A valid agent tried to write to a site that is not its own, or for another agent: 403, and nothing is appended. */
public class ForeignSiteException extends RuntimeException {
    public ForeignSiteException(String message) {
        super(message);
    }
}
