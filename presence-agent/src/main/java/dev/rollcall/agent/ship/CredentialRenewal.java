package dev.rollcall.agent.ship;

import dev.rollcall.agent.Sleeper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Keeps the agent's credential fresh: when a third of its validity is left, asks the server for a new one
 * ({@code POST /api/agent/credential}), writes it to the credential file whole (as enrollment does) and only then
 * uses it. The server keeps the previous credential valid until the new one is first used, so dying at any point
 * is safe: the agent starts with whichever credential the file holds, and that one works. A failure is logged and
 * retried with backoff; it never stops scanning or shipping (they run on other threads and use {@link #get()}).
 * A credential of unknown lifetime (a one-line file of an older agent) is renewed once at start, to learn it.
 */
public final class CredentialRenewal implements Supplier<AgentCredential> {

    private static final Logger LOG = Logger.getLogger(CredentialRenewal.class);

    /** The longest sleep between looks at the clock (a wall clock may jump; the due time is an instant). */
    static final Duration MAX_WAIT = Duration.ofHours(1);

    /** The server's side of a renewal; {@link EnrollmentClient#renew} in production. */
    @FunctionalInterface
    public interface Exchange {
        AgentCredential renew(AgentCredential current, Instant now) throws IOException, InterruptedException,
                EnrollmentClient.Refused;
    }

    private final Path file;
    private final Exchange exchange;
    private final Clock clock;
    private final Backoff backoff;
    private volatile AgentCredential current;
    private int failures;

    public CredentialRenewal(AgentCredential current, Path file, Exchange exchange, Clock clock, Backoff backoff) {
        this.current = current;
        this.file = file;
        this.exchange = exchange;
        this.clock = clock;
        this.backoff = backoff;
    }

    /** Renewal against the ingest at {@code server}, with the same transport rules as shipping. */
    public static CredentialRenewal of(URI server, AgentCredential credential, Path file, Optional<SSLContext> trust,
                                       String userAgent) {
        EnrollmentClient client = new EnrollmentClient(server, trust, userAgent);
        return new CredentialRenewal(credential, file, client::renew, Clock.systemUTC(),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble()));
    }

    /** The credential to send now. */
    @Override
    public AgentCredential get() {
        return current;
    }

    /**
     * When to renew: a third of the validity before the expiry; at once when the lifetime is unknown; never when
     * the credential does not expire.
     */
    static Optional<Instant> renewAt(AgentCredential c) {
        if (c.lifetime().isEmpty()) {
            return Optional.of(Instant.EPOCH);
        }
        AgentCredential.Lifetime l = c.lifetime().get();
        if (l.expiresAt() == null) {
            return Optional.empty();
        }
        Duration validity = Duration.between(l.issuedAt(), l.expiresAt());
        return Optional.of(validity.isPositive() ? l.expiresAt().minus(validity.dividedBy(3)) : Instant.EPOCH);
    }

    /** Renews until {@code running} turns false or there is nothing left to renew. */
    public void run(Sleeper sleeper, BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean()) {
            Optional<Duration> wait = step();
            if (wait.isEmpty()) {
                return;
            }
            sleeper.sleep(wait.get());
        }
    }

    /**
     * One look: renews if due. Returns how long to wait before the next look, or empty when no renewal will ever
     * be due (a credential that does not expire, a server without renewal, a configured agent).
     */
    public Optional<Duration> step() throws InterruptedException {
        Instant now = clock.instant();
        Optional<Instant> at = renewAt(current);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        if (now.isBefore(at.get())) {
            Duration until = Duration.between(now, at.get());
            return Optional.of(until.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : until);
        }
        CredentialFile target = null;
        try {
            // prepared first: a credential file that cannot be written fails before the server issues anything
            target = CredentialFile.prepare(file, true);
            AgentCredential renewed = exchange.renew(current, now);
            target.commit(renewed);
            target = null;
            current = renewed;
            failures = 0;
            LOG.infof("renewed the credential of agent %s (%s); it is in %s", renewed.agentId(),
                    renewed.lifetime().map(l -> l.expiresAt() == null ? "it does not expire" : "valid until " + l.expiresAt())
                            .orElse("lifetime unknown"), file);
            Optional<Instant> next = renewAt(renewed);
            // at least a second: a clock far off must not turn this into a busy loop
            return next.map(n -> Duration.between(clock.instant(), n))
                    .map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d);
        } catch (EnrollmentClient.Refused r) {
            return switch (r.status()) {
                case 404, 405 -> stop("the server does not renew credentials (" + r.status() + "); the agent keeps "
                        + "its credential");
                case 409 -> stop("the server does not renew this agent's credential: " + r.getMessage());
                case 401, 403 -> retry("THE SERVER REFUSES TO RENEW THIS AGENT'S CREDENTIAL (" + r.status() + " "
                        + r.getMessage() + ")", Shipper.REFUSED_RETRY);
                default -> retry("renewing the credential failed (" + r.status() + " " + r.getMessage() + ")", null);
            };
        } catch (IOException | RuntimeException e) {
            return retry("renewing the credential failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", null);
        } finally {
            if (target != null) {
                target.abandon();
            }
        }
    }

    private Optional<Duration> stop(String why) {
        LOG.warnf("%s; no more renewals in this run", why);
        return Optional.empty();
    }

    private Optional<Duration> retry(String why, Duration fixed) {
        failures++;
        Duration wait = fixed != null ? fixed : backoff.delay(failures);
        // loud at the first failure, then at 2, 4, 8 …; the current credential stays in use meanwhile
        if (Integer.bitCount(failures) == 1) {
            LOG.warnf("%s; the current credential stays in use%s; attempt %d, next in %.1f s", why,
                    current.lifetime().map(l -> l.expiresAt() == null ? "" : " (valid until " + l.expiresAt() + ")").orElse(""),
                    failures, wait.toMillis() / 1000.0);
        } else {
            LOG.debugf("%s; attempt %d, next in %.1f s", why, failures, wait.toMillis() / 1000.0);
        }
        return Optional.of(wait);
    }

    /** Starts renewing on a daemon thread of its own. */
    public Thread start(BooleanSupplier running) {
        return Thread.ofPlatform().name("presence-agent-credential").daemon().start(() -> {
            try {
                run(Sleeper.REAL, running);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
