package dev.rollcall.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over one keep-alive connection: one request at a time, bodies by
 * {@code Content-Length} or chunked. The load generator shares two cores with the services it measures, so it
 * has to cost next to nothing: no selector thread, no futures, no header maps. Not thread-safe: one per worker.
 */
public final class LoopbackHttp implements AutoCloseable {

    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public LoopbackHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    public Response get(String path) throws IOException {
        return exchange(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), null);
    }

    public Response post(String path, String contentType, byte[] body) throws IOException {
        return post(path, contentType, "", body);
    }

    /** @param headers more header lines, each ending in CRLF (e.g. {@code "Authorization: Bearer …\r\n"}) */
    public Response post(String path, String contentType, String headers, byte[] body) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: " + contentType
                + "\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(head, body);
    }

    private Response exchange(byte[] head, byte[] body) throws IOException {
        boolean fresh = socket == null;
        try {
            return once(head, body);
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            return once(head, body); // the server closed an idle keep-alive connection: one retry on a new one
        }
    }

    private Response once(byte[] head, byte[] body) throws IOException {
        connect();
        out.write(head);
        if (body != null) {
            out.write(body);
        }
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = status.startsWith("HTTP/1.0");
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closing = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] content;
        if (chunked) {
            content = chunkedBody();
        } else if (length >= 0) {
            content = in.readNBytes((int) length);
            if (content.length != length) {
                throw new EOFException("body ended after " + content.length + " of " + length + " bytes");
            }
        } else {
            content = in.readAllBytes();
            closing = true;
        }
        if (closing) {
            close();
        }
        return new Response(code, content);
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return b.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new EOFException("chunk ended early");
            }
            b.write(chunk);
            line(); // CRLF after the chunk
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c == '\n') {
                int len = s.length();
                return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
            }
            s.append((char) c);
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 4 * 1024);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do about a socket that will not close
            }
            socket = null;
            in = null;
            out = null;
        }
    }
}
