package dev.rollcall.ingest;

import dev.rollcall.testsupport.TempDirs;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A throwaway certificate for {@code localhost}, made with the JDK's keytool at test time (test-only keys,
 * never committed), and the profile that makes the ingest serve HTTPS only with it.
 */
public class SelfSignedCertificate implements QuarkusTestProfile {

    static final String PASSWORD = "test-only-password";
    static final Path DIR = make();

    static Path keyStore() {
        return DIR.resolve("ingest.p12");
    }

    static Path certificate() {
        return DIR.resolve("ingest.pem");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.ssl.certificate.key-store-file", keyStore().toString(),
                "quarkus.http.ssl.certificate.key-store-password", PASSWORD,
                "quarkus.http.test-ssl-port", "0",
                "quarkus.http.insecure-requests", "disabled");
    }

    private static Path make() {
        try {
            Path dir = TempDirs.create("rollcall-tls");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(List.of(keytool, "-genkeypair", "-alias", "ingest", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", dir.resolve("ingest.p12").toString(), "-storepass", PASSWORD));
            run(List.of(keytool, "-exportcert", "-rfc", "-alias", "ingest", "-keystore", dir.resolve("ingest.p12").toString(),
                    "-storepass", PASSWORD, "-file", dir.resolve("ingest.pem").toString()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
