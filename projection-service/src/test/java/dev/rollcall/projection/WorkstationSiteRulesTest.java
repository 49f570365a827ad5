package dev.rollcall.projection;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.events.WorkstationState;
import dev.rollcall.events.WorkstationStateChanged;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.projection.ReadModelRows.count;
import static dev.rollcall.projection.ReadModelRows.rows;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A site's workstation rules from the roster ({@code SiteConfigured.autoTimeoutMinutes / realWorkBlockMinutes}),
 * against a real broker and a real Postgres: they apply to what is folded from then on, to history through a
 * rebuild, and a site the roster gives no rules keeps the configured ones. Each test has sites of its own, so
 * that the other tests' rebuilds compare rows that no roster change touched.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class WorkstationSiteRulesTest {

    static final Instant MONDAY = Instant.parse("2026-03-02T08:00:00Z");
    static final Instant TUESDAY = MONDAY.plus(Duration.ofDays(1));

    @Test
    void aSitesBlockLengthFromTheRosterChangesRealWorkHoursFromThenOnAndForHistoryAfterARebuild() throws Exception {
        String site = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        String user = "ACME\\ada";
        TopicWriter.send(twoHoursOfWork(site, user, MONDAY));
        await().atMost(Duration.ofSeconds(20)).until(() -> blocks(site, "2026-03-02") == 3); // 120 min / 40
        assertThat(rules(site)).containsExactly("600|2400|UTC|configuration");

        TopicWriter.send(roster(site, MONDAY.minus(Duration.ofDays(30)), new SiteConfigured("Rules", ZoneId.of("UTC"), 5, null, 60)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM roster_site WHERE site = ? AND real_work_block_minutes = 60", site) == 1);

        // from then on: Tuesday is folded with hour-long blocks, Monday keeps what it was folded with
        TopicWriter.send(twoHoursOfWork(site, user, TUESDAY));
        await().atMost(Duration.ofSeconds(20)).until(() -> blocks(site, "2026-03-03") == 2); // 120 min / 60
        assertThat(blocks(site, "2026-03-02")).isEqualTo(3);
        assertThat(rules(site)).containsExactly("600|2400|UTC|configuration", "600|3600|UTC|roster and configuration");

        // history through a rebuild: both days with the roster's block, and only those rules recorded
        int old = RebuildTest.status().getInt("live.generation");
        int next = given().header("Authorization", RebuildTest.TOKEN).when().post(RebuildTest.PATH + "/rebuild")
                .then().statusCode(202).extract().jsonPath().getInt("generation");
        assertThat(next).isGreaterThan(old);
        await().atMost(Duration.ofSeconds(60)).until(() -> RebuildTest.status().getInt("live.generation") == next);
        assertThat(blocks(site, "2026-03-02")).isEqualTo(2);
        assertThat(blocks(site, "2026-03-03")).isEqualTo(2);
        assertThat(rows("SELECT real_work_blocks, block_seconds FROM working_interval WHERE site = ? ORDER BY start_at", site))
                .containsExactly("2|3600", "2|3600");
        assertThat(rules(site)).containsExactly("600|3600|UTC|roster and configuration");
    }

    @Test
    void aSiteWithoutRulesInTheRosterKeepsTheConfiguredOnesAndARosterAutoTimeoutIsUsedBesideTheConfiguredBlock() throws Exception {
        String plain = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        String user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        TopicWriter.send(roster(plain, MONDAY.minus(Duration.ofDays(1)), new SiteConfigured("Plain", ZoneId.of("UTC"), 5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM roster_site WHERE site = ?", plain) == 1);
        TopicWriter.send(twoHoursOfWork(plain, user, MONDAY));
        await().atMost(Duration.ofSeconds(20)).until(() -> blocks(plain, "2026-03-02") == 3); // the default 40-min block
        assertThat(rules(plain)).containsExactly("600|2400|UTC|configuration");

        // cfg-lab has its own block in configuration (30 min, application.properties' test profile); the roster
        // gives it a 20-minute auto-timeout: a 15-minute silence no longer ends the interval
        String lab = "cfg-lab";
        TopicWriter.send(roster(lab, MONDAY.minus(Duration.ofDays(1)), new SiteConfigured("Lab", ZoneId.of("UTC"), 5, 20, null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM roster_site WHERE site = ? AND auto_timeout_minutes = 20", lab) == 1);
        List<EventEnvelope> day = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            day.add(report(lab, user, WorkstationState.WORKING, MONDAY.plus(Duration.ofMinutes(m))));
        }
        for (int m = 75; m < 120; m++) { // after 15 silent minutes
            day.add(report(lab, user, WorkstationState.WORKING, MONDAY.plus(Duration.ofMinutes(m))));
        }
        day.add(report(lab, user, WorkstationState.STOPPED, MONDAY.plus(Duration.ofMinutes(120))));
        TopicWriter.send(day);
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM workstation_event WHERE site = ? AND username = ?", lab, user) == day.size());
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(
                "SELECT real_work_blocks, block_seconds, ended_by FROM working_interval WHERE site = ? AND username = ?", lab, user)
                .equals(List.of("4|1800|stopped"))); // one 120-minute interval, 30-minute blocks
        assertThat(rules(lab)).containsExactly("1200|1800|UTC|roster and configuration");
    }

    /** Working every minute from {@code from} for two hours, then stopped: one 120-minute interval. */
    static List<EventEnvelope> twoHoursOfWork(String site, String user, Instant from) {
        List<EventEnvelope> out = new ArrayList<>();
        for (int m = 0; m < 120; m++) {
            out.add(report(site, user, WorkstationState.WORKING, from.plus(Duration.ofMinutes(m))));
        }
        out.add(report(site, user, WorkstationState.STOPPED, from.plus(Duration.ofMinutes(120))));
        return out;
    }

    static long blocks(String site, String date) throws Exception {
        List<String> r = rows("SELECT real_work_blocks FROM workstation_user_day WHERE site = ? AND local_date = ?::date", site, date);
        return r.isEmpty() ? -1 : Long.parseLong(r.getFirst());
    }

    static List<String> rules(String site) throws Exception {
        return rows("SELECT auto_timeout_seconds, real_work_block_seconds, zone, source FROM workstation_site_rules "
                + "WHERE site = ? ORDER BY since", site);
    }

    static EventEnvelope report(String site, String user, WorkstationState state, Instant at) {
        return EventEnvelope.of(UUID.randomUUID(), "test", at, site, user, new WorkstationStateChanged(user, "pc-1", state));
    }

    static EventEnvelope roster(String site, Instant at, RollcallEvent data) {
        return EventEnvelope.of(UUID.randomUUID(), "admin/test", at, site, site, data);
    }
}
