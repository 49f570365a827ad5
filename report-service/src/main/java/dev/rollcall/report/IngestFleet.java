package dev.rollcall.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent fleet as workstation-ingest keeps it, reached over its admin API ({@code report.ingest.url}, bearer
 * {@code report.ingest.admin-token}): enrollment codes, enrolled agents, revocation. report-service stores none of
 * it: a code passes through in the one answer that made it and is neither kept nor logged; the token is never
 * logged nor shown. Vert.x' own HTTP client, so the answer comes back on the request's event loop.
 */
@ApplicationScoped
public class IngestFleet {

    private static final Logger LOG = Logger.getLogger(IngestFleet.class);

    /** The ingest could not do it: not configured, unreachable, or it said no. The message is for the page. */
    public static final class Unavailable extends RuntimeException {
        private final int status;

        Unavailable(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** The ingest's HTTP status, 0 when there was no answer. */
        public int status() {
            return status;
        }
    }

    public record Code(String code, String site, Instant expiresAt) {
    }

    /** An agent as the ingest lists it; {@code configured}: set in the ingest's configuration, not enrolled. */
    public record Agent(String agentId, String site, boolean configured, String host, Instant enrolledAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    private final ReportConfig.Ingest config;
    private final ObjectMapper json;
    private final HttpClient http;

    public IngestFleet(ReportConfig config, ObjectMapper json, Vertx vertx) {
        this.config = config.ingest();
        this.json = json;
        int timeout = (int) Math.min(Integer.MAX_VALUE, this.config.timeout().toMillis());
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout).setMaxPoolSize(4));
    }

    @PreDestroy
    void close() {
        http.closeAndForget();
    }

    /** What is missing before the page can reach the ingest, in the words of the settings; empty when nothing is. */
    public List<String> missingSettings() {
        List<String> missing = new ArrayList<>();
        if (config.url().isEmpty()) {
            missing.add("report.ingest.url");
        }
        if (config.adminToken().filter(t -> !t.isBlank()).isEmpty()) {
            missing.add("report.ingest.admin-token");
        }
        return missing;
    }

    /** The server agents are told to enroll with: {@code report.ingest.agent-url}, else {@code report.ingest.url}. */
    public Optional<String> agentUrl() {
        return config.agentUrl().or(() -> config.url()).map(u -> u.toString().replaceAll("/+$", ""));
    }

    public Uni<Code> createCode(String site, Duration validFor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site);
        body.put("validFor", validFor.toString());
        return call(HttpMethod.POST, "/api/admin/enrollment-codes", body, 201).map(n ->
                new Code(n.path("code").asText(), n.path("site").asText(), Instant.parse(n.path("expiresAt").asText())));
    }

    public Uni<List<Agent>> agents(String site) {
        return call(HttpMethod.GET, "/api/admin/agents?site=" + URLEncoder.encode(site, StandardCharsets.UTF_8), null, 200).map(n -> {
            List<Agent> out = new ArrayList<>();
            for (JsonNode a : n.path("agents")) {
                out.add(new Agent(a.path("agentId").asText(), a.path("site").asText(),
                        "configured".equals(a.path("origin").asText()), text(a, "host"), instant(a, "enrolledAt"), instant(a, "revokedAt")));
            }
            return out;
        });
    }

    /** Revokes an enrolled agent; the answer is its revocation time. */
    public Uni<Instant> revoke(String agentId) {
        return call(HttpMethod.DELETE, "/api/admin/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8).replace("+", "%20"),
                null, 200).map(n -> instant(n, "revokedAt"));
    }

    private Uni<JsonNode> call(HttpMethod method, String path, Object body, int expected) {
        List<String> missing = missingSettings();
        if (!missing.isEmpty()) {
            return Uni.createFrom().failure(new Unavailable(0, "not configured: set " + String.join(" and ", missing)));
        }
        URI base = config.url().orElseThrow();
        String target = base.toString().replaceAll("/+$", "") + path;
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(target)
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader("Authorization", "Bearer " + config.adminToken().orElseThrow().strip())
                .putHeader("Accept", "application/json");
        Buffer payload;
        try {
            payload = body == null ? null : Buffer.buffer(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        if (payload != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return http.request(options)
                .chain(request -> payload == null ? request.send() : request.send(payload))
                .chain(response -> response.body().map(b -> answer(response, b, expected, method, path)))
                .ifNoItem().after(config.timeout()).failWith(() -> new Unavailable(0,
                        "the ingest at " + base + " did not answer within " + config.timeout().toSeconds() + " s"))
                .onFailure(e -> !(e instanceof Unavailable)).transform(e -> {
                    // the URL and the cause, never the token
                    LOG.warnf("the ingest's admin API at %s is unreachable: %s", base, e.toString());
                    return new Unavailable(0, "the ingest at " + base + " is unreachable (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                });
    }

    private JsonNode answer(HttpClientResponse response, Buffer body, int expected, HttpMethod method, String path) {
        JsonNode n;
        try {
            n = body.length() == 0 ? json.createObjectNode() : json.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            n = json.createObjectNode();
        }
        int status = response.statusCode();
        if (status == expected) {
            return n;
        }
        String detail = n.path("detail").asText(n.path("message").asText(""));
        String why = switch (status) {
            case 401, 403 -> "the ingest refused report.ingest.admin-token (" + status + "): set it to the ingest's ingest.admin.token";
            case 503 -> "the ingest cannot do it just now (503" + (detail.isEmpty() ? "" : ": " + detail) + "); try again in a moment";
            default -> "the ingest answered " + status + (detail.isEmpty() ? "" : ": " + detail);
        };
        // the path may name an agent, never a code (codes are in bodies)
        LOG.infof("the ingest answered %d to %s %s", status, method, path.replaceAll("\\?.*", ""));
        throw new Unavailable(status, why);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
