package dev.rollcall.projection.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fold of {@link OnlineIntervals} over a whole history, for every device of every site at once, read as one stream
 * in time order: what a bulk load folds when it has read everything. Pure: no clock, no I/O.
 *
 * <p>Observations come site by site, each site's in time order (any order within an instant). For each device the
 * result is {@link OnlineIntervals#fold} of its observations: its state changes, a {@code SEEN} for each heartbeat
 * listing it, and a {@code MISSING} for each scanning agent's heartbeat that does not. That fold reads an instant's
 * observations opens first, then offline changes, then the missing ones, and what it makes of them depends only on
 * which kinds the instant holds, not on their ids; so an instant is folded in those three steps for all devices at
 * once, and a scanning heartbeat only has to look at the devices online then, not at every device it does not list.
 */
public final class SiteTimelines {

    /** Where the intervals go, as they are found (a device's in time order). */
    @FunctionalInterface
    public interface Sink {
        void interval(String site, String mac, OnlineInterval interval);
    }

    private final Sink sink;
    private String site;
    private Instant at;
    /** The current site's devices online now, and since when. */
    private final Map<String, Instant> online = new HashMap<>();
    private final Set<String> sitesDone = new HashSet<>();
    /** The current instant's observations, by step. */
    private final List<String> opening = new ArrayList<>();
    private final List<String> offline = new ArrayList<>();
    private final List<Set<String>> scans = new ArrayList<>();

    public SiteTimelines(Sink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** A device's state change. */
    public void change(String site, Instant at, String mac, boolean online) {
        moveTo(site, at);
        (online ? opening : offline).add(mac);
    }

    /**
     * An agent's heartbeat: it saw the devices it lists; a scanning agent's also found every other device missing.
     */
    public void heartbeat(String site, Instant at, boolean scanning, Collection<String> listed) {
        moveTo(site, at);
        opening.addAll(listed);
        if (scanning) {
            scans.add(listed instanceof Set<String> s ? s : new HashSet<>(listed));
        }
    }

    /** Ends the stream: the devices still online get their open interval. */
    public void finish() {
        endSite();
        site = null;
        at = null;
    }

    private void moveTo(String site, Instant at) {
        if (this.site != null && !this.site.equals(site)) {
            endSite();
            if (sitesDone.contains(site)) {
                throw new IllegalArgumentException("observations of site " + site + " after another site's");
            }
        } else if (this.at != null && at.isBefore(this.at)) {
            throw new IllegalArgumentException("observations of site " + site + " out of time order: " + at + " after " + this.at);
        } else if (this.at != null && !at.equals(this.at)) {
            foldInstant();
        }
        this.site = site;
        this.at = at;
    }

    private void endSite() {
        if (site == null) {
            return;
        }
        foldInstant();
        online.forEach((mac, since) -> sink.interval(site, mac, OnlineInterval.open(since)));
        online.clear();
        sitesDone.add(site);
    }

    private void foldInstant() {
        for (String mac : opening) {
            online.putIfAbsent(mac, at);
        }
        for (String mac : offline) {
            close(mac, online.remove(mac), OnlineInterval.EndedBy.OFFLINE);
        }
        for (Set<String> listed : scans) {
            for (Iterator<Map.Entry<String, Instant>> i = online.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<String, Instant> d = i.next();
                if (!listed.contains(d.getKey())) {
                    i.remove();
                    close(d.getKey(), d.getValue(), OnlineInterval.EndedBy.HEARTBEAT);
                }
            }
        }
        opening.clear();
        offline.clear();
        scans.clear();
    }

    /** Closes a device's interval now; one that opened at this same instant is no interval. */
    private void close(String mac, Instant since, OnlineInterval.EndedBy by) {
        if (since != null && at.isAfter(since)) {
            sink.interval(site, mac, new OnlineInterval(since, at, by));
        }
    }
}
