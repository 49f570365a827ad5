package dev.rollcall.ingest;

/** Kafka did not acknowledge an event in time: the caller should retry (the event id makes that safe). */
public class EventLogUnavailableException extends RuntimeException {

    public EventLogUnavailableException(Throwable cause) {
        super("the event log did not acknowledge the event", cause);
    }
}
