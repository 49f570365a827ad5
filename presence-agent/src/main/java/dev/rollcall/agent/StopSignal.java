package dev.rollcall.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop asked for by the JVM's shutdown hook (SIGTERM, systemd's stop, a logoff): it ends the main thread's sleeps
 * (the loop's, and the scan's wait for ARP to settle), then waits (5 s at most) for the main thread to queue its last events and give the shipper a moment, since
 * the JVM halts when its hooks return.
 *
 * <p>It never interrupts the main thread. An interrupt that lands while the loop appends to the outbox closes the
 * outbox's file channel ({@code ClosedByInterruptException}), and the stopping heartbeat could then not be queued
 * ({@code AgentHealthIT} caught it once: "cannot queue the stopping heartbeat: null", an agent stopped during its first
 * second).
 */
public final class StopSignal implements Runnable {

    private final CountDownLatch asked = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    /**
     * Sleeps as {@link Sleeper#REAL} does, and ends like an interrupted sleep, with an {@link InterruptedException},
     * as soon as a stop is asked for (or was): whatever waited gives up there, as it would on an interrupt, but the
     * thread's interrupt flag stays clear, so no file channel can be closed by it.
     */
    private final Sleeper sleeper = d -> {
        if (asked.await(d.isPositive() ? d.toNanos() : 0, TimeUnit.NANOSECONDS)) {
            throw new InterruptedException("a stop was asked for");
        }
    };

    public boolean running() {
        return asked.getCount() > 0;
    }

    /** The main thread's sleeper. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** The main thread has queued what it had to at a stop (or gave up): the hook may return. */
    public void done() {
        done.countDown();
    }

    /** The shutdown hook. */
    @Override
    public void run() {
        asked.countDown();
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
