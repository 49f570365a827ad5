package dev.rollcall.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for workstation-ingest's admin API (JDK {@code com.sun.net.httpserver}), answering as
 * {@code AgentAdminResource} does: {@code POST /api/admin/enrollment-codes}, {@code GET /api/admin/agents?site=},
 * {@code DELETE /api/admin/agents/{id}}, bearer {@link #TOKEN}. The real ingest behind the page is exercised by
 * system-tests' {@code EnrollmentPageIT}; this one lets report-service's tests see exactly what the page sent and
 * make the ingest fail on purpose.
 * <p>
 * It is driven and inspected over HTTP ({@code /_control/…}), so that tests need no object shared across Quarkus'
 * class loaders: {@code POST /_control/mode?m=ok|down|busy}, {@code POST /_control/agent?site=&id=&host=},
 * {@code GET /_control/seen} (one line per admin request: method, path, Authorization, body).
 */
public class IngestStandIn implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "stand-in-admin-token-0123456789";

    private HttpServer server;
    private volatile String mode = "ok";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    /** agentId → {site, host, enrolledAt, revokedAt} */
    private final Map<String, String[]> agents = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/_control/", this::control);
        server.createContext("/api/admin/", this::admin);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("report.ingest.url", url, "report.ingest.admin-token", TOKEN, "report.ingest.timeout", "PT3S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void control(HttpExchange x) throws IOException {
        Map<String, String> q = query(x);
        switch (x.getRequestURI().getPath()) {
            case "/_control/mode" -> {
                mode = q.get("m");
                send(x, 200, "{}");
            }
            case "/_control/agent" -> {
                agents.put(q.get("id"), new String[]{q.get("site"), q.get("host"), "2026-03-10T08:00:00Z", null});
                send(x, 200, "{}");
            }
            case "/_control/seen" -> send(x, 200, String.join("\n", seen));
            default -> send(x, 404, "{}");
        }
    }

    private void admin(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getRawPath() + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
        seen.add(x.getRequestMethod() + " " + path + " " + x.getRequestHeaders().getFirst("Authorization") + " " + body);
        if (mode.equals("down")) {
            x.close();   // no answer at all: the connection just ends
            return;
        }
        if (mode.equals("busy")) {
            problem(x, 503, "the credential store is unavailable");
            return;
        }
        if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
            problem(x, 401, "a valid admin token is required");
            return;
        }
        String p = x.getRequestURI().getPath();
        if (x.getRequestMethod().equals("POST") && p.equals("/api/admin/enrollment-codes")) {
            Matcher site = Pattern.compile("\"site\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
            Matcher valid = Pattern.compile("\"validFor\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
            if (!site.find()) {
                problem(x, 400, "site is required");
                return;
            }
            Duration d = valid.find() ? Duration.parse(valid.group(1)) : Duration.ofHours(24);
            String code = "K7QM2-XN4PD-R8WZT-" + Long.toString(System.nanoTime() % 1_000_000L, 32).toUpperCase();
            send(x, 201, "{\"code\":\"" + code + "\",\"site\":\"" + site.group(1) + "\",\"expiresAt\":\""
                    + Instant.now().plus(d).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"enroll\":\"…\"}");
        } else if (x.getRequestMethod().equals("GET") && p.equals("/api/admin/agents")) {
            String site = query(x).get("site");
            List<String> out = new ArrayList<>();
            agents.forEach((id, a) -> {
                if (a[0].equals(site)) {
                    out.add("{\"agentId\":\"" + id + "\",\"site\":\"" + a[0] + "\",\"origin\":\"enrolled\",\"host\":"
                            + (a[1] == null ? "null" : "\"" + a[1] + "\"") + ",\"enrolledAt\":\"" + a[2] + "\",\"revokedAt\":"
                            + (a[3] == null ? "null" : "\"" + a[3] + "\"") + "}");
                }
            });
            out.add("{\"agentId\":\"configured-" + site + "\",\"site\":\"" + site + "\",\"origin\":\"configured\"}");
            send(x, 200, "{\"agents\":[" + String.join(",", out) + "]}");
        } else if (x.getRequestMethod().equals("DELETE") && p.startsWith("/api/admin/agents/")) {
            String id = p.substring("/api/admin/agents/".length());
            String[] a = agents.get(id);
            if (a == null) {
                problem(x, 404, "no enrolled agent '" + id + "'");
                return;
            }
            if (a[3] == null) {
                a[3] = Instant.now().toString();
            }
            send(x, 200, "{\"agentId\":\"" + id + "\",\"site\":\"" + a[0] + "\",\"revokedAt\":\"" + a[3] + "\"}");
        } else {
            problem(x, 404, "no such endpoint");
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new ConcurrentHashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void problem(HttpExchange x, int status, String detail) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/problem+json");
        byte[] b = ("{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json");
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
