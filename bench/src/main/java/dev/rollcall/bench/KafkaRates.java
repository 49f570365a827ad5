package dev.rollcall.bench;

import dev.rollcall.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka's own rates on the same broker, in the same run: what Rollcall's ingest and projection are compared to.
 * The producer has workstation-ingest's settings (acks=all, idempotent, linger 1 ms, 5 in flight) and sends
 * the same records (encoded envelopes, keyed by site); the consumer reads the same topic the projection folds.
 */
final class KafkaRates {

    record Consumed(double perSecond, double megabytesPerSecond, long records) {
    }

    private final String bootstrap;

    KafkaRates(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** workstation-ingest's producer settings (its application.properties). */
    Map<String, Object> ingestProducerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return c;
    }

    KafkaProducer<String, byte[]> producer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * As fast as one producer goes: sends without waiting, the producer batching and pipelining as it likes
     * (it blocks when its buffer is full), for the warm-up and then the measured window.
     */
    double pipelined(String topic, String key, List<byte[]> values, Duration warmup, Duration window) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> p = producer(ingestProducerConfig())) {
            long start = System.nanoTime();
            long from = start + warmup.toNanos();
            long until = from + window.toNanos();
            long atFrom = -1;
            int i = 0;
            while (true) {
                long now = System.nanoTime();
                if (atFrom < 0 && now >= from) {
                    atFrom = acked.get();
                }
                if (now >= until) {
                    long atUntil = acked.get();
                    double seconds = (now - from) / 1e9;
                    p.flush();
                    if (failed.get() != null) {
                        throw failed.get();
                    }
                    return (atUntil - atFrom) / seconds;
                }
                p.send(new ProducerRecord<>(topic, key, values.get(i++ % values.size())), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
        }
    }

    /**
     * {@code concurrency} senders sharing one producer (as the ingest's requests share its one producer), each
     * waiting for its record's acknowledgement before sending the next: the same closed loop as the HTTP load.
     */
    ClosedLoop.Result acknowledged(String topic, String key, List<byte[]> values, int concurrency, Duration warmup,
                                   Duration window) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(ingestProducerConfig())) {
            return ClosedLoop.run(concurrency, warmup, window, w -> {
                int[] next = {w};
                return () -> {
                    p.send(new ProducerRecord<>(topic, key, values.get(next[0]++ % values.size()))).get();
                    return true;
                };
            });
        }
    }

    /**
     * Kafka's consumer in a JVM of its own, started for this (as Kafka's own {@code kafka-consumer-perf-test} runs):
     * reads every record up to {@code ends} {@code reads} times in a row, as {@link #consumeAll} does; each read's rate.
     * A projection-service is a fresh JVM too, timed on its third read of the same records (its first start, its first
     * rebuild, the rebuild timed), so its third read is the one to set beside it. A consumer in the bench's own JVM
     * instead grows faster run after run as that JVM warms up (make bench: 465,522, then 600,756, then 976,439 ev/s).
     */
    List<Consumed> consumeInOwnJvm(Map<TopicPartition, Long> ends, int reads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error", "-cp", System.getProperty("java.class.path"),
                OwnJvmConsumer.class.getName(), bootstrap, Integer.toString(reads)));
        ends.forEach((tp, end) -> cmd.add(tp.topic() + ":" + tp.partition() + "=" + end));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Kafka's consumer in a JVM of its own failed: " + out);
        }
        List<Consumed> consumed = new ArrayList<>();
        out.lines().filter(l -> l.startsWith("read ")).forEach(l -> {
            String[] f = l.split(" ");
            consumed.add(new Consumed(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3])));
        });
        if (consumed.size() != reads) {
            throw new IllegalStateException("Kafka's consumer in a JVM of its own read " + consumed.size() + " times of " + reads + ": " + out);
        }
        return consumed;
    }

    /**
     * Reads every record of {@code topic} up to {@code ends} with a plain consumer (no group, no commits), the
     * values as bytes; with {@code decode}, also decodes each as the projection does ({@link EventCodec}).
     */
    Consumed consumeAll(String topic, Map<TopicPartition, Long> ends, boolean decode) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500); // Kafka's default
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(ends.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            while (records < total) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        records++;
                        bytes += r.serializedValueSize() + Math.max(r.serializedKeySize(), 0);
                        if (decode) {
                            EventCodec.decode(r.value());
                        }
                    }
                }
                if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException("reading " + topic + " took over 30 minutes; read " + records + " of " + total);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Consumed(records / seconds, bytes / seconds / 1e6, records);
        }
    }
}
