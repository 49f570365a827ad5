package dev.rollcall.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackHttpTest {

    /** Answers each request on a connection with the next of {@code answers}; counts connections. */
    static Thread serve(ServerSocket server, List<String> answers, AtomicInteger connections, List<String> requestLines) {
        Thread t = new Thread(() -> {
            int next = 0;
            try {
                while (next < answers.size()) {
                    try (Socket s = server.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        OutputStream out = s.getOutputStream();
                        while (next < answers.size()) {
                            String line = in.readLine();
                            if (line == null) {
                                break;
                            }
                            requestLines.add(line);
                            int length = 0;
                            for (String h = in.readLine(); !h.isEmpty(); h = in.readLine()) {
                                if (h.toLowerCase().startsWith("content-length:")) {
                                    length = Integer.parseInt(h.substring(15).trim());
                                }
                            }
                            in.skip(length);
                            String answer = answers.get(next++);
                            out.write(answer.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            if (answer.contains("Connection: close")) {
                                break;
                            }
                        }
                    }
                }
            } catch (Exception ignored) {
                // the test fails on what the client saw
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void readsSizedAndChunkedBodiesOnOneKeepAliveConnection() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<String> lines = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0)) {
            serve(server, List.of(
                    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"success\":true}",
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n",
                    "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"), connections, lines);
            try (LoopbackHttp http = new LoopbackHttp("localhost", server.getLocalPort(), 5000)) {
                LoopbackHttp.Response created = http.post("/api/report", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(created.status()).isEqualTo(201);
                assertThat(created.text()).isEqualTo("{\"success\":true}");
                LoopbackHttp.Response chunked = http.get("/?date=2024-05-10");
                assertThat(chunked.status()).isEqualTo(200);
                assertThat(chunked.text()).isEqualTo("hello, world");
                assertThat(http.get("/month").status()).isEqualTo(404);
            }
        }
        assertThat(connections.get()).isEqualTo(1);
        assertThat(lines).containsExactly("POST /api/report HTTP/1.1", "GET /?date=2024-05-10 HTTP/1.1", "GET /month HTTP/1.1");
    }

    @Test
    void opensANewConnectionWhenTheServerClosedTheLastOne() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0)) {
            serve(server, List.of(
                    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na",
                    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"), connections, new ArrayList<>());
            try (LoopbackHttp http = new LoopbackHttp("localhost", server.getLocalPort(), 5000)) {
                assertThat(http.get("/").text()).isEqualTo("a");
                assertThat(http.get("/").text()).isEqualTo("b");
            }
        }
        assertThat(connections.get()).isEqualTo(2);
    }
}
