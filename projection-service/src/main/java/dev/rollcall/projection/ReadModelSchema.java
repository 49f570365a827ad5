package dev.rollcall.projection;

import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Creates the read-model tables if they are missing. Serialised by an advisory lock, so replicas may start together. */
@ApplicationScoped
public class ReadModelSchema {

    static final String SCRIPT = "/db/read-model.sql";
    private static final long LOCK_KEY = 0x526f6c6c63616c6cL; // "Rollcall"

    private final Pool pool;

    public ReadModelSchema(Pool pool) {
        this.pool = pool;
    }

    public void apply() {
        String sql = script();
        pool.withTransaction(c -> c.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
                        .chain(() -> c.query(sql).execute()))
                .await().atMost(Duration.ofSeconds(60));
    }

    static String script() {
        try (InputStream in = ReadModelSchema.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
