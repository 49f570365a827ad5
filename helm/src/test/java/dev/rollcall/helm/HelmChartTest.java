package dev.rollcall.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart, linted and rendered by Helm's own code (helm-java), offline. */
class HelmChartTest {

    static final Path CHART = Path.of("rollcall");

    @Test
    void theChartLintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void itRendersTheThreeServicesWithSecretsOnlyByReference() {
        String manifests = new Helm(CHART).template().withName("rc").withNamespace("rollcall").call();
        List<String> docs = Arrays.stream(manifests.split("(?m)^---\\s*$")).filter(d -> d.contains("kind:")).toList();
        assertThat(docs.stream().filter(d -> d.contains("kind: Deployment"))).hasSize(3);
        assertThat(docs.stream().filter(d -> d.contains("kind: Service\n"))).hasSize(3);
        String ingest = deployment(docs, "workstation-ingest");
        String projection = deployment(docs, "projection-service");
        String report = deployment(docs, "report-service");
        // the admin token and the database password come from Secrets, never values
        assertThat(ingest).contains("name: INGEST_ADMIN_TOKEN").contains("secretKeyRef").contains("name: QUARKUS_DATASOURCE_PASSWORD");
        assertThat(projection).contains("name: PROJECTION_ADMIN_TOKEN").contains("name: QUARKUS_DATASOURCE_PASSWORD");
        // report-service's enrollment page calls the ingest's admin API: the same Secret, and the ingest's Service
        assertThat(report).contains("name: REPORT_INGEST_ADMIN_TOKEN").contains("name: QUARKUS_DATASOURCE_PASSWORD")
                .contains("name: REPORT_INGEST_URL").contains("value: \"http://rc-workstation-ingest:8081\"");
        // report-service's replicas share their session and pseudonym keys, from a Secret; the first admin's is optional
        assertThat(report).containsPattern("name: REPORT_AUTH_SESSION_KEY\\s+valueFrom:\\s+secretKeyRef:\\s+name: \"rollcall-report-keys\"\\s+key: \"session-key\"")
                .containsPattern("name: REPORT_PSEUDONYM_KEY\\s+valueFrom:\\s+secretKeyRef:\\s+name: \"rollcall-report-keys\"\\s+key: \"pseudonym-key\"")
                .containsPattern("key: \"first-admin-password\"\\s+optional: true");
        assertThat(ingest).doesNotContain("REPORT_");
        for (String d : List.of(ingest, projection, report)) {
            assertThat(d).contains("path: /q/health/ready").contains("path: /q/health/live")
                    .contains("runAsNonRoot: true").contains("allowPrivilegeEscalation: false");
        }
        assertThat(manifests).doesNotContainIgnoringCase("password: ");
    }

    @Test
    void missingRequiredValuesFailTheRenderWithAMessage() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("rc").set("adminToken.existingSecret", "").call())
                .hasMessageContaining("adminToken.existingSecret");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("rc").set("kafka.bootstrapServers", "").call())
                .hasMessageContaining("kafka.bootstrapServers is required");
    }

    static String deployment(List<String> docs, String name) {
        return docs.stream().filter(d -> d.contains("kind: Deployment") && d.contains("name: " + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment for " + name));
    }
}
