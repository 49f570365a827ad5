package dev.rollcall.bench;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka's consumer in a JVM of its own ({@link KafkaRates#consumeInOwnJvm}): reads the records up to the given ends a
 * number of times in a row and prints each read as {@code read <records per second> <MB per second> <records>}.
 * Arguments: the bootstrap servers, the number of reads, then {@code topic:partition=end} for each partition.
 */
public final class OwnJvmConsumer {

    private OwnJvmConsumer() {
    }

    public static void main(String[] args) {
        KafkaRates rates = new KafkaRates(args[0]);
        int reads = Integer.parseInt(args[1]);
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int k = 2; k < args.length; k++) {
            int colon = args[k].lastIndexOf(':');
            int equals = args[k].lastIndexOf('=');
            ends.put(new TopicPartition(args[k].substring(0, colon), Integer.parseInt(args[k].substring(colon + 1, equals))),
                    Long.parseLong(args[k].substring(equals + 1)));
        }
        String topics = String.join(", ", ends.keySet().stream().map(TopicPartition::topic).distinct().sorted().toList());
        for (int r = 0; r < reads; r++) {
            KafkaRates.Consumed c = rates.consumeAll(topics, ends, false);
            System.out.printf(Locale.ROOT, "read %.3f %.3f %d%n", c.perSecond(), c.megabytesPerSecond(), c.records());
        }
    }
}
