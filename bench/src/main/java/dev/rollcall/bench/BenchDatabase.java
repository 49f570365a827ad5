package dev.rollcall.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) with a fresh data folder, one database per replay
 * so that every replay starts from an empty read model. Loads {@code pg_stat_statements}, so a profile can
 * say which statements the database spends its time on. Durability settings are PostgreSQL's defaults
 * ({@code fsync} and {@code synchronous_commit} on), as in production.
 */
final class BenchDatabase implements AutoCloseable {

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final EmbeddedPostgres pg;
    private final Path data;

    private BenchDatabase(EmbeddedPostgres pg, Path data) {
        this.pg = pg;
        this.data = data;
    }

    static BenchDatabase start(BenchSettings settings) throws IOException, SQLException {
        Path data = settings.work().resolve("postgres");
        WorkFolder.deleteTree(data);
        Files.createDirectories(data);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track", "top")
                .setServerConfig("pg_stat_statements.track_planning", "on")
                .start();
        BenchDatabase db = new BenchDatabase(pg, data);
        try (Connection c = db.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
        return db;
    }

    int port() {
        return pg.getPort();
    }

    /** The postmaster's process id: PostgreSQL's CPU is its own plus its backends'. */
    long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    String version() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + database, USER, PASSWORD);
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }

    /** What a service needs to use {@code database}. */
    Map<String, String> serviceProperties(String database) {
        return Map.of("quarkus.datasource.reactive.url", "postgresql://localhost:" + port() + "/" + database,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
