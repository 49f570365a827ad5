package dev.rollcall.agent.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rollcall.agent.AgentRun;
import dev.rollcall.agent.ship.AgentCredential;
import dev.rollcall.testsupport.TempDirs;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code presence-agent enroll} against a small stand-in server on 127.0.0.1 (HTTP, and HTTPS with a keytool
 * certificate): the credential lands owner-only, refusals store nothing, and an untrusted server gets no code.
 * The run against the real ingest is {@code AgentEnrollmentIT} in system-tests.
 */
@QuarkusMainTest
class EnrollCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final char[] PASS = "test-only".toCharArray();
    static final String CREDENTIAL = "hq-k7qm2xn4.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM";
    static Path keys;

    /** Answers enrollment with {@code status} and {@code body}; remembers each request's JSON. */
    static final class Server implements AutoCloseable {
        final HttpServer http;
        final List<JsonNode> requests = new CopyOnWriteArrayList<>();

        Server(HttpServer http, int status, String body) {
            this.http = http;
            http.createContext("/api/agent/enroll", ex -> answer(ex, status, body));
            http.start();
        }

        private void answer(HttpExchange ex, int status, String body) throws IOException {
            requests.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", status == 201 ? "application/json" : "application/problem+json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        }

        String url() {
            return (http instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + http.getAddress().getPort();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    static Server plain(int status, String body) throws IOException {
        return new Server(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), status, body);
    }

    static Server tls(int status, String body) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve("server.p12"))) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new Server(s, status, body);
    }

    static final String ENROLLED = "{\"agentId\":\"hq-k7qm2xn4\",\"site\":\"hq\",\"credential\":\"" + CREDENTIAL + "\"}";

    @BeforeAll
    static void makeCertificates() throws Exception {
        keys = TempDirs.create("enroll-keys");
        for (String alias : List.of("server", "other")) {
            keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", alias + ".p12",
                    "-storepass", new String(PASS));
            keytool("-exportcert", "-rfc", "-alias", alias, "-file", alias + ".pem", "-keystore", alias + ".p12",
                    "-storepass", new String(PASS));
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(keys.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }

    static Path fresh() throws IOException {
        return TempDirs.create("enroll").resolve("state").resolve("agent.credential");
    }

    static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void storesTheCredentialOwnerOnlyAndSaysWhoItIs(QuarkusMainLauncher launcher) throws Exception {
        Path file = fresh();
        try (Server server = plain(201, ENROLLED)) {
            AgentRun run = AgentRun.launch(launcher, "enroll", "--server", server.url(), "--code", "k7qm2-xn4pd-r8wzt-3hj6b",
                    "--credential-file", file.toString());

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("agent hq-k7qm2xn4 of site hq", file.toString()).doesNotContain("c2VjcmV0");
            assertThat(server.requests).hasSize(1);
            assertThat(server.requests.get(0).path("code").asText()).isEqualTo("k7qm2-xn4pd-r8wzt-3hj6b");
            assertThat(server.requests.get(0).path("host").asText()).isNotBlank();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(AgentCredential.read(file).agentId()).isEqualTo("hq-k7qm2xn4");
        assertThat(Files.readString(file).lines().findFirst()).contains(CREDENTIAL);
        // this stand-in answers no expiresAt, as an ingest whose credentials do not expire
        assertThat(Files.readString(file)).contains("\nexpires-at=never\n");
        assertThat(AgentCredential.read(file).lifetime()).hasValueSatisfying(l -> assertThat(l.expiresAt()).isNull());
        assertThat(leftovers(file.getParent())).containsExactly(file);
    }

    @Test
    void aRefusedCodeStoresNothing(QuarkusMainLauncher launcher) throws Exception {
        Path file = fresh();
        try (Server server = plain(410, "{\"status\":410,\"detail\":\"this enrollment code was already used\"}")) {
            AgentRun run = AgentRun.launch(launcher, "enroll", "--server", server.url(), "--code", "X", "--credential-file",
                    file.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.stderr()).contains("refused (410)", "already used", "nothing was stored");
        }
        assertThat(file).doesNotExist();
        assertThat(leftovers(file.getParent())).as("no temporary file either").isEmpty();
    }

    @Test
    void anExistingCredentialIsKeptUnlessForced(QuarkusMainLauncher launcher) throws Exception {
        Path file = fresh();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hq-old.secret\n");
        try (Server server = plain(201, ENROLLED.replace("}", ",\"expiresAt\":\"2027-02-19T00:00:00Z\"}"))) {
            AgentRun refused = AgentRun.launch(launcher, "enroll", "--server", server.url(), "--code", "X",
                    "--credential-file", file.toString());
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.stderr()).contains("already there", "--force");
            assertThat(server.requests).as("the code is not spent").isEmpty();
            assertThat(Files.readString(file)).isEqualTo("hq-old.secret\n");

            AgentRun forced = AgentRun.launch(launcher, "enroll", "--server", server.url(), "--code", "X",
                    "--credential-file", file.toString(), "--force");
            assertThat(forced.exitCode()).as(forced.stderr()).isZero();
            assertThat(Files.readString(file).lines().findFirst()).contains(CREDENTIAL);
            assertThat(AgentCredential.read(file).lifetime().orElseThrow().expiresAt()).isEqualTo(java.time.Instant.parse("2027-02-19T00:00:00Z"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void overHttpsOnlyATrustedServerGetsTheCode(QuarkusMainLauncher launcher) throws Exception {
        Path file = fresh();
        try (Server server = tls(201, ENROLLED)) {
            for (String[] trust : List.of(new String[0], new String[] {"--ca-bundle", keys.resolve("other.pem").toString()})) {
                List<String> args = new java.util.ArrayList<>(List.of("enroll", "--server", server.url(), "--code", "X",
                        "--credential-file", file.toString()));
                args.addAll(List.of(trust));
                AgentRun run = AgentRun.launch(launcher, args.toArray(String[]::new));
                assertThat(run.exitCode()).isEqualTo(1);
                assertThat(run.stderr()).contains("not trusted", "--ca-bundle", "nothing was stored");
                assertThat(file).doesNotExist();
            }
            assertThat(server.requests).as("an unverified server never saw the code").isEmpty();

            AgentRun run = AgentRun.launch(launcher, "enroll", "--server", server.url(), "--code", "X",
                    "--credential-file", file.toString(), "--ca-bundle", keys.resolve("server.pem").toString());
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(AgentCredential.read(file).agentId()).isEqualTo("hq-k7qm2xn4");
        }
    }

    @Test
    void mistakesAreUsageErrors(QuarkusMainLauncher launcher) throws Exception {
        Path file = fresh();
        for (String[] args : List.of(
                new String[] {"enroll", "--code", "X", "--credential-file", file.toString()},
                new String[] {"enroll", "--server", "https://ingest.example.com", "--credential-file", file.toString()},
                new String[] {"enroll", "--server", "http://ingest.example.com", "--code", "X", "--credential-file", file.toString()},
                new String[] {"enroll", "--server", "https://ingest.example.com", "--code", "X", "--credential-file",
                        file.toString(), "--ca-bundle", "/nonexistent.pem"})) {
            AgentRun run = AgentRun.launch(launcher, args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.stderr()).startsWith("presence-agent enroll: ").contains("presence-agent enroll --help");
            assertThat(run.stdout()).isEmpty();
        }
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void theCredentialFileDefaultsToTheOneNetworkReads(QuarkusMainLauncher launcher) {
        AgentRun enroll = AgentRun.launch(launcher, "enroll", "--help");
        AgentRun network = AgentRun.launch(launcher, "network", "--help");
        String expected = System.getProperty("user.home") + "/.rollcall-agent/agent.credential";
        assertThat(enroll.stdout().replaceAll("\\s+", " ")).contains("Default: " + expected);
        assertThat(network.stdout().replaceAll("\\s+", " ")).contains("Default: " + expected);
    }
}
