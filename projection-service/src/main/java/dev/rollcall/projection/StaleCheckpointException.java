package dev.rollcall.projection;

/** The stored checkpoint moved on without us: this consumer lost its partition and must not commit. */
public class StaleCheckpointException extends RuntimeException {

    public StaleCheckpointException(String projection, int version, String topic, int partition, long expected) {
        super("checkpoint of " + projection + " v" + version + " on " + topic + "-" + partition
                + " is no longer at " + expected + ": another consumer advanced it");
    }
}
