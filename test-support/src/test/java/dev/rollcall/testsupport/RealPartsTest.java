package dev.rollcall.testsupport;

import dev.rollcall.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker and the database that every integration test stands on are real and configured from the catalog. */
class RealPartsTest {

    @Test
    void brokerHasTheCatalogTopicsAndAcknowledgesWithAcksAll() throws Exception {
        String bootstrap = KafkaBroker.bootstrapServers();
        String topic = Topic.WORKSTATION.topicName();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listTopics().names().get()).containsAll(
                    List.of(Topic.WORKSTATION.topicName(), Topic.PRESENCE.topicName(), Topic.AUDIT.topicName()));
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(r)).all().get().get(r);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(6);
        }
        String value = "hello-" + UUID.randomUUID();
        RecordMetadata meta;
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new StringSerializer())) {
            meta = producer.send(new ProducerRecord<>(topic, "test-support-site", value)).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "real-parts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, meta.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, meta.offset());
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(10));
            assertThat(records.records(tp)).isNotEmpty();
            assertThat(records.records(tp).getFirst().value()).isEqualTo(value);
        }
    }

    @Test
    void postgresIsARealServer() throws Exception {
        try (Connection c = Postgres.endpoint().connect(); ResultSet rs = c.createStatement().executeQuery("show server_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).matches("\\d+\\..*");
        }
    }

    @Test
    void externalDatabaseUrlsAreParsed() {
        Postgres.Endpoint e = Postgres.parse("postgresql://rc:secret@db.example:6543/rollcall");
        assertThat(e).isEqualTo(new Postgres.Endpoint("db.example", 6543, "rollcall", "rc", "secret"));
        assertThat(e.reactiveUrl()).isEqualTo("postgresql://db.example:6543/rollcall");
    }
}
