package dev.rollcall.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollcall.testsupport.TempDirs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Headless Chromium (Debian's {@code /usr/bin/chromium}) driven over the DevTools protocol: enough of it to open
 * pages, type into forms, click, read the page and take screenshots, with nothing but the JDK's WebSocket. One tab.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final String session;

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the calling test where Chromium is not installed, saying so; but under CI (the variable {@code CI} set,
     * as {@code .ci/run} is started) a missing Chromium fails the test: a browser test that silently skips there
     * would prove nothing.
     */
    static void requireOrSkip(String what) {
        if (available()) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci)) {
            throw new AssertionError("no Chromium at " + BINARY + " and CI=" + ci + ": " + what
                    + " must run in CI (install Debian's chromium)");
        }
        org.junit.jupiter.api.Assumptions.abort("no Chromium at " + BINARY + ": " + what + " is skipped");
    }

    static Chromium start(int width, int height) throws Exception {
        return new Chromium(width, height);
    }

    private Chromium(int width, int height) throws Exception {
        profile = TempDirs.create("chromium-cdp"); // removed on close, else when the JVM exits
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String ws = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String line; ws == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            int at = line.indexOf("ws://");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                ws = line.substring(at).strip();
            }
        }
        if (ws == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools port");
        }
        Thread.ofVirtual().start(() -> err.lines().forEach(l -> { }));  // keep its stderr drained
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).get(10, TimeUnit.SECONDS);
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
        call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Gives the browser a cookie for {@code url}'s host, as if a sign-in had set it. */
    void cookie(String url, String name, String value) throws Exception {
        call(session, "Network.setCookie", Map.of("url", url, "name", name, "value", value, "httpOnly", true, "path", "/"));
    }

    /** Renders as for {@code print} (or {@code screen}): what a printed page shows. */
    void media(String media) throws Exception {
        call(session, "Emulation.setEmulatedMedia", Map.of("media", media));
    }

    /** Opens {@code url} and waits until the page has loaded. */
    void open(String url) throws Exception {
        String before = eval("String(performance.timeOrigin)");
        call(session, "Page.navigate", Map.of("url", url));
        awaitNewDocument(before);
    }

    /** Sets form fields by CSS selector, then submits the form of the last one, and waits for the next page. */
    void submit(Map<String, String> fields, String buttonSelector) throws Exception {
        StringBuilder js = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            js.append("document.querySelector(").append(JSON.writeValueAsString(f.getKey()))
                    .append(").value = ").append(JSON.writeValueAsString(f.getValue())).append(";");
        }
        click(js + "document.querySelector(" + JSON.writeValueAsString(buttonSelector) + ").click();");
    }

    /** Runs {@code js} that navigates (a click on a link or button) and waits for the next page. */
    void click(String js) throws Exception {
        String before = eval("String(performance.timeOrigin)");
        eval(js + " 'ok'");
        awaitNewDocument(before);
    }

    String eval(String expression) throws Exception {
        JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        }
        JsonNode v = r.path("result").path("value");
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    String url() throws Exception {
        return eval("location.href");
    }

    String text() throws Exception {
        return eval("document.body.innerText");
    }

    String html() throws Exception {
        return eval("document.documentElement.outerHTML");
    }

    void screenshot(Path file) throws Exception {
        JsonNode r = call(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    private void awaitNewDocument(String before) throws Exception {
        await(() -> {
            try {
                return !String.valueOf(before).equals(eval("String(performance.timeOrigin)"))
                        && "complete".equals(eval("document.readyState"));
            } catch (Exception e) {
                return false;  // the context went away with the old page
            }
        });
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the page did not load within 20 s");
            }
            Thread.sleep(50);  // polling the browser, not waiting for the server's data
        }
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = reply.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(buffer.toString());
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                        if (f != null) {
                            f.complete(n);
                        }
                    }
                } catch (IOException e) {
                    // not a message for us
                }
                buffer.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        // Chromium's helpers (network service, renderers) outlive a terminated browser process for a moment and
        // keep writing into the profile: stop them all and wait for each before the profile is removed
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            helper.destroyForcibly();
            helper.onExit().get(10, TimeUnit.SECONDS);
        }
        deleteProfile();
    }

    /** Removes the profile directory; a file that went away by itself meanwhile is no error. */
    private void deleteProfile() throws IOException {
        TempDirs.deleteTree(profile);
    }
}
