package dev.rollcall.report;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.UUID;

/** Reveals of real names: each one on the audit topic (acks=all) before the request may show a name. */
@ApplicationScoped
public class Reveals {

    private static final Logger LOG = Logger.getLogger(Reveals.class);

    private final AuditLog audit;
    private final Clock clock;

    public Reveals(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Appends {@code viewer}'s reveal of {@code page} (acks=all), then lets this request show real names. Call it
     * on the request's context; a failure (no audit) leaves the request under pseudonyms.
     */
    public Uni<Void> reveal(String viewer, Site site, String page, String period) {
        io.vertx.core.Context request = Disclosure.request();
        RealNamesRevealed revealed = new RealNamesRevealed(viewer, page.length() > 200 ? page.substring(0, 200) : page,
                period.length() > 100 ? period.substring(0, 100) : period);
        EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), "report-service", clock.instant(), site.id(), viewer, revealed);
        return audit.append(event)
                .invoke(() -> Disclosure.revealed(request))
                .onFailure().invoke(e -> LOG.warnf("could not write the audit event for a reveal on %s: %s", revealed.page(), e.toString()));
    }
}
