package dev.rollcall.bench;

import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts a synthetic history on its topics, in delivery order, as the ingest would have appended it (each envelope
 * encoded by {@link EventCodec}, keyed by site, on its event's topic). Straight to Kafka rather than through HTTP:
 * the replay measures folding, and a year through the ingest would take most of a bench run.
 */
final class HistoryLoad {

    /** @param totals what the generator counted */
    record Loaded<T>(T totals, long records, double meanRecordBytes, List<byte[]> sampleValues,
                  double seconds) {
    }

    private HistoryLoad() {
    }

    /** The office's workstation reports, on the workstation topic. */
    static Loaded<SyntheticOffice.Totals> load(KafkaRates kafka, SyntheticOffice office, int samples) throws Exception {
        return load(kafka, sink -> office.generate(d -> sink.accept(d.event())), samples);
    }

    /** @param generate hands every record to its sink in delivery order, and returns its counts */
    static <T> Loaded<T> load(KafkaRates kafka, Function<Consumer<EventEnvelope>, T> generate, int samples) throws Exception {
        Map<String, Object> config = kafka.ingestProducerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<byte[]> sampleValues = new ArrayList<>(samples);
        long[] count = new long[2]; // records, value bytes
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        T totals;
        try (KafkaProducer<String, byte[]> p = kafka.producer(config)) {
            totals = generate.apply(event -> {
                byte[] value = EventCodec.encode(event);
                if (sampleValues.size() < samples) {
                    sampleValues.add(value);
                }
                count[0]++;
                count[1] += value.length;
                p.send(new ProducerRecord<>(event.topic().topicName(), event.key(), value), (md, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            });
            p.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("loading the history failed", failed.get());
        }
        return new Loaded<>(totals, count[0], count[0] == 0 ? 0 : (double) count[1] / count[0], sampleValues,
                (System.nanoTime() - start) / 1e9);
    }
}
