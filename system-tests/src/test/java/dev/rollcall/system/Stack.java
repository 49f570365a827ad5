package dev.rollcall.system;

import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.Postgres;

import java.util.HashMap;
import java.util.Map;

/** The configuration every service process gets: the real broker and Postgres of this test JVM. */
final class Stack {

    private Stack() {
    }

    static Map<String, String> kafka() {
        return Map.of("kafka.bootstrap.servers", KafkaBroker.bootstrapServers());
    }

    static Map<String, String> kafkaAndPostgres() {
        Postgres.Endpoint db = Postgres.endpoint();
        Map<String, String> m = new HashMap<>(kafka());
        m.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        m.put("quarkus.datasource.username", db.user());
        m.put("quarkus.datasource.password", db.password());
        return m;
    }
}
