package dev.rollcall.agent.ship;

import dev.rollcall.agent.Sleeper;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.agent.outbox.OutboxEntry;
import dev.rollcall.events.EventEnvelope;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Ships the outbox to the server: peek a batch, POST it, remove it only after a 200. Everything else leaves
 * the events queued and decides how long to wait:
 * <ul>
 *   <li>400 naming invalid events: those move to {@code rejected/} (they would fail forever), the rest go again;</li>
 *   <li>401/403: the credential is refused; shipping pauses and is retried rarely, while scanning goes on;</li>
 *   <li>413: the batch is halved (a single event that is still too large is rejected);</li>
 *   <li>429, 5xx, no connection, anything unexpected: exponential backoff with jitter, capped.</li>
 * </ul>
 * After an outage it catches up batch after batch without waiting. Re-sends are harmless: the server drops
 * events it already has by id.
 */
public final class Shipper {

    private static final Logger LOG = Logger.getLogger(Shipper.class);

    public static final int MAX_BATCH = 500;
    /** How often a refused credential is tried again: an admin may re-enable the agent. */
    public static final Duration REFUSED_RETRY = Duration.ofMinutes(10);
    /** How long to wait for new events when the outbox is empty before looking again anyway. */
    public static final Duration IDLE_WAIT = Duration.ofSeconds(30);

    public enum Outcome { IDLE, SHIPPED, REJECTED, SHRUNK, REFUSED, FAILED }

    /** What one attempt did, and how long to wait before the next. */
    public record Step(Outcome outcome, int events, Duration pause) {
    }

    private final Outbox outbox;
    private final IngestTransport transport;
    private final Backoff backoff;
    private final int maxBatch;
    private int batchSize;
    private int failures;
    private boolean refused;
    private long shipped;

    public Shipper(Outbox outbox, IngestTransport transport, Backoff backoff) {
        this(outbox, transport, backoff, MAX_BATCH);
    }

    public Shipper(Outbox outbox, IngestTransport transport, Backoff backoff, int maxBatch) {
        if (maxBatch < 1 || maxBatch > MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be 1 to " + MAX_BATCH);
        }
        this.outbox = outbox;
        this.transport = transport;
        this.backoff = backoff;
        this.maxBatch = maxBatch;
        this.batchSize = maxBatch;
    }

