package dev.rollcall.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL for tests: the one {@code ROLLCALL_TEST_PG_URL} names
 * ({@code postgresql://user:password@host:port/database}), or else an embedded server (zonky's packaged
 * binaries from Maven Central; it copes with running as root). Started once per JVM and shared.
 */
public final class Postgres {

    public static final String URL_ENV = "ROLLCALL_TEST_PG_URL";

    /** Where a database is and how to sign in. */
    public record Endpoint(String host, int port, String database, String user, String password) {

        /** For the Vert.x reactive client: {@code postgresql://host:port/db}. */
        public String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        }
    }

    private static Endpoint endpoint;
    private static EmbeddedPostgres embedded;

    private Postgres() {
    }

    public static synchronized Endpoint endpoint() {
        if (endpoint == null) {
            String external = System.getenv(URL_ENV);
            endpoint = external != null && !external.isBlank() ? parse(external.trim()) : startEmbedded();
        }
        return endpoint;
    }

    static Endpoint parse(String url) {
        URI u = URI.create(url);
        String[] userInfo = u.getUserInfo() == null ? new String[] {"postgres", ""} : u.getUserInfo().split(":", 2);
        return new Endpoint(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), u.getPath().replaceFirst("^/", ""),
                userInfo[0], userInfo.length > 1 ? userInfo[1] : "");
    }

    private static Endpoint startEmbedded() {
        try {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stopQuietly, "postgres-test-stop"));
            return new Endpoint("localhost", embedded.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Runs a SQL script (statements separated by semicolons at line ends) against the database. */
    public static void runScript(Path script) {
        try (Connection c = endpoint().connect(); Statement st = c.createStatement()) {
            st.execute(Files.readString(script));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        } catch (SQLException e) {
            throw new IllegalStateException("script " + script + " failed: " + e.getMessage(), e);
        }
    }

    private static synchronized void stopQuietly() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // the JVM is exiting
            }
            embedded = null;
        }
    }
}
