package dev.rollcall.agent.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A tiny workstation-ingest on 127.0.0.1 for tests: records every request to {@code /api/agent/events} and
 * answers what the test's script says for it.
 */
final class FakeIngest implements AutoCloseable {

    record Request(String authorization, String contentType, JsonNode body) {
        int size() {
            return body.path("events").size();
        }

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            body.path("events").forEach(e -> ids.add(e.path("id").asText()));
            return ids;
        }
    }

    record Answer(int status, String contentType, String body, String retryAfter) {
        static Answer ok(int accepted) {
            return new Answer(200, "application/json", "{\"accepted\":" + accepted + "}", null);
        }

        static Answer problem(int status, String json) {
            return new Answer(status, "application/problem+json", json, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile Function<Request, Answer> script = r -> Answer.ok(r.size());

    private FakeIngest(HttpServer server) {
        this.server = server;
        server.createContext(IngestClient.PATH, this::handle);
        server.start();
    }

    static FakeIngest http() throws IOException {
        return http(0);
    }

    static FakeIngest http(int port) throws IOException {
        return new FakeIngest(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
    }

    static FakeIngest https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeIngest(s);
    }

    URI base() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    void answer(Function<Request, Answer> script) {
        this.script = script;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Request r = new Request(ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body));
            synchronized (this) {
                requests.add(r);
            }
            Answer a = script.apply(r);
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            if (a.retryAfter() != null) {
                ex.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                ex.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
