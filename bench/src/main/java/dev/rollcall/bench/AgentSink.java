package dev.rollcall.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for workstation-ingest where the agent runs: inside the lab's network namespace, which cannot
 * reach the bench's loopback. Accepts every batch ({@code 200 {"accepted": n}}) and prints each heartbeat's
 * {@code lastScanMillis} on stdout, which is how the bench learns how long the agent's scans take.
 *
 * <pre>java -cp … dev.rollcall.bench.AgentSink PORT</pre>
 */
public final class AgentSink {

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 16);
        server.createContext("/api/agent/events", exchange -> {
            int accepted = 0;
            try (exchange) {
                JsonNode events = json.readTree(exchange.getRequestBody().readAllBytes()).path("events");
                for (JsonNode e : events) {
                    accepted++;
                    if ("rollcall.agents.heartbeat.v1".equals(e.path("type").asText())) {
                        System.out.println("heartbeat lastScanMillis=" + e.path("data").path("lastScanMillis").asLong(-1)
                                + " devicesOnline=" + e.path("data").path("devicesOnline").size());
                        System.out.flush();
                    }
                }
                byte[] body = ("{\"accepted\":" + accepted + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        System.out.println("ready");
        System.out.flush();
    }

    private AgentSink() {
    }
}