    /** Ships until {@code running} turns false; waits with {@code sleeper}, or on the outbox when it is empty. */
    public void run(Sleeper sleeper, BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean()) {
            Step step;
            try {
                step = shipOnce();
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.errorf(e, "shipping failed unexpectedly (outbox %s)", outbox.directory());
                step = new Step(Outcome.FAILED, 0, backoff.delay(failures));
            }
            if (step.outcome() == Outcome.IDLE) {
                outbox.awaitEvents(step.pause());
            } else {
                sleeper.sleep(step.pause());
            }
        }
    }

    /** One attempt: at most one request to the server. */
    public Step shipOnce() throws IOException, InterruptedException {
        List<OutboxEntry> batch = outbox.peek(batchSize);
        if (batch.isEmpty()) {
            return new Step(Outcome.IDLE, 0, IDLE_WAIT);
        }
        List<EventEnvelope> events = batch.stream().map(OutboxEntry::event).toList();
        IngestResponse response;
        try {
            response = transport.send(events);
        } catch (IOException e) {
            return failed("cannot reach the server: " + describe(e), null);
        }
        return switch (response) {
            case IngestResponse.Accepted a -> accepted(batch);
            case IngestResponse.Invalid inv -> invalid(batch, inv);
            case IngestResponse.Refused r -> refusedBy(r);
            case IngestResponse.TooLarge t -> tooLarge(batch, t);
            case IngestResponse.Unavailable u -> failed("the server is unavailable (" + u.status() + " " + u.detail()
                    + ")", u.retryAfter().orElse(null));
            case IngestResponse.Unexpected u -> failed("the server answered " + u.status() + " " + u.detail()
                    + " (is --server the ingest's base URL?)", null);
        };
    }

    private Step accepted(List<OutboxEntry> batch) throws IOException {
        outbox.remove(batch);
        shipped += batch.size();
        if (failures > 0 || refused) {
            LOG.infof("the server accepts events again; %d more queued to catch up on", outbox.size());
        }
        failures = 0;
        refused = false;
        return new Step(Outcome.SHIPPED, batch.size(), Duration.ZERO);
    }

    private Step invalid(List<OutboxEntry> batch, IngestResponse.Invalid inv) throws IOException {
        Set<OutboxEntry> bad = new LinkedHashSet<>();
        List<String> reasons = new ArrayList<>();
        for (IngestResponse.EventError err : inv.errors()) {
            OutboxEntry match = null;
            for (OutboxEntry e : batch) {
                if (err.id() != null && err.id().equals(e.event().id().toString())) {
                    match = e;
                }
            }
            if (match == null && err.id() == null && err.index() != null && err.index() >= 0
                    && err.index() < batch.size()) {
                match = batch.get(err.index());
            }
            if (match != null && bad.add(match)) {
                reasons.add(err.message());
            }
        }
        if (bad.isEmpty()) {
            // A 400 that names no event of ours: the request itself is wrong (a server of another version?).
            // Rejecting events blindly would empty the queue into rejected/, so back off and say so.
            return failed("the server refused the batch as invalid without naming an event: " + inv.detail(), null);
        }
        int i = 0;
        for (OutboxEntry e : bad) {
            outbox.reject(e, reasons.get(i++));
        }
        failures = 0;
        return new Step(Outcome.REJECTED, bad.size(), Duration.ZERO);
    }

    private Step refusedBy(IngestResponse.Refused r) {
        if (!refused) {
            LOG.errorf("THE SERVER REFUSES THIS AGENT'S CREDENTIAL (%d %s). Shipping is paused: events stay "
                    + "queued (%d now) and scanning goes on; retrying every %d minutes. Check the credential "
                    + "file and that the agent is enrolled for this site and not revoked.", r.status(), r.detail(),
                    outbox.size(), REFUSED_RETRY.toMinutes());
        } else {
            LOG.warnf("the server still refuses this agent's credential (%d); %d events queued",
                    r.status(), outbox.size());
        }
        refused = true;
        return new Step(Outcome.REFUSED, 0, REFUSED_RETRY);
    }

    private Step tooLarge(List<OutboxEntry> batch, IngestResponse.TooLarge t) throws IOException {
        if (batch.size() > 1) {
            batchSize = Math.max(1, batch.size() / 2);
            LOG.infof("the server finds %d events too large a batch (413); sending %d at a time", batch.size(), batchSize);
            return new Step(Outcome.SHRUNK, 0, Duration.ZERO);
        }
        outbox.reject(batch.getFirst(), "larger than the server accepts (413 " + t.detail() + ")");
        return new Step(Outcome.REJECTED, 1, Duration.ZERO);
    }

    private Step failed(String why, Duration retryAfter) {
        failures++;
        Duration wait = backoff.delay(failures);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter.compareTo(backoff.cap()) > 0 ? backoff.cap() : retryAfter;
        }
        // Loud at the first failure, then at 2, 4, 8 … so a long outage does not flood the log.
        if (Integer.bitCount(failures) == 1) {
            LOG.warnf("%s; %d events queued, keeping them and scanning; attempt %d, next in %.1f s",
                    why, outbox.size(), failures, wait.toMillis() / 1000.0);
        } else {
            LOG.debugf("%s; attempt %d, next in %.1f s", why, failures, wait.toMillis() / 1000.0);
        }
        return new Step(Outcome.FAILED, 0, wait);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** Events the server accepted since start. */
    public long shipped() {
        return shipped;
    }

    /** The current batch size: {@code maxBatch}, halved by each 413 for the rest of the run. */
    public int batchSize() {
        return batchSize;
    }

    public boolean refused() {
        return refused;
    }
}
