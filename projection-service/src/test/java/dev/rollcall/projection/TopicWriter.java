package dev.rollcall.projection;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.testsupport.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;

/** Sends events to their topics, keyed by site, in the order given, as ingest would. */
final class TopicWriter {

    private TopicWriter() {
    }

    static void send(EventEnvelope... events) throws Exception {
        send(List.of(events));
    }

    static void send(List<EventEnvelope> events) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(e.topic().topicName(), e.key(), EventCodec.encode(e)));
            }
            producer.flush();
        }
    }
}
