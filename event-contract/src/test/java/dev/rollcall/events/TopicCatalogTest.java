package dev.rollcall.events;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The code's topics and {@code infra/kafka/topics.properties} must not drift apart. */
class TopicCatalogTest {

    private static final Path SOURCE_OF_TRUTH = Path.of("..", "infra", "kafka", "topics.properties");

    @Test
    void everyTopicTheCodeKnowsIsDefinedInTheFileAndViceVersa() {
        TopicCatalog file = TopicCatalog.load(SOURCE_OF_TRUTH);
        assertThat(file.all().keySet())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Topic.values()).map(Topic::key).collect(Collectors.toSet()));
    }

    @Test
    void theCatalogInTheJarIsTheFileInInfraKafka() {
        assertThat(TopicCatalog.standard().all()).isEqualTo(TopicCatalog.load(SOURCE_OF_TRUTH).all());
    }

    @Test
    void eventTopicsAreRetainedForeverExceptTheShortLivedActivityTopic() {
        for (Topic t : Topic.values()) {
            TopicSpec spec = TopicCatalog.standard().get(t);
            assertThat(spec.name()).startsWith("rollcall.");
            if (t == Topic.ACTIVITY) {
                assertThat(Long.parseLong(spec.configs().get("retention.ms"))).isPositive();
            } else {
                assertThat(spec.configs()).containsEntry("retention.ms", "-1");
            }
        }
        assertThat(Topic.WORKSTATION.topicName()).isEqualTo("rollcall.workstation");
    }

    @Test
    void aSingleBrokerCapsReplicationSoThatAcksAllStillWorks() {
        TopicSpec prod = TopicCatalog.standard().get(Topic.WORKSTATION);
        assertThat(prod.replicationFactor()).isEqualTo((short) 3);
        assertThat(prod.configs()).containsEntry("min.insync.replicas", "2");
        TopicSpec local = prod.onBrokers(1);
        assertThat(local.replicationFactor()).isEqualTo((short) 1);
        assertThat(local.configs()).containsEntry("min.insync.replicas", "1");
        assertThat(local.partitions()).isEqualTo(prod.partitions());
    }

    @Test
    void malformedFilesAreRefused() {
        assertThatThrownBy(() -> TopicCatalog.parse(stream("topic.x.partitions=3\n")))
                .hasMessageContaining("topic x has no name");
        assertThatThrownBy(() -> TopicCatalog.parse(stream("tpoic.x.name=y\n")))
                .hasMessageContaining("unknown entry 'tpoic.x.name'");
        assertThatThrownBy(() -> TopicCatalog.parse(stream("topic.x.name=y\n")))
                .hasMessageContaining("partitions is not set");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
