package dev.rollcall.bench;

import dev.rollcall.events.EventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts the synthetic office's history on the workstation topic, in delivery order, as workstation-ingest would
 * have appended it (the envelope encoded by {@link EventCodec}, keyed by site). Straight to Kafka rather than
 * through HTTP: the replay measures folding, and a year through the ingest would take most of a bench run.
 */
final class HistoryLoad {

    record Loaded(SyntheticOffice.Totals totals, long records, double meanRecordBytes, List<byte[]> sampleValues,
                  double seconds) {
    }

    private HistoryLoad() {
    }

    static Loaded load(KafkaRates kafka, String topic, SyntheticOffice office, int samples) throws Exception {
        Map<String, Object> config = kafka.ingestProducerConfig();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        List<byte[]> sampleValues = new ArrayList<>(samples);
        long[] count = new long[2]; // records, value bytes
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        SyntheticOffice.Totals totals;
        try (KafkaProducer<String, byte[]> p = kafka.producer(config)) {
            totals = office.generate(d -> {
                byte[] value = EventCodec.encode(d.event());
                if (sampleValues.size() < samples) {
                    sampleValues.add(value);
                }
                count[0]++;
                count[1] += value.length;
                p.send(new ProducerRecord<>(topic, d.event().key(), value), (md, e) -> {
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
        return new Loaded(totals, count[0], count[0] == 0 ? 0 : (double) count[1] / count[0], sampleValues,
                (System.nanoTime() - start) / 1e9);
    }
}
