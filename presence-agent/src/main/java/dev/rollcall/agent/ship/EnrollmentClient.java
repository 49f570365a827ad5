package dev.rollcall.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@code POST {server}/api/agent/enroll} {@code {"code", "host"}}: exchanges a one-time enrollment code for this
 * agent's credential. The same transport rules as shipping: https (or http to this machine only), the JDK's
 * certificate and host name checks against the platform CAs or a CA bundle, never "trust everything".
 */
public final class EnrollmentClient {

    public static final String PATH = "/api/agent/enroll";
    public static final String RENEW_PATH = "/api/agent/credential";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server gave: the credential (never printed), its agent id and site. */
    public record Enrolled(AgentCredential credential, String site) {
    }

    /** The server answered, but not with a credential: its status, what it said, and {@code Retry-After}. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI endpoint;
    private final URI renewal;
    private final HttpClient http;
    private final String userAgent;

    public EnrollmentClient(URI server, Optional<SSLContext> trust, String userAgent) {
        String events = IngestClient.endpoint(server).toString();   // the same checks: https, or http to loopback
        String base = events.substring(0, events.length() - IngestClient.PATH.length());
        this.endpoint = URI.create(base + PATH);
        this.renewal = URI.create(base + RENEW_PATH);
        this.userAgent = userAgent;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        trust.ifPresent(b::sslContext);
        this.http = b.build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * {@code POST {server}/api/agent/credential} with the current credential: a new one, with the lifetime the
     * server gave it, counted from {@code now}. The current one stays valid on the server until the new one is used.
     */
    public AgentCredential renew(AgentCredential current, Instant now) throws IOException, InterruptedException, Refused {
        HttpRequest request = HttpRequest.newBuilder(renewal)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + current.bearerToken())
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200) {
            throw refused(response, json);
        }
        if (json == null || !json.path("credential").isTextual()) {
            throw new IOException("the server's answer holds no credential; is " + renewal + " a Rollcall ingest?");
        }
        AgentCredential renewed = AgentCredential.parse(json.get("credential").textValue());
        if (!renewed.agentId().equals(current.agentId())) {
            throw new IOException("the server renewed the credential of another agent (" + renewed.agentId() + ")");
        }
        return renewed.withLifetime(lifetime(json, now));
    }

    private static Refused refused(HttpResponse<byte[]> response, JsonNode json) {
        String detail = json != null && json.path("detail").isTextual() ? json.get("detail").textValue()
                : "HTTP " + response.statusCode();
        String retry = response.headers().firstValue("Retry-After").map(s -> " (retry in " + s + " s)").orElse("");
        return new Refused(response.statusCode(), detail + retry);
    }

    /** {@code expiresAt} of an answer: an instant, or null/absent for "never". */
    private static AgentCredential.Lifetime lifetime(JsonNode json, Instant now) throws IOException {
        JsonNode e = json.path("expiresAt");
        try {
            return new AgentCredential.Lifetime(now, e.isTextual() ? Instant.parse(e.textValue()) : null);
        } catch (DateTimeParseException bad) {
            throw new IOException("the server's expiresAt is not an instant: " + e.textValue());
        }
    }

    public Enrolled enroll(String code, String host) throws IOException, InterruptedException, Refused {
        Instant sent = Instant.now();
        ObjectNode body = JSON.createObjectNode().put("code", code);
        if (host != null) {
            body.put("host", host);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = parse(response.body());
        if (response.statusCode() != 201) {
            throw refused(response, json);
        }
        if (json == null || !json.path("credential").isTextual() || !json.path("site").isTextual()) {
            throw new IOException("the server's answer holds no credential; is " + endpoint + " a Rollcall ingest?");
        }
        AgentCredential credential = AgentCredential.parse(json.get("credential").textValue());
        // an ingest older than renewal says no expiresAt: its credentials do not expire
        return new Enrolled(credential.withLifetime(lifetime(json, sent)), json.get("site").textValue());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
