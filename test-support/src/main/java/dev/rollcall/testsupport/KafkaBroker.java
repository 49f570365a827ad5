package dev.rollcall.testsupport;

import dev.rollcall.events.TopicCatalog;
import dev.rollcall.events.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A real Kafka broker for tests: the one {@code KAFKA_BOOTSTRAP_SERVERS} names, or else a single-node KRaft
 * cluster started in this JVM with Kafka's own {@link KafkaClusterTestKit}. Started once per JVM and shared;
 * tests keep out of each other's way by using their own sites and users, never by resetting the broker.
 * Rollcall's topics (from {@code infra/kafka/topics.properties}) are created on it.
 */
public final class KafkaBroker {

    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    private static String bootstrapServers;
    private static KafkaClusterTestKit cluster;
    private static Path dataDir;

    private KafkaBroker() {
    }

    /** Starts the broker if this JVM has none yet, and returns its bootstrap servers. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String external = System.getenv(BOOTSTRAP_ENV);
            int brokers;
            if (external != null && !external.isBlank()) {
                bootstrapServers = external.trim();
                brokers = brokerCount(bootstrapServers);
            } else {
                bootstrapServers = startInProcess();
                brokers = 1;
            }
            createTopics(bootstrapServers, brokers);
        }
        return bootstrapServers;
    }

    private static String startInProcess() {
        try {
            // Our own folder, removed after the broker has closed: the kit's default one is deleted by a
            // shutdown hook that races the broker's own shutdown and floods the log with I/O errors.
            dataDir = Files.createTempDirectory("rollcall-test-kafka-");
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setBaseDirectory(dataDir)
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
            Runtime.getRuntime().addShutdownHook(new Thread(KafkaBroker::stopQuietly, "kafka-test-broker-stop"));
            return kit.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-process Kafka broker", e);
        }
    }

    private static int brokerCount(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeCluster().nodes().get().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap, e.getCause());
        }
    }

    /** Creates every topic of the catalog that does not exist yet, capped to the cluster's size. */
    public static void createTopics(String bootstrap, int brokers) {
        List<NewTopic> topics = TopicCatalog.standard().forBrokers(brokers).values().stream()
                .map(KafkaBroker::newTopic)
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
    }

    private static synchronized void stopQuietly() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception ignored) {
                // the JVM is exiting; the broker's files are in a temporary folder
            }
            cluster = null;
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: it is a temporary folder
            }
        }
    }
}
