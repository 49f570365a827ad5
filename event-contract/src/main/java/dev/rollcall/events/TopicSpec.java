package dev.rollcall.events;

import java.util.LinkedHashMap;
import java.util.Map;

/** One topic as {@code topics.properties} defines it. */
public record TopicSpec(String key, String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + key + ": partitions must be at least 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + key + ": replication.factor must be at least 1");
        }
        configs = Map.copyOf(configs);
    }

    /**
     * This topic as it can exist on a cluster of {@code brokers} brokers: the replication factor and
     * {@code min.insync.replicas} capped so that a single local broker still accepts {@code acks=all}.
     */
    public TopicSpec onBrokers(int brokers) {
        short rf = (short) Math.min(replicationFactor, brokers);
        Map<String, String> c = new LinkedHashMap<>(configs);
        c.computeIfPresent("min.insync.replicas", (k, v) -> String.valueOf(Math.min(Integer.parseInt(v), rf)));
        return new TopicSpec(key, name, partitions, rf, c);
    }
}
