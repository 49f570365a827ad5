package dev.rollcall.agent.network;

import java.util.Locale;

/** A device that answered in a scan: its hardware address (lowercase, colon-separated) and the IPv4 it answered on. */
public record Sighting(String mac, String ip) {

    public Sighting {
        mac = mac.toLowerCase(Locale.ROOT).replace('-', ':');
    }
}
