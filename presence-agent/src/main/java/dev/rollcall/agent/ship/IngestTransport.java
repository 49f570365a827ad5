package dev.rollcall.agent.ship;

import dev.rollcall.events.EventEnvelope;

import java.io.IOException;
import java.util.List;

/** Sends one batch of events to the server. An {@link IOException} means no answer (connection, timeout, TLS). */
@FunctionalInterface
public interface IngestTransport {

    IngestResponse send(List<EventEnvelope> batch) throws IOException, InterruptedException;
}
