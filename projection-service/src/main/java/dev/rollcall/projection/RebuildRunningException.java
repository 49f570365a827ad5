package dev.rollcall.projection;

/** A rebuild was asked for while one is still running: one at a time. */
public class RebuildRunningException extends RuntimeException {

    private final transient Generation running;

    public RebuildRunningException(Generation running) {
        super("a rebuild of " + running.projection() + " is already running (generation " + running.generation() + ")");
        this.running = running;
    }

    public Generation running() {
        return running;
    }
}
