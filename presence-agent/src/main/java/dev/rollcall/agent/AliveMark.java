package dev.rollcall.agent;

import dev.rollcall.agent.outbox.DurableFiles;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.EventEnvelope;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * The last moment this agent was known to be observing, kept on disk so that the next start can say how long it
 * was not: one line, {@code <instant>}, or {@code <instant> stopped} after a deliberate stop (SIGTERM, logoff,
 * shutdown). Written whole or not at all ({@link DurableFiles#writeAtomically}: temporary file, fsync, rename), at
 * most once per {@code every}, so a {@code kill -9} leaves the previous mark or the new one, never a torn one.
 * A missing or unreadable mark reports nothing (logged): an outage is never made up.
 */
public final class AliveMark {

    private static final Logger LOG = Logger.getLogger(AliveMark.class);
    static final String STOPPED = "stopped";

    /** What the previous run left: when it was last observing, and whether it stopped deliberately then. */
    public record Last(Instant at, boolean stopped) {
    }

    private final Path file;
    private final Duration every;
    private Instant written;

    /** @param every the least time between two writes (the collector's scan or poll period) */
    public AliveMark(Path file, Duration every) {
        this.file = file;
        this.every = every;
    }

    /** The previous run's mark; empty when there is none or it cannot be read (said in the log). */
    public Optional<Last> read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException first) {
            LOG.debugf("no alive mark at %s (a first start): no outage to report", file);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read the alive mark %s (%s): no outage reported for the time before this start", file, e);
            return Optional.empty();
        }
        String[] f = text.split(" ");
        try {
            if (f.length > 2 || (f.length == 2 && !f[1].equals(STOPPED))) {
                throw new DateTimeParseException("unexpected content", text, 0);
            }
            return Optional.of(new Last(Instant.parse(f[0]), f.length == 2));
        } catch (DateTimeParseException e) {
            LOG.warnf("the alive mark %s is malformed ('%s'): no outage reported for the time before this start", file,
                    text.length() > 80 ? text.substring(0, 80) + "…" : text);
            return Optional.empty();
        }
    }

    /** Marks {@code now} as observed, unless the last mark of this run is younger than {@code every}. */
    public void touch(Instant now) {
        if (written != null && now.isAfter(written) && Duration.between(written, now).compareTo(every) < 0) {
            return;
        }
        write(now.truncatedTo(ChronoUnit.MILLIS).toString());
        written = now;
    }

    /** Marks {@code now} as the moment of a deliberate stop. */
    public void stopped(Instant now) {
        write(now.truncatedTo(ChronoUnit.MILLIS) + " " + STOPPED);
    }

    private void write(String line) {
        try {
            DurableFiles.writeAtomically(file, (line + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.errorf("cannot write the alive mark %s: %s", file, e.getMessage());
        }
    }

    /**
     * The outage to report at a start at {@code now}: from the last mark to now, when that is longer than
     * {@code longerThan}. A deliberate stop counts unless {@code stopIsOutage} is false (a workstation switched off
     * after a logoff is no outage; a network agent stopped leaves presence unknown all the same). A mark ahead of
     * the clock (a clock stepped back) reports nothing.
     */
    public static Optional<EventEnvelope> outage(Optional<Last> last, Instant now, Duration longerThan, boolean stopIsOutage,
                                                 AgentIdentity agent) {
        if (last.isEmpty() || (last.get().stopped() && !stopIsOutage)) {
            return Optional.empty();
        }
        Instant from = last.get().at();
        Instant to = now.truncatedTo(ChronoUnit.MILLIS);
        if (!to.isAfter(from)) {
            LOG.warnf("the alive mark (%s) is not before now (%s): the clock went back; no outage reported", from, to);
            return Optional.empty();
        }
        if (Duration.between(from, to).compareTo(longerThan) <= 0) {
            return Optional.empty();
        }
        return Optional.of(EventEnvelope.of(UUID.randomUUID(), agent.source(), to, agent.site(), agent.agentId(),
                new AgentDowntimeReported(from, to)));
    }
}
