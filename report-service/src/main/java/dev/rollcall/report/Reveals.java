package dev.rollcall.report;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reveals of real names: each one on the audit topic (acks=all) before the request may show a name.
 *
 * <p>One exception, the "now" page's own refresh: its script asks the page's JSON every 15 s, with real names once
 * the page was revealed. Auditing each of those would write 240 identical events an hour, burying the reveals that
 * matter. So a refresh of the now page (it says so: {@link #REFRESH_HEADER}) is audited at most once an hour per
 * session and site: it shows names without a new event while the same session's reveal of that page (the page
 * itself, its JSON, or an earlier audited refresh) is under {@link #REFRESH_AUDITED_FOR} old. Every other request,
 * the page's own load included, is audited each time. The memory is this replica's: with several, a refresh
 * served by another replica is audited there (more events, never fewer).
 */
@ApplicationScoped
public class Reveals {

    private static final Logger LOG = Logger.getLogger(Reveals.class);

    /** The header the now page's script sends with its refresh; its value names the page. */
    public static final String REFRESH_HEADER = "X-Rollcall-Refresh";
    public static final String REFRESH_NOW = "presence-now";
    /** The now page and its JSON: a reveal of either covers the page's refreshes. */
    static final java.util.Set<String> NOW_PAGES = java.util.Set.of("/presence", "/api/presence/now");
    static final Duration REFRESH_AUDITED_FOR = Duration.ofHours(1);
    /** Bounds the memory (a session and site each); when full, refreshes are audited each time. */
    static final int MAX_REMEMBERED = 10_000;

    private final AuditLog audit;
    private final Clock clock;
    /** (session, site) → when the now page was last audited as revealed for it. */
    private final Map<String, Instant> nowPageRevealed = new ConcurrentHashMap<>();

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

    /**
     * A reveal by a signed-in {@code session}: as {@link #reveal}, except for a refresh of the now page whose reveal
     * this session has had audited within the hour, which shows names without a new event.
     *
     * @param refresh the request is the now page's own refresh ({@link #REFRESH_HEADER})
     */
    public Uni<Void> reveal(String viewer, String session, Site site, String page, String period, boolean refresh) {
        if (!NOW_PAGES.contains(page)) {
            return reveal(viewer, site, page, period);
        }
        String key = session + " " + site.id();
        Instant now = clock.instant();
        Instant last = nowPageRevealed.get(key);
        if (refresh && "/api/presence/now".equals(page) && last != null && !now.isBefore(last)
                && Duration.between(last, now).compareTo(REFRESH_AUDITED_FOR) < 0) {
            Disclosure.revealed(Disclosure.request());
            return Uni.createFrom().voidItem();
        }
        return reveal(viewer, site, page, period).invoke(() -> remember(key, now));
    }

    private void remember(String key, Instant at) {
        if (nowPageRevealed.size() >= MAX_REMEMBERED) {
            nowPageRevealed.values().removeIf(t -> Duration.between(t, at).compareTo(REFRESH_AUDITED_FOR) >= 0);
        }
        if (nowPageRevealed.size() < MAX_REMEMBERED || nowPageRevealed.containsKey(key)) {
            nowPageRevealed.put(key, at);
        }
    }
}
