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
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * {@code POST {server}/api/agent/enroll} {@code {"code", "host"}}: exchanges a one-time enrollment code for this
 * agent's credential. The same transport rules as shipping: https (or http to this machine only), the JDK's
 * certificate and host name checks against the platform CAs or a CA bundle, never "trust everything".
 */
public final class EnrollmentClient {

    public static final String PATH = "/api/agent/enroll";
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
    private final HttpClient http;
    private final String userAgent;

    public EnrollmentClient(URI server, Optional<SSLContext> trust, String userAgent) {
        String events = IngestClient.endpoint(server).toString();   // the same checks: https, or http to loopback
        this.endpoint = URI.create(events.substring(0, events.length() - IngestClient.PATH.length()) + PATH);
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

    public Enrolled enroll(String code, String host) throws IOException, InterruptedException, Refused {
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
            String detail = json != null && json.path("detail").isTextual() ? json.get("detail").textValue()
                    : "HTTP " + response.statusCode();
            String retry = response.headers().firstValue("Retry-After").map(s -> " (retry in " + s + " s)").orElse("");
            throw new Refused(response.statusCode(), detail + retry);
        }
        if (json == null || !json.path("credential").isTextual() || !json.path("site").isTextual()) {
            throw new IOException("the server's answer holds no credential; is " + endpoint + " a Rollcall ingest?");
        }
        return new Enrolled(AgentCredential.parse(json.get("credential").textValue()), json.get("site").textValue());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
