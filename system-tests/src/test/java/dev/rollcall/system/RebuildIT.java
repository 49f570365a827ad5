package dev.rollcall.system;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceState;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaBroker;
import dev.rollcall.testsupport.Postgres;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntUnaryOperator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6's determinism: a generated month of workstation reports (duplicates, late deliveries) is folded
 * live; then a rebuild folds it again while the projection is SIGKILLed at random points and restarted.
 * The rebuilt generation's tables must equal the live-built ones row for row. The same for a month of agents'
 * heartbeats and the agents projection, and for a month of a site's phones and the presence-day projection.
 */
class RebuildIT {

    static final String TOKEN = "Bearer rebuild-it-token";

    @Test
    void liveBuiltAndRebuiltAcrossKillsAreIdenticalRowForRow() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<EventEnvelope> month = month(run, random);

        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("projection.admin.token", TOKEN.substring("Bearer ".length()));
        props.put("projection.generations.drop-retired-after", "PT1H"); // keep the live-built tables to compare
        props.put("projection.workstation.max-poll-records", "100");    // smaller transactions: more places to die
        try (var projection = new ServiceProcess("projection-service", props).start()) {
            send(month);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status(projection).getLong("live.lag") == 0 && status(projection).getLong("live.total") > 0);
            int live = status(projection).getInt("live.generation");

            int next = rebuildAcrossKills(projection, "workstation-day", kill -> 500 + random.nextInt(2500));

