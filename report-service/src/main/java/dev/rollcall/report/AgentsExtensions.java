package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** What the agents page and the downtime banners derive from their records. */
@TemplateExtension
public class AgentsExtensions {

    /** {@code 42 s ago}, {@code 12 min ago}, {@code 3 h 5 min ago}, {@code 2 days ago}. */
    static String ago(Long seconds) {
        if (seconds == null) {
            return "";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min ago";
        }
        return s / 86_400 + (s / 86_400 == 1 ? " day ago" : " days ago");
    }

    static String causeLabel(AgentDowntime d) {
        return switch (d.cause()) {
            case "gap" -> "no heartbeat";
            case "reported" -> "reported by the agent";
            case "silent" -> "silent since then";
            case "stopped" -> "stopped by its host";
            default -> d.cause();
        };
    }

    static long secondsAsOf(AgentDowntime d, Instant now) {
        return d.lengthAsOf(now).toSeconds();
    }

    /**
     * {@code 09:00 – 10:30} on a day page about that day, else {@code Mon 9 Mar 22:00 – Tue 10 Mar 01:30}; an ongoing
     * one ends {@code now}. Local to the site's zone.
     */
    static String fromTo(AgentDowntime d, ZoneId zone, LocalDate day) {
        String from = TimeExtensions.dayAndTime(d.start(), zone, day);
        if (d.end() == null) {
            return from + " – now (still down)";
        }
        boolean sameDay = d.start().atZone(zone).toLocalDate().equals(d.end().atZone(zone).toLocalDate());
        return from + " – " + (sameDay ? TimeExtensions.hhmm(d.end(), zone) : TimeExtensions.dayAndTime(d.end(), zone, day));
    }

    static String fromTo(AgentDowntime d, ZoneId zone) {
        return fromTo(d, zone, null);
    }
}
