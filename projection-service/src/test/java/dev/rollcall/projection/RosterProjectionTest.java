package dev.rollcall.projection;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.DeviceReleased;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RollcallEvent;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static dev.rollcall.projection.ReadModelRows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The roster projection against a real broker and a real Postgres: latest wins, assignments effective-dated. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class RosterProjectionTest {

    static final Instant MON = Instant.parse("2026-03-02T07:00:00Z");

    @Test
    void theLatestEventOfASiteAndOfAnEmployeeIsInForceWhateverOrderTheyCameIn() throws Exception {
        String site = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope newer = event(site, MON.plus(Duration.ofDays(2)), new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), 10));
        EventEnvelope older = event(site, MON, new SiteConfigured("Berlin", ZoneId.of("UTC"), 5));
        EventEnvelope renamed = event(site, MON.plus(Duration.ofDays(3)), new EmployeeUpdated("e-ada", "Ada Lovelace", false));
        EventEnvelope hired = event(site, MON, new EmployeeUpdated("e-ada", "Ada", true));
        TopicWriter.send(newer, renamed, older, hired, older, renamed);

        await().atMost(Duration.ofSeconds(20)).until(() -> rows("SELECT name FROM roster_employee WHERE site = ?", site).size() == 1
                && rows("SELECT name FROM roster_site WHERE site = ?", site).size() == 1);
        assertThat(rows("SELECT name, zone, presence_grace_minutes, updated_at FROM roster_site WHERE site = ?", site))
                .containsExactly("Berlin office|Europe/Berlin|10|" + newer.time());
        assertThat(rows("SELECT employee_id, name, active, updated_at FROM roster_employee WHERE site = ?", site))
                .containsExactly("e-ada|Ada Lovelace|false|" + renamed.time());
    }

    @Test
    void aDevicesAssignmentsAreEffectiveDatedAndALateReassignmentClosesTheRightOne() throws Exception {
        String site = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        String phone = "3c:22:fb:00:00:01";
        String randomised = "3e:22:fb:00:00:02";
        TopicWriter.send(
                event(site, MON, new DeviceAssigned(phone, "e-ada", "Ada's phone")),
                event(site, MON.plus(Duration.ofDays(7)), new DeviceReleased(phone)),
                event(site, MON, new DeviceAssigned(randomised, "e-bob", null)));
        await().atMost(Duration.ofSeconds(20)).until(() -> assignments(site).size() == 2);
        assertThat(assignments(site)).containsExactly(
                phone + "|e-ada|Ada's phone|false|" + MON + "|" + MON.plus(Duration.ofDays(7)),
                randomised + "|e-bob|null|true|" + MON + "|null");

        // a reassignment in the middle that arrives late splits Ada's week
        Instant wednesday = MON.plus(Duration.ofDays(2));
        EventEnvelope late = event(site, wednesday, new DeviceAssigned(phone, "e-bob", "Bob's now"));
        TopicWriter.send(late, late);
        await().atMost(Duration.ofSeconds(20)).until(() -> assignments(site).size() == 3);
        assertThat(assignments(site)).containsExactly(
                phone + "|e-ada|Ada's phone|false|" + MON + "|" + wednesday,
                phone + "|e-bob|Bob's now|false|" + wednesday + "|" + MON.plus(Duration.ofDays(7)),
                randomised + "|e-bob|null|true|" + MON + "|null");
    }

    @Test
    void workstationUserNamesAreTheLatestClaimAndAnEventWithoutThemLeavesThemAlone() throws Exception {
        String site = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope adaClaims = event(site, MON, new EmployeeUpdated("e-ada", "Ada", true, List.of("ACME\\ada", "shared")));
        EventEnvelope bobClaimsLater = event(site, MON.plus(Duration.ofDays(1)),
                new EmployeeUpdated("e-bob", "Bob", true, List.of("ACME\\bob", "shared")));
        EventEnvelope adaRenamed = event(site, MON.plus(Duration.ofDays(2)), new EmployeeUpdated("e-ada", "Ada L.", true));
        // out of order and repeated: Bob's later claim on "shared" wins, Ada's rename keeps her names
        TopicWriter.send(adaRenamed, bobClaimsLater, adaClaims, adaClaims);
        await().atMost(Duration.ofSeconds(20)).until(() -> workstationUsers(site).size() == 3
                && rows("SELECT name FROM roster_employee WHERE site = ? AND name = 'Ada L.'", site).size() == 1);
        assertThat(workstationUsers(site)).containsExactly(
                "ACME\\ada|e-ada|" + MON, "ACME\\bob|e-bob|" + bobClaimsLater.time(), "shared|e-bob|" + bobClaimsLater.time());

        // Bob gives "shared" up: it falls back to Ada's claim
        Instant later = MON.plus(Duration.ofDays(3));
        TopicWriter.send(event(site, later, new EmployeeUpdated("e-bob", "Bob", true, List.of("ACME\\bob"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> workstationUsers(site).contains("shared|e-ada|" + MON));
        assertThat(workstationUsers(site)).containsExactly(
                "ACME\\ada|e-ada|" + MON, "ACME\\bob|e-bob|" + later, "shared|e-ada|" + MON);

        // an empty list removes all of an employee's names
        TopicWriter.send(event(site, later.plusSeconds(60), new EmployeeUpdated("e-ada", "Ada L.", true, List.of())));
        await().atMost(Duration.ofSeconds(20)).until(() -> workstationUsers(site).size() == 1);
        assertThat(workstationUsers(site)).containsExactly("ACME\\bob|e-bob|" + later);
    }

    @Test
    void staffTraceIdsAreTheLatestClaimAndAnEventWithoutThemLeavesThemAlone() throws Exception {
        String site = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope ada = event(site, MON, new EmployeeUpdated("e-ada", "Ada", true, null, List.of("17", "99")));
        EventEnvelope bobLater = event(site, MON.plus(Duration.ofDays(1)), new EmployeeUpdated("e-bob", "Bob", true, null, List.of("99")));
        EventEnvelope adaRenamed = event(site, MON.plus(Duration.ofDays(2)), new EmployeeUpdated("e-ada", "Ada L.", true, List.of("ada")));
        TopicWriter.send(adaRenamed, bobLater, ada, ada);
        await().atMost(Duration.ofSeconds(20)).until(() -> staffTraceIds(site).size() == 2
                && rows("SELECT name FROM roster_employee WHERE site = ? AND name = 'Ada L.'", site).size() == 1);
        assertThat(staffTraceIds(site)).containsExactly("17|e-ada|" + MON, "99|e-bob|" + bobLater.time());

        TopicWriter.send(event(site, MON.plus(Duration.ofDays(3)), new EmployeeUpdated("e-bob", "Bob", true, null, List.of())));
        await().atMost(Duration.ofSeconds(20)).until(() -> staffTraceIds(site).contains("99|e-ada|" + MON));
        assertThat(staffTraceIds(site)).containsExactly("17|e-ada|" + MON, "99|e-ada|" + MON);
    }

    /** Inactive since the deactivation, not since a later edit; a re-activation clears it; any order of arrival. */
    @Test
    void anEmployeeIsInactiveSinceTheEventThatDeactivatedThem() throws Exception {
        String site = "roster-" + UUID.randomUUID().toString().substring(0, 8);
        Instant deactivated = MON.plus(Duration.ofDays(1));
        EventEnvelope hired = event(site, MON, new EmployeeUpdated("e-ada", "Ada", true));
        EventEnvelope off = event(site, deactivated, new EmployeeUpdated("e-ada", "Ada", false));
        EventEnvelope renamed = event(site, MON.plus(Duration.ofDays(5)), new EmployeeUpdated("e-ada", "Ada L.", false));
        TopicWriter.send(renamed, hired, off);
        await().atMost(Duration.ofSeconds(20)).until(() -> inactive(site).equals(List.of("Ada L.|false|" + deactivated)));

        Instant back = MON.plus(Duration.ofDays(6));
        TopicWriter.send(event(site, back, new EmployeeUpdated("e-ada", "Ada L.", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> inactive(site).equals(List.of("Ada L.|true|null")));
        Instant again = MON.plus(Duration.ofDays(8));
        TopicWriter.send(event(site, again, new EmployeeUpdated("e-ada", "Ada L.", false)));
        await().atMost(Duration.ofSeconds(20)).until(() -> inactive(site).equals(List.of("Ada L.|false|" + again)));
    }

    static List<String> inactive(String site) throws Exception {
        return rows("SELECT name, active, inactive_since FROM roster_employee WHERE site = ?", site);
    }

    static List<String> staffTraceIds(String site) throws Exception {
        return rows("SELECT stafftrace_id, employee_id, updated_at FROM roster_stafftrace_id WHERE site = ? ORDER BY stafftrace_id", site);
    }

    static List<String> workstationUsers(String site) throws Exception {
        return rows("SELECT username, employee_id, updated_at FROM roster_workstation_user WHERE site = ? ORDER BY username", site);
    }

    static List<String> assignments(String site) throws Exception {
        return rows("SELECT mac, employee_id, label, randomised, valid_from, valid_to FROM roster_device_assignment "
                + "WHERE site = ? ORDER BY mac, valid_from", site);
    }

    static EventEnvelope event(String site, Instant at, RollcallEvent data) {
        return EventEnvelope.of(UUID.randomUUID(), "report/roster", at, site, null, data);
    }
}
