package dev.rollcall.report;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything on a topic of the test broker, from its start to its end now: what a page wrote before it answered. */
final class AuditTopic {

    private AuditTopic() {
    }

    static List<EventEnvelope> events(Topic topic) {
        try (var c = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic.topicName()).forEach(p -> parts.add(new TopicPartition(topic.topicName(), p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<EventEnvelope> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventCodec.decode(r.value())));
            }
            return out;
        }
    }
}
