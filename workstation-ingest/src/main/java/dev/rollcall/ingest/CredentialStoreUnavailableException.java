package dev.rollcall.ingest;

/** The database that holds enrolled agents and codes did not answer: 503, the caller retries. */
public class CredentialStoreUnavailableException extends RuntimeException {
    public CredentialStoreUnavailableException(Throwable cause) {
        super(cause);
    }
}
