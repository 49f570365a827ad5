package dev.rollcall.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code @QuarkusTestResource(PostgresResource.class)}: points the reactive datasource at a real PostgreSQL.
 * With init arg {@code schema} (paths relative to the module, comma-separated), runs those scripts first, in
 * order: how a reader of a read model gets the tables its writer owns, from the writer's own file.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String schema;

    @Override
    public void init(Map<String, String> initArgs) {
        schema = initArgs.get("schema");
    }

    @Override
    public Map<String, String> start() {
        Postgres.Endpoint db = Postgres.endpoint();
        if (schema != null) {
            for (String script : schema.split(",")) {
                Postgres.runScript(Path.of(script.strip()));
            }
        }
        return Map.of(
                "quarkus.datasource.reactive.url", db.reactiveUrl(),
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        // shared by every test of this JVM; stopped when the JVM exits
    }
}
