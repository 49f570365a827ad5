package dev.rollcall.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollcall.agent.outbox.Outbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the server fails closed: the JDK's verification with the platform's CAs, or with a private CA bundle
 * ({@code --ca-bundle}) instead, and the host name is checked either way. Certificates come from the JDK's
 * keytool, made fresh for the test.
 */
class ServerTrustTest {

    private static final char[] PASS = "changeit".toCharArray();

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ingest",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12");
        keytool("-exportcert", "-rfc", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=other",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "other.p12");
        keytool("-exportcert", "-rfc", "-alias", "other", "-file", "other.pem", "-keystore", "other.p12");
        keytool("-genkeypair", "-alias", "named", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ingest.example",
                "-ext", "san=dns:ingest.example", "-validity", "2", "-keystore", "named.p12");
        keytool("-exportcert", "-rfc", "-alias", "named", "-file", "named.pem", "-keystore", "named.p12");
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", "changeit", "-noprompt"));
        Process p = new ProcessBuilder(cmd).directory(keys.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    private static SSLContext serverTls(String keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.resolve(keystore))) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private Shipper.Outcome shipOneEventTo(FakeIngest server, Optional<SSLContext> trust) throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox"), 100)) {
            outbox.append(ShipperTest.events(1));
            IngestClient client = new IngestClient(server.base(), AgentCredential.parse("hq-office-1.secret"), trust,
                    "presence-agent/test", Duration.ofSeconds(10));
            Shipper.Outcome outcome = new Shipper(outbox, client,
                    new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0)).shipOnce().outcome();
            if (outcome != Shipper.Outcome.SHIPPED) {
                assertThat(outbox.size()).as("an event that did not get through stays queued").isEqualTo(1);
            }
            return outcome;
        }
    }

    @Test
    void aPrivateCaBundleLetsTheAgentTrustItsServer() throws Exception {
        try (FakeIngest server = FakeIngest.https(serverTls("server.p12"))) {
            assertThat(shipOneEventTo(server, Optional.of(ServerTrust.fromPemBundle(keys.resolve("server.pem")))))
                    .isEqualTo(Shipper.Outcome.SHIPPED);
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void withoutTheBundleTheSystemCasDoNotTrustAPrivateServer() throws Exception {
        try (FakeIngest server = FakeIngest.https(serverTls("server.p12"))) {
            assertThat(shipOneEventTo(server, Optional.empty())).isEqualTo(Shipper.Outcome.FAILED);
            assertThat(server.requests()).as("nothing was sent to an unverified server").isEmpty();
        }
    }

    @Test
    void anotherCasCertificateIsNotTrusted() throws Exception {
        try (FakeIngest server = FakeIngest.https(serverTls("server.p12"))) {
            assertThat(shipOneEventTo(server, Optional.of(ServerTrust.fromPemBundle(keys.resolve("other.pem")))))
                    .isEqualTo(Shipper.Outcome.FAILED);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsNotAccepted() throws Exception {
        try (FakeIngest server = FakeIngest.https(serverTls("named.p12"))) {
            assertThat(shipOneEventTo(server, Optional.of(ServerTrust.fromPemBundle(keys.resolve("named.pem")))))
                    .isEqualTo(Shipper.Outcome.FAILED);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aBundleWithoutCertificatesIsAConfigurationError() throws IOException {
        Path notPem = dir.resolve("bundle.pem");
        Files.writeString(notPem, "this is not a certificate\n");
        assertThatThrownBy(() -> ServerTrust.fromPemBundle(notPem)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bundle.pem");
    }
}
