package dev.rollcall.ingest;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Appends events to Kafka: the topic their type belongs to, keyed by site. The returned {@link Uni} completes
 * only when the broker acknowledged the record with {@code acks=all}; before that nothing may answer 2xx.
 */
@ApplicationScoped
public class EventLog {

    private final MutinyEmitter<byte[]> emitter;

    // An agent batch sends up to 500 events at once, and many batches arrive together: buffer them for the
    // producer instead of refusing ("insufficient downstream requests") with a 503 under load.
    public EventLog(@Channel("events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
                    MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> append(EventEnvelope event) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic().topicName())
                .withKey(event.key())
                .build();
        return emitter.sendMessage(Message.of(EventCodec.encode(event)).addMetadata(metadata))
                .onFailure().transform(EventLogUnavailableException::new);
    }
}
