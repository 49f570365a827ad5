package dev.rollcall.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Relays TCP from {@code 127.0.0.1:<port>} to {@code <host>:<port>}: run inside a network namespace, it lets the agent
 * there talk to the ingest on the host over loopback (the agent sends its credential in clear text only to this
 * machine's loopback; these tests have no TLS).
 */
public final class LoopbackRelay {

    private LoopbackRelay() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String host = args[1];
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("relaying 127.0.0.1:" + port + " to " + host + ":" + port);
            System.out.flush();
            while (true) {
                Socket in = server.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (in; Socket out = new Socket(host, port)) {
                        Thread back = Thread.ofPlatform().daemon().start(() -> copy(out, in));
                        copy(in, out);
                        back.join();
                    } catch (IOException | InterruptedException e) {
                        // the connection ended
                    }
                });
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream i = from.getInputStream();
            OutputStream o = to.getOutputStream();
            i.transferTo(o);
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }
}
