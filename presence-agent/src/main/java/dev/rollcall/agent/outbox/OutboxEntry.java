package dev.rollcall.agent.outbox;

import dev.rollcall.events.EventEnvelope;

/** One queued event and its place in the queue. */
public record OutboxEntry(long sequence, EventEnvelope event) {
}
