package dev.rollcall.report;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import dev.rollcall.events.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The latest reveals, read straight from the audit topic (no copy in a table to keep in step): each request assigns
 * the topic's partitions, seeks to {@code end - limit} and reads to the end. Blocking: call it on a worker thread.
 */
@ApplicationScoped
public class AuditTrail {

    public record Reveal(Instant at, String site, String viewer, String page, String period) {
    }

    private final String bootstrap;

    public AuditTrail(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Newest first, at most {@code limit} per partition. */
    public List<Reveal> latest(int limit) {
        try (var c = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"))) {
            String topic = Topic.AUDIT.topicName();
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            parts.forEach(tp -> c.seek(tp, Math.max(begin.get(tp), end.get(tp) - limit)));
            List<Reveal> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    try {
                        EventEnvelope e = EventCodec.decode(r.value());
                        if (e.data() instanceof RealNamesRevealed rv) {
                            out.add(new Reveal(e.time(), e.site(), rv.viewer(), rv.page(), rv.period()));
                        }
                    } catch (RuntimeException ignored) {
                        // a record this version does not know: not a reveal it can show
                    }
                });
            }
            out.sort(Comparator.comparing(Reveal::at).reversed());
            return out;
        }
    }
}
