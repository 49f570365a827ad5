package dev.rollcall.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as it travels and is stored: CloudEvents attribute names around one {@link RollcallEvent}.
 *
 * @param id      unique per event, minted where the signal was first observed; re-sends keep it, so
 *                consumers drop duplicates by it
 * @param type    the data's versioned type
 * @param source  who observed it: {@code agent/<id>} or {@code ingest/<endpoint>}
 * @param time    when it happened (UTC)
 * @param site    the site it belongs to; also the Kafka key, so a site's events are totally ordered
 * @param subject whom it is about (a workstation user, a device), for filtering without decoding data
 * @param data    the event itself
 */
public record EventEnvelope(UUID id, String type, String source, Instant time, String site, String subject,
                            RollcallEvent data) {

    public static final String SPEC_VERSION = "1.0";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        source = ContractChecks.requireText("source", source, 256);
        site = ContractChecks.requireSiteId(site);
        subject = subject == null ? null : ContractChecks.requireText("subject", subject, 512);
        if (!data.type().equals(type)) {
            throw new IllegalArgumentException("type '" + type + "' does not match data of type '" + data.type() + "'");
        }
    }

    /** An envelope whose type is taken from its data. */
    public static EventEnvelope of(UUID id, String source, Instant time, String site, String subject, RollcallEvent data) {
        return new EventEnvelope(id, data.type(), source, time, site, subject, data);
    }

    /** The Kafka record key: the site, for every signal topic. */
    public String key() {
        return site;
    }

    public Topic topic() {
        return data.topic();
    }
}
