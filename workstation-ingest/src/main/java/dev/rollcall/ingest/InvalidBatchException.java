package dev.rollcall.ingest;

import java.util.List;

/** A batch with invalid events: 400 naming each one; nothing of the batch is appended. */
public class InvalidBatchException extends RuntimeException {

    /** One refused event: its position in the batch, its id when readable, and why. */
    public record EventError(int index, String id, String message) {
    }

    private final transient List<EventError> errors;

    public InvalidBatchException(List<EventError> errors) {
        super(errors.size() == 1 ? "1 event of the batch is invalid; nothing was stored"
                : errors.size() + " events of the batch are invalid; nothing was stored");
        this.errors = List.copyOf(errors);
    }

    public List<EventError> errors() {
        return errors;
    }
}
