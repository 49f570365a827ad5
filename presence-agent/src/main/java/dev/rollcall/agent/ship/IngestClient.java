package dev.rollcall.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@code POST {server}/api/agent/events} with {@code Authorization: Bearer <credential>} and
 * {@code {"events": [<CloudEvents JSON>...]}}, over the JDK's HttpClient: default TLS verification (host name
 * included), or a private CA's bundle in its place; never "trust everything".
 */
public final class IngestClient implements IngestTransport {

    public static final String PATH = "/api/agent/events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 500;

    private final URI endpoint;
    private final Supplier<AgentCredential> credential;
    private final String userAgent;
    private final HttpClient http;
    private final Duration timeout;

    public IngestClient(URI server, AgentCredential credential, Optional<SSLContext> trust, String userAgent,
                        Duration timeout) {
        this(server, () -> credential, trust, userAgent, timeout);
    }

    /** @param credential the credential of each request: a renewal may replace it while the agent runs */
    public IngestClient(URI server, Supplier<AgentCredential> credential, Optional<SSLContext> trust, String userAgent,
                        Duration timeout) {
        this.endpoint = endpoint(server);
        this.credential = credential;
        this.userAgent = userAgent;
        this.timeout = timeout;
        // HTTP/1.1: one small request a minute gains nothing from HTTP/2, and plain-http test servers need no
        // h2c upgrade.
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        trust.ifPresent(b::sslContext);
        this.http = b.build();
    }

    /**
     * The batch endpoint under {@code server}. Only {@code https}, or {@code http} to this machine (a local
     * test server): the credential must never cross a network in clear text.
     */
    public static URI endpoint(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (server.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("server must be an https:// URL, got '" + server + "'");
        }
        if (scheme.equals("http") && !isLoopback(server.getHost())) {
            throw new IllegalArgumentException("refusing to send the agent's credential in clear text to " + server
                    + "; use https:// (with --ca-bundle for a private CA); plain http is only for this machine");
        }
        if (server.getQuery() != null || server.getFragment() != null) {
            throw new IllegalArgumentException("server must be a base URL without query or fragment, got '" + server + "'");
        }
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + PATH);
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literals: a name is not resolved here, so DNS cannot turn it into "loopback".
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public IngestResponse send(List<EventEnvelope> batch) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        batch.forEach(e -> events.add(EventCodec.toTree(e)));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + credential.get().bearerToken())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return interpret(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").orElse(null), batch.size());
    }

    static IngestResponse interpret(int status, byte[] body, String retryAfter, int batchSize) {
        JsonNode json = parse(body);
        String detail = detail(json, body);
        return switch (status) {
            // Only 200 promises durability; a 202 "queued" or a 204 would be an unknown contract.
            case 200 -> new IngestResponse.Accepted(json != null && json.path("accepted").canConvertToInt()
                    ? json.path("accepted").intValue() : batchSize);
            case 400 -> new IngestResponse.Invalid(errors(json), detail);
            case 401, 403 -> new IngestResponse.Refused(status, detail);
            case 413 -> new IngestResponse.TooLarge(detail);
            default -> status == 429 || status >= 500
                    ? new IngestResponse.Unavailable(status, retryAfter(retryAfter), detail)
                    : new IngestResponse.Unexpected(status, detail);
        };
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String detail(JsonNode json, byte[] body) {
        String d;
        if (json != null && json.isObject()) {
            d = json.path("detail").asText(json.path("title").asText(json.path("message").asText("")));
        } else {
            d = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
        d = d.strip().replaceAll("\\s+", " ");
        return d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) + "…" : d;
    }

    private static List<IngestResponse.EventError> errors(JsonNode json) {
        List<IngestResponse.EventError> out = new ArrayList<>();
        if (json == null || !json.path("errors").isArray()) {
            return out;
        }
        for (JsonNode e : json.get("errors")) {
            Integer index = e.path("index").canConvertToInt() && e.path("index").isIntegralNumber()
                    ? e.path("index").intValue() : null;
            String id = e.path("id").isTextual() ? e.path("id").textValue() : null;
            out.add(new IngestResponse.EventError(index, id, e.path("message").asText("invalid event")));
        }
        return out;
    }

    private static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException httpDate) {
            return Optional.empty();
        }
    }
}
