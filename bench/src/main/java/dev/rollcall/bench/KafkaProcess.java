package dev.rollcall.bench;

import dev.rollcall.events.TopicCatalog;
import dev.rollcall.events.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft) in its own JVM: infra/kafka's {@code LocalKafka} with a fresh data folder,
 * so that its CPU is its own and not the load generator's. It creates Rollcall's topics from the catalog.
 */
final class KafkaProcess implements AutoCloseable {

    private final Process process;
    private final String bootstrap;

    private KafkaProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static KafkaProcess start(BenchSettings settings) throws IOException, InterruptedException {
        Path data = settings.work().resolve("kafka");
        WorkFolder.deleteTree(data);
        Path log = settings.work().resolve("logs/kafka.log");
        Files.createDirectories(log.getParent());
        int port = ServiceProcess.freePort();
        int controllerPort = ServiceProcess.freePort();
        Process p = new ProcessBuilder(Jvm.java(), "-Xms1g", "-Xmx1g",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=error",
                "-cp", System.getProperty("java.class.path"), "dev.rollcall.infra.kafka.LocalKafka",
                "--data", data.toString(), "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort),
                "--topics", settings.root().resolve("infra/kafka/topics.properties").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KafkaProcess kafka = new KafkaProcess(p, "localhost:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + p.exitValue() + "; see " + log);
            }
            if (Files.readString(log).contains("[local-kafka] ready")) {
                return kafka;
            }
            Thread.sleep(200);
        }
        kafka.close();
        throw new IllegalStateException("the Kafka broker was not ready within 120 s; see " + log);
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** A topic configured like {@code like} (partitions, configs), for Kafka's own rates beside Rollcall's. */
    void createTopicLike(String name, TopicSpec like) throws ExecutionException, InterruptedException {
        TopicSpec spec = like.onBrokers(1);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, spec.partitions(), spec.replicationFactor()).configs(spec.configs())))
                    .all().get();
        }
    }

    /** The end offset of every partition of {@code topic}. */
    Map<TopicPartition, Long> endOffsets(String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    static TopicSpec workstationTopic() {
        return TopicCatalog.standard().get(dev.rollcall.events.Topic.WORKSTATION);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
