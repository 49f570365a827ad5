package dev.rollcall.agent.network;

import dev.rollcall.events.DeviceState;

import java.time.Instant;

/**
 * The agent's view of a device changed.
 *
 * @param ip   the address it was seen on when it came online; {@code null} when it went offline
 * @param time when it came online (the scan that first saw it) or went offline (the last scan that saw it)
 */
public record DeviceTransition(String mac, String ip, DeviceState state, Instant time) {
}
