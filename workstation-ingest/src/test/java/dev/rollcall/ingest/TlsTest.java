package dev.rollcall.ingest;

import dev.rollcall.testsupport.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ingest serves HTTPS with a configured certificate; a client that does not trust it fails closed. */
@QuarkusTest
@TestProfile(SelfSignedCertificate.class)
@QuarkusTestResource(KafkaResource.class)
class TlsTest {

    @TestHTTPResource(value = "/api/report", tls = true)
    URL https;

    @Test
    void aClientTrustingTheCertificateGetsThrough() throws Exception {
        HttpResponse<String> r = client(trusting()).send(report(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("\"success\":true");
    }

    @Test
    void aClientThatDoesNotTrustItFailsClosed() {
        // the JDK's default trust store: a self-signed certificate is not in it
        assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(report(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpOnTheTlsPortIsRefused() throws Exception {
        URI plain = URI.create("http://localhost:" + https.getPort() + "/api/report");
        HttpRequest request = HttpRequest.newBuilder(plain).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private HttpRequest report() throws Exception {
        return HttpRequest.newBuilder(https.toURI()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ACME\\\\tls\",\"state\":\"working\"}")).build();
    }

    private static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Trusts exactly the test certificate, as an agent given a CA bundle does. */
    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(SelfSignedCertificate.certificate())) {
            trust.setCertificateEntry("ingest", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
