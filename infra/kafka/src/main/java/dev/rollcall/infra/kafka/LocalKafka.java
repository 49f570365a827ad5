package dev.rollcall.infra.kafka;

import dev.rollcall.events.TopicCatalog;
import dev.rollcall.events.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A single-node Apache Kafka (KRaft: broker and controller in one process) for running Rollcall on one machine.
 * Formats its data folder on first start, then runs {@code kafka.Kafka} and creates Rollcall's topics from
 * {@code infra/kafka/topics.properties}. Stops cleanly on SIGTERM / Ctrl-C (Kafka's own shutdown hook).
 *
 * <pre>java -cp … dev.rollcall.infra.kafka.LocalKafka [--data DIR] [--port 9092] [--controller-port 9093] [--topics FILE]</pre>
 */
public final class LocalKafka {

    public static void main(String[] args) throws Exception {
        Path data = Path.of("data/kafka");
        int port = 9092;
        int controllerPort = 9093;
        Path topics = Path.of("infra/kafka/topics.properties");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
                case "--topics" -> topics = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "\nusage: LocalKafka [--data DIR] [--port 9092] [--controller-port 9093] [--topics FILE]");
                    System.exit(2);
                }
            }
        }
        TopicCatalog catalog = TopicCatalog.load(topics); // fail before starting anything if the file is wrong
        data = data.toAbsolutePath();
        Path logs = data.resolve("logs");
        Files.createDirectories(logs);
        Path config = data.resolve("server.properties");
        Files.writeString(config, serverProperties(logs, port, controllerPort), StandardCharsets.UTF_8);

        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(config);
        }
        String bootstrap = "localhost:" + port;
        Thread creator = new Thread(() -> createTopics(bootstrap, catalog), "create-topics");
        creator.setDaemon(true);
        creator.start();
        System.err.println("[local-kafka] starting Apache Kafka on " + bootstrap + ", data in " + data);
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static String serverProperties(Path logs, int port, int controllerPort) {
        return """
                # Written by LocalKafka at every start: a single local KRaft node, for development only.
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                num.partitions=1
                """.formatted(port, controllerPort, logs);
    }

    private static void format(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(new String[] {
                "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            System.err.println(out.toString(StandardCharsets.UTF_8));
            throw new IllegalStateException("formatting the Kafka data folder failed (exit " + rc + ")");
        }
        System.err.println("[local-kafka] formatted a new data folder");
    }

    /** Creates the catalog's topics once the broker answers; existing topics are left as they are. */
    static void createTopics(String bootstrap, TopicCatalog catalog) {
        List<NewTopic> topics = catalog.forBrokers(1).values().stream()
                .map(LocalKafka::newTopic).toList();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.describeCluster().nodes().get();
                int created = 0;
                for (var e : admin.createTopics(topics).values().entrySet()) {
                    try {
                        e.getValue().get();
                        created++;
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            throw ex;
                        }
                    }
                }
                System.err.println("[local-kafka] ready on " + bootstrap + ": " + topics.size() + " topics ("
                        + created + " created now)");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                last = e;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        System.err.println("[local-kafka] could not create the topics within 2 minutes: " + last);
    }

    static NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
    }

    private LocalKafka() {
    }
}