            // this test's rows: other tests of this JVM folded theirs with other site zones, which a rebuild
            // under this process's configuration rightly recomputes
            String mine = " WHERE username LIKE '%month-" + run + "-%'";
            assertSameRows(List.of("workstation_report_day", "working_interval", "workstation_user_day"), live, next, mine, seed);
            assertThat(count("SELECT coalesce(sum(length(reports) / 25), 0) FROM workstation_report_day_g" + next + mine))
                    .as("each distinct report once").isEqualTo(month.stream().map(EventEnvelope::id).distinct().count());
        }
    }

    /**
     * The same for the agents projection, whose rebuild loads the heartbeats in bulk: a month of 8 agents' heartbeats
     * (workstations signing off at night or not, network agents with outages and lone heartbeats inside them), an
     * enrollment, an outage reported, re-sent copies and late deliveries, folded live batch by batch, then rebuilt
     * across kills: the same rows in every table.
     */
    @Test
    void agentsLiveBuiltAndRebuiltInBulkAcrossKillsAreIdenticalRowForRow() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String site = "rebuild-agents-" + UUID.randomUUID().toString().substring(0, 6);
        List<EventEnvelope> month = agentsMonth(site, random);

        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("projection.admin.token", TOKEN.substring("Bearer ".length()));
        props.put("projection.generations.drop-retired-after", "PT1H");
        props.put("projection.agents.max-poll-records", "100");
        try (var projection = new ServiceProcess("projection-service", props).start()) {
            send(month);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status(projection, "agents").getLong("live.lag") == 0
                            && count("SELECT count(*) FROM agent_status WHERE site = '" + site + "'") == 8);
            int live = status(projection, "agents").getInt("live.generation");

            int next = rebuildAcrossKills(projection, "agents", kill -> 300 + random.nextInt(1500));

            String mine = " WHERE site = '" + site + "'";
            assertSameRows(List.of("agents_heartbeat", "agent_status", "agent_gap", "agent_reported_downtime", "agent_enrollment"),
                    live, next, mine, seed);
            assertThat(count("SELECT count(*) FROM agents_heartbeat_g" + next + mine)).as("each distinct heartbeat once")
                    .isEqualTo(month.stream().filter(e -> e.data() instanceof AgentHeartbeat).map(EventEnvelope::id).distinct().count());
        }
    }

    /**
     * The same for presence-day, whose rebuild loads in bulk: a month of a site's phones going on and off (a tenth of
     * the changes lost), two scanning agents' heartbeats listing the phones online every 5 minutes, the roster (one phone
     * handed to another employee mid-month), re-sent copies and late deliveries, folded live batch by batch, then
     * rebuilt across kills: the same rows in every table.
     */
    @Test
    void presenceLiveBuiltAndRebuiltInBulkAcrossKillsAreIdenticalRowForRow() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String site = "rebuild-presence-" + UUID.randomUUID().toString().substring(0, 6);
        List<EventEnvelope> month = presenceMonth(site, random);

        Map<String, String> props = new HashMap<>(Stack.kafkaAndPostgres());
        props.put("projection.admin.token", TOKEN.substring("Bearer ".length()));
        props.put("projection.generations.drop-retired-after", "PT1H");
        props.put("projection.presence.max-poll-records", "100");
        try (var projection = new ServiceProcess("projection-service", props).start()) {
            send(month);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status(projection, "presence-day").getLong("live.lag") == 0
                            && count("SELECT count(*) FROM attendance_day WHERE site = '" + site + "'") > 0);
            int live = status(projection, "presence-day").getInt("live.generation");

            // the bulk load of a month takes about a second: the first kill comes early
            int next = rebuildAcrossKills(projection, "presence-day", kill -> 100 + random.nextInt(kill == 0 ? 400 : 1200));

            String mine = " WHERE site = '" + site + "'";
            assertSameRows(List.of("device_event", "agent_heartbeat", "device_online_interval", "attendance_session", "attendance_day"),
                    live, next, mine, seed);
            assertThat(count("SELECT count(*) FROM device_event_g" + next + mine)).as("each distinct change once")
                    .isEqualTo(month.stream().filter(e -> e.data() instanceof DeviceStateChanged).map(EventEnvelope::id).distinct().count());
            assertThat(count("SELECT count(DISTINCT ended_by) FROM device_online_interval_g" + next + mine))
                    .as("intervals ended by offline changes and by heartbeats (the lost changes)").isEqualTo(2);
        }
    }

    /** 6 employees with 8 phones, 22 days: at the office from about 8:00-9:30 to 17:00-19:00 (Berlin) on weekdays, sometimes out mid-morning. */
    static List<EventEnvelope> presenceMonth(String site, Random random) {
        List<EventEnvelope> ordered = new ArrayList<>();
        LocalDate first = LocalDate.of(2026, 10, 1);
        Instant before = first.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofDays(1));
        ordered.add(EventEnvelope.of(UUID.randomUUID(), "admin", before, site, site, new SiteConfigured("Rebuild office", ZoneId.of("Europe/Berlin"), 5)));
        List<String> phones = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            String mac = String.format("3c:22:fb:10:00:%02x", p);
            String employee = "e-" + (p % 6);
            phones.add(mac);
            if (p < 6) {
                ordered.add(EventEnvelope.of(UUID.randomUUID(), "admin", before, site, employee, new EmployeeUpdated(employee, "Employee " + p, true)));
            }
            ordered.add(EventEnvelope.of(UUID.randomUUID(), "admin", before, site, mac, new DeviceAssigned(mac, employee, "phone " + p)));
        }
        ordered.add(EventEnvelope.of(UUID.randomUUID(), "admin", first.plusDays(12).atStartOfDay(ZoneOffset.UTC).toInstant(), site,
                phones.get(7), new DeviceAssigned(phones.get(7), "e-3", "phone 7, handed on")));
        // each phone's online stretches, day by day
        Map<String, List<Instant[]>> online = new HashMap<>();
        for (String mac : phones) {
            List<Instant[]> stretches = new ArrayList<>();
            for (LocalDate d = first; d.isBefore(first.plusDays(22)); d = d.plusDays(1)) {
                if (d.getDayOfWeek().getValue() > 5 || random.nextInt(12) == 0) {
                    continue;
                }
                Instant arrive = d.atTime(6, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(5400));
                Instant leave = d.atTime(15, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(7200));
                if (random.nextBoolean()) {
                    Instant out = d.atTime(10, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(1800));
                    stretches.add(new Instant[] {arrive, out});
                    arrive = out.plusSeconds(60L * (2 + random.nextInt(60))); // sometimes within the grace period
                }
                stretches.add(new Instant[] {arrive, leave});
            }
            online.put(mac, stretches);
            for (Instant[] s : stretches) {
                for (int end = 0; end < 2; end++) {
                    if (random.nextInt(10) > 0) { // a tenth of the changes lost: the heartbeats correct them
                        ordered.add(EventEnvelope.of(UUID.randomUUID(), "agent/net-1", s[end], site, mac,
                                new DeviceStateChanged(mac, end == 0 ? "10.0.0." + (10 + phones.indexOf(mac)) : null,
                                        end == 0 ? DeviceState.ONLINE : DeviceState.OFFLINE)));
                    }
                }
            }
        }
        // two scanning agents, each listing the phones online every 5 minutes
        for (String agent : List.of("net-1", "net-2")) {
            long uptime = 0;
            for (Instant t = first.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(agent.equals("net-1") ? 17 : 167);
                 t.isBefore(first.plusDays(22).atStartOfDay(ZoneOffset.UTC).toInstant()); t = t.plus(Duration.ofMinutes(5))) {
                Instant now = t;
                List<String> listed = phones.stream().filter(mac -> online.get(mac).stream()
                        .anyMatch(s -> !now.isBefore(s[0]) && now.isBefore(s[1]))).toList();
                uptime += 300;
                ordered.add(EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, t, site, agent,
                        new AgentHeartbeat(agent, "1.0.0", "scanner-" + agent, "Linux", uptime, 0, 1200L, listed)));
            }
        }
        return delivered(ordered, random);
    }

    /**
     * Starts a rebuild of projection {@code name}, SIGKILLs the service and starts it again up to 3 times while the
     * rebuild runs (the pause before each kill: {@code pause} of its number), and waits for the rebuilt generation to be
     * live; returns it.
     */
    static int rebuildAcrossKills(ServiceProcess projection, String name, IntUnaryOperator pause) throws Exception {
        int next = given().baseUri(projection.baseUrl()).header("Authorization", TOKEN)
                .when().post("/admin/projections/" + name + "/rebuild")
                .then().statusCode(202).extract().jsonPath().getInt("generation");
        for (int kill = 0; kill < 3; kill++) {
            Thread.sleep(pause.applyAsInt(kill));
            if (status(projection, name).getInt("live.generation") == next) {
                break; // caught up before this kill
            }
            projection.kill();
            projection.start();
        }
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                .until(() -> status(projection, name).getInt("live.generation") == next);
        return next;
    }

    /** Each table's rows ({@code where}) in generation {@code live} and in {@code next} are the same, both ways, and some. */
    static void assertSameRows(List<String> tables, int live, int next, String where, long seed) throws Exception {
        for (String table : tables) {
            String a = "SELECT * FROM " + table + "_g" + live + where;
            String b = "SELECT * FROM " + table + "_g" + next + where;
            assertThat(count("SELECT count(*) FROM (" + a + " EXCEPT " + b + ") d")).as("%s live-built minus rebuilt, seed %d", table, seed).isZero();
            assertThat(count("SELECT count(*) FROM (" + b + " EXCEPT " + a + ") d")).as("%s rebuilt minus live-built, seed %d", table, seed).isZero();
            assertThat(count("SELECT count(*) FROM (" + a + ") d")).as("%s has this test's rows", table).isPositive();
        }
    }

    static JsonPath status(ServiceProcess projection) {
        return status(projection, "workstation-day");
    }

    static JsonPath status(ServiceProcess projection, String name) {
        return given().baseUri(projection.baseUrl()).header("Authorization", TOKEN)
                .when().get("/admin/projections/" + name).then().statusCode(200).extract().jsonPath();
    }

    /** 5 workstations (8:00 to about 17:00 on weekdays) and 3 network agents (all day), every 5 minutes, for 22 days. */
    static List<EventEnvelope> agentsMonth(String site, Random random) {
        List<EventEnvelope> ordered = new ArrayList<>();
        LocalDate first = LocalDate.of(2026, 10, 1);
        for (int a = 0; a < 8; a++) {
            boolean workstation = a < 5;
            String agent = (workstation ? "ws-" : "net-") + a;
            long uptime = 0;
            for (LocalDate d = first; d.isBefore(first.plusDays(22)); d = d.plusDays(1)) {
                if (workstation && d.getDayOfWeek().getValue() > 5) {
                    continue;
                }
                Instant t = workstation ? d.atTime(8, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(1800))
                        : d.atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant end = workstation ? d.atTime(17, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(3600))
                        : t.plus(Duration.ofDays(1));
                while (t.isBefore(end)) {
                    boolean last = !t.plus(Duration.ofMinutes(5)).isBefore(end);
                    boolean signsOff = workstation && last && random.nextInt(3) > 0; // else the PC just went dark: a gap
                    uptime += 300;
                    ordered.add(EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, t, site, agent, new AgentHeartbeat(agent,
                            "1.0." + random.nextInt(2), "host-" + agent, workstation ? "Windows 11" : "Linux", uptime, random.nextInt(3),
                            workstation ? null : Long.valueOf(1000 + random.nextInt(900)), workstation ? List.of() : List.of("3c:22:fb:00:00:01"),
                            signsOff)));
                    // a network agent's outage now and then, sometimes with a lone heartbeat inside
                    int pause = !workstation && random.nextInt(150) == 0 ? 20 + random.nextInt(60) : 5;
                    if (pause > 30 && random.nextBoolean()) {
                        ordered.add(EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, t.plus(Duration.ofMinutes(pause / 2)), site, agent,
                                new AgentHeartbeat(agent, "1.0.0", "host-" + agent, "Linux", uptime, 0, 1500L, List.of(), false)));
                    }
                    t = t.plus(Duration.ofMinutes(pause));
                }
            }
        }
        ordered.add(EventEnvelope.of(UUID.randomUUID(), "ingest/enrollment", first.atStartOfDay(ZoneOffset.UTC).toInstant(), site, "net-9",
                new AgentEnrolled("net-9", "pi-9")));
        ordered.add(EventEnvelope.of(UUID.randomUUID(), "ingest/stafftrace", first.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant(), site,
                "net-5", new AgentDowntimeReported(first.plusDays(2).atTime(3, 0).toInstant(ZoneOffset.UTC),
                        first.plusDays(2).atTime(4, 0).toInstant(ZoneOffset.UTC))));
        return delivered(ordered, random);
    }

    /** 12 people, 22 working days, a report every 2 minutes while working; 3% sent twice, a tenth late. */
    static List<EventEnvelope> month(String run, Random random) {
        List<EventEnvelope> ordered = new ArrayList<>();
        LocalDate first = LocalDate.of(2026, 10, 1);
        for (int person = 0; person < 12; person++) {
            String user = "ACME\\month-" + run + "-" + person;
            for (LocalDate d = first; d.isBefore(first.plusMonths(1)); d = d.plusDays(1)) {
                if (d.getDayOfWeek().getValue() > 5) {
                    continue;
                }
                Instant t = d.atTime(8, 0).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(5400));
                Instant leave = d.atTime(16, 30).toInstant(ZoneOffset.UTC).plusSeconds(random.nextInt(7200));
                while (t.isBefore(leave)) {
                    Instant end = t.plus(Duration.ofMinutes(20 + random.nextInt(90)));
                    for (Instant s = t; s.isBefore(end); s = s.plus(Duration.ofMinutes(2))) {
                        ordered.add(event(user, WorkstationState.WORKING, s));
                    }
                    if (random.nextInt(3) > 0) {
                        ordered.add(event(user, WorkstationState.STOPPED, end));
                    }
                    t = end.plus(Duration.ofMinutes(5 + random.nextInt(40)));
                }
            }
        }
        return delivered(ordered, random);
    }

    /** The events as delivered: about 3% sent twice, a tenth late (after all the others, shuffled). */
    static List<EventEnvelope> delivered(List<EventEnvelope> ordered, Random random) {
        List<EventEnvelope> delivered = new ArrayList<>(ordered.size());
        List<EventEnvelope> late = new ArrayList<>();
        for (EventEnvelope e : ordered) {
            (random.nextInt(10) == 0 ? late : delivered).add(e);
            if (random.nextInt(33) == 0) {
                delivered.add(e);
            }
        }
        Collections.shuffle(late, random);
        delivered.addAll(late);
        return delivered;
    }

    static EventEnvelope event(String user, WorkstationState state, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "rebuild-it", at, "hq", user, new WorkstationStateChanged(user, "pc-1", state));
    }

    static void send(List<EventEnvelope> events) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(e.topic().topicName(), e.key(), EventCodec.encode(e)));
            }
            producer.flush();
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = Postgres.endpoint().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
