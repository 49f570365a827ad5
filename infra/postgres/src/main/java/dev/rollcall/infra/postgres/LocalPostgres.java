package dev.rollcall.infra.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL for running Rollcall on one machine, from the binaries zonky packages on Maven Central
 * (no Docker, no system package; works as root). Keeps its data in a folder across restarts and creates the
 * {@code rollcall} database and role on first start. Development only: the password is the role's name.
 *
 * <pre>java -cp … dev.rollcall.infra.postgres.LocalPostgres [--data DIR] [--port 5432]</pre>
 */
public final class LocalPostgres {

    public static void main(String[] args) throws Exception {
        Path data = Path.of("data/postgres");
        int port = 5432;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "\nusage: LocalPostgres [--data DIR] [--port 5432]");
                    System.exit(2);
                }
            }
        }
        data = data.toAbsolutePath();
        Files.createDirectories(data);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'rollcall'")) {
                if (!rs.next()) {
                    st.execute("CREATE ROLE rollcall LOGIN PASSWORD 'rollcall'");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'rollcall'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE rollcall OWNER rollcall");
                }
            }
        }
        System.err.println("[local-postgres] ready on localhost:" + port + " (database rollcall, user rollcall), data in " + data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.err.println("[local-postgres] stopped");
            } catch (Exception e) {
                System.err.println("[local-postgres] stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "local-postgres-stop"));
        stopped.await();
    }

    private LocalPostgres() {
    }
}
