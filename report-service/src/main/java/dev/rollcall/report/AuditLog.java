package dev.rollcall.report;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Appends report-service's events (audit, roster) to the topic their type belongs to, keyed by site. The
 * {@link Uni} completes only once the broker acknowledged with {@code acks=all}: nothing is shown or answered 2xx before.
 */
@ApplicationScoped
public class AuditLog {

    private final MutinyEmitter<byte[]> emitter;

    public AuditLog(@Channel("events") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> append(EventEnvelope event) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic().topicName())
                .withKey(event.key())
                .build();
        return emitter.sendMessage(Message.of(EventCodec.encode(event)).addMetadata(metadata));
    }
}
