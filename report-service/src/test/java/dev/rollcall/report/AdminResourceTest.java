package dev.rollcall.report;

import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.EmployeeUpdated;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.SiteConfigured;
import dev.rollcall.events.Topic;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** Roster and account administration: valid forms become roster events (acks=all); invalid ones write nothing. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class AdminResourceTest {

    String session;
    String csrf;

    @jakarta.inject.Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void signInAsAdmin() {
        TestSessions.signInAs(null);
        session = TestSessions.token("test-admin", Role.ADMIN);
        csrf = SignInAndSecurityTest.csrfOf(given().cookie(Sessions.COOKIE, session).when().get("/admin")
                .then().statusCode(200).extract().asString());
    }

    RequestSpecification admin() {
        return given().redirects().follow(false).cookie(Sessions.COOKIE, session).contentType(ContentType.URLENC);
    }

    Response post(String path, Map<String, String> fields, boolean withCsrf) {
        RequestSpecification r = admin().formParams(fields);
        if (withCsrf) {
            r.formParam("csrf", csrf);
        }
        return r.when().post(path);
    }

    @Test
    void validFormsBecomeRosterEvents() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        Response r = post("/admin/sites", Map.of("site", site, "name", "Berlin office", "zone", "Europe/Berlin", "grace", "7"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/sites", Map.of("site", site, "name", "Berlin office", "zone", "Europe/Berlin", "grace", "7",
                "autoTimeout", "15", "realWorkBlock", " 60 "), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/sites", Map.of("site", site, "name", "Berlin office", "zone", "Europe/Berlin", "grace", "7",
                "autoTimeout", "", "realWorkBlock", "30"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-42", "name", "Grace Hopper"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-42", "name", "Grace Hopper",
                "workstationUsers", " ACME\\ghopper, ,grace "), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-42", "name", "Grace Hopper", "workstationUsers", " , "), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-42", "name", "Grace Hopper", "workstationUsers", " - "), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-42", "name", "Grace Hopper", "staffTraceIds", " 17, ,st-4 "), true);
        assertThat(r.statusCode()).isEqualTo(303);
        // the roster projection folds the site and the employee; only then may a device go to them
        PresenceRows.site(site, "Berlin office", "Europe/Berlin", 7);
        PresenceRows.employee(site, "E-42", "Grace Hopper", true);
        r = post("/admin/devices", Map.of("site", site, "mac", "3E:22:FB:12:34:56", "employeeId", "E-42", "label", "phone"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(java.net.URLDecoder.decode(r.header("Location"), java.nio.charset.StandardCharsets.UTF_8)).contains("randomised");

        List<EventEnvelope> events = roster(site);
        assertThat(events).extracting(EventEnvelope::data).containsExactly(
                new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), 7),
                new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), 7, 15, 60),
                new SiteConfigured("Berlin office", ZoneId.of("Europe/Berlin"), 7, null, 30),
                new EmployeeUpdated("E-42", "Grace Hopper", true),
                new EmployeeUpdated("E-42", "Grace Hopper", true, List.of("ACME\\ghopper", "grace")),
                new EmployeeUpdated("E-42", "Grace Hopper", true),
                new EmployeeUpdated("E-42", "Grace Hopper", true, List.of()),
                new EmployeeUpdated("E-42", "Grace Hopper", true, null, List.of("17", "st-4")),
                new DeviceAssigned("3e:22:fb:12:34:56", "E-42", "phone"));
        assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo("report-service/admin/test-admin"));
    }

    @Test
    void invalidFieldsAreShownNextToTheFieldAndNothingIsWritten() {
        String site = ReadModelRows.uniqueSite("adm");
        Response r = post("/admin/employees", Map.of("site", site, "employeeId", "bad id!", "name", "<script>alert(1)</script>"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("Nothing was saved").contains("id=\"employee-employeeId-error\"")
                .contains("employeeId must be 1 to 64").contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
        r = post("/admin/sites", Map.of("site", site, "name", "X", "zone", "Mars/Olympus", "grace", "-3"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"site-zone-error\"").contains("id=\"site-grace-error\"");
        r = post("/admin/sites", Map.of("site", site, "name", "X", "zone", "UTC", "autoTimeout", "0", "realWorkBlock", "an hour"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"site-autoTimeout-error\"").contains("id=\"site-realWorkBlock-error\"")
                .contains("a whole number of minutes from 1 to 1440").contains("value=\"an hour\"");
        r = post("/admin/sites", Map.of("site", site, "name", "X", "zone", "UTC", "realWorkBlock", "1441"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"site-realWorkBlock-error\"").doesNotContain("id=\"site-autoTimeout-error\"");
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-2", "name", "Bob",
                "workstationUsers", "ACME\\bob, ACME\\bob"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"employee-workstationUsers-error\"").contains("names &#39;ACME\\bob&#39; twice")
                .contains("value=\"ACME\\bob, ACME\\bob\"").doesNotContain("id=\"employee-name-error\"");
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-2", "name", "Bob",
                "workstationUsers", "a,b,c,d,e,f,g,h,i"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"employee-workstationUsers-error\"").contains("at most 8");
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-2", "name", "Bob",
                "staffTraceIds", "17, <b>x</b>"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"employee-staffTraceIds-error\"").contains("staffTraceIds must be 1 to 64 letters")
                .contains("value=\"17, &lt;b&gt;x&lt;/b&gt;\"").doesNotContain("<b>x</b>").doesNotContain("id=\"employee-name-error\"");
        r = post("/admin/devices", Map.of("site", site, "mac", "not-a-mac' OR 1=1 --", "employeeId", "E1"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("id=\"device-mac-error\"");
        // without the CSRF token: refused, nothing written
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E-1", "name", "Ada"), false);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(roster(site)).isEmpty();
    }

    @Test
    void theSiteFormShowsTheConfiguredWorkstationRulesAsHintsAndTheSitesOwnInTheTable() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Rules office", "UTC", 5);
        try (java.sql.Connection c = dev.rollcall.testsupport.Postgres.endpoint().connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE roster_site SET real_work_block_minutes = 60 WHERE site = ?")) {
            ps.setString(1, site);
            ps.executeUpdate();
        }
        String page = admin().when().get("/admin").then().statusCode(200).extract().asString();
        // the live workstation generation's configuration (db/live-generation.sql): 10 and 40 minutes
        assertThat(page).contains("1 to 1440; empty: the configured default, now 10 min")
                .contains("1 to 1440; empty: the configured default, now 40 min")
                .contains("<td>" + site + "</td><td>Rules office</td><td>UTC</td><td>5 min</td><td>configured</td><td>60 min block</td>");
    }

    @Test
    void accountsNeedAStrongPasswordAndThenSignIn() {
        String name = "new-hr-" + ReadModelRows.uniqueSite("a").substring(2);
        Response r = post("/admin/accounts", Map.of("username", name, "role", "hr", "password", "short"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("at least 12 characters");
        r = post("/admin/accounts", Map.of("username", name, "role", "hr", "password", "a long enough password"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        given().contentType(ContentType.JSON).body("{\"username\": \"" + name + "\", \"password\": \"a long enough password\"}")
                .when().post("/api/token").then().statusCode(200);
        r = post("/admin/accounts", Map.of("username", name, "role", "hr", "password", "a long enough password"), true);
        assertThat(r.asString()).contains("this account exists already");
    }

    @Test
    void theAdminPageShowsPseudonymsUntilRevealedAndTheAuditTrailShowsTheReveal() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Audit office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        admin().when().get("/admin").then().statusCode(200).body(not(containsString("Ada Lovelace")));
        admin().queryParam("names", "real").queryParam("site", site).when().get("/admin").then().statusCode(200).body(containsString("Ada Lovelace"));
        admin().when().get("/admin/audit").then().statusCode(200)
                .body(containsString("test-admin")).body(containsString(site)).body(containsString("/admin"));
    }

    @Test
    void theEmployeesTableShowsWorkstationUserNamesOnlyWhenRevealed() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Users office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.workstationUser(site, "ACME\\ada.secret", "E1");
        String page = admin().when().get("/admin").then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain("ada.secret").contains("Workstation user names")
                .contains("ACME\\jdoe, jdoe (at most 8)");  // the field's hint
        assertThat(page).contains("<td class=\"users\">User ");
        admin().queryParam("names", "real").queryParam("site", site).when().get("/admin").then().statusCode(200)
                .body(containsString("<td class=\"users\">ACME\\ada.secret</td>"));
    }

    @Test
    void theEmployeesTableAndTheEmployeePageListTheirStaffTraceIds() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "StaffTrace office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.staffTraceId(site, "17", "E1");
        PresenceRows.staffTraceId(site, "ada-phone", "E1");
        String page = admin().when().get("/admin").then().statusCode(200).extract().asString();
        assertThat(page).contains("StaffTrace ids").contains("<td class=\"users\">17, ada-phone</td>");
        // on the employee page like the employee's own id: only once names are revealed
        String employee = admin().queryParam("site", site).when()
                .get("/employees/" + pseudonyms.of(site, "E1")).then().statusCode(200).extract().asString();
        assertThat(employee).contains("StaffTrace ids: 2 <span class=\"note\">(shown when names are revealed)</span>")
                .doesNotContain("ada-phone");
        String revealed = admin().queryParam("site", site).queryParam("names", "real").when()
                .get("/employees/" + pseudonyms.of(site, "E1")).then().statusCode(200).extract().asString();
        assertThat(revealed).contains("id=\"stafftrace-ids\"").contains("<span class=\"mac\">17</span>, <span class=\"mac\">ada-phone</span>");
    }

    @Test
    void removingAnEmployeeForgetsTheNameOnThePagesAndReleasesTheirDevices() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Removal office", "UTC", 5);
        PresenceRows.employee(site, "E7", "Leaving Person");  // with one phone
        Response r = post("/admin/employees/remove", Map.of("site", site, "employeeId", "E7"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(roster(site)).extracting(EventEnvelope::data).hasSize(2)
                .first().isEqualTo(new EmployeeUpdated("E7", AdminResource.REMOVED, false, List.of(), List.of()));
        assertThat(roster(site).get(1).data()).isInstanceOf(dev.rollcall.events.DeviceReleased.class);
        assertThat(post("/admin/employees/remove", Map.of("site", site, "employeeId", "E7"), false).statusCode()).isEqualTo(403);
    }

    @Test
    void aDeviceForAnUnknownEmployeeOrSiteAndRemovingAnUnknownEmployeeAreRefusedAtTheField() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        // a site nobody configured: refused at the site field, and its unknown employee at theirs
        Response r = post("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E1"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("Nothing was saved").contains("id=\"device-site-error\"")
                .contains("no such site: configure it under Sites first").contains("id=\"device-employeeId-error\"")
                .contains("value=\"00:1a:2b:3c:4d:5e\"");
        PresenceRows.site(site, "Existing office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E9", AdminResource.REMOVED, false);
        for (String unknown : List.of("E2", "E9", "e1")) {  // never added, removed, another id (ids are exact)
            r = post("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e", "employeeId", unknown), true);
            assertThat(r.statusCode()).as(unknown).isEqualTo(400);
            assertThat(r.asString()).as(unknown).contains("id=\"device-employeeId-error\"")
                    .contains("no such employee at " + site).doesNotContain("id=\"device-site-error\"");
        }
        // the employee of another site is not this site's
        String other = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(other, "Other office", "UTC", 5);
        r = post("/admin/devices", Map.of("site", other, "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E1"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("no such employee at " + other);
        r = post("/admin/employees/remove", Map.of("site", site, "employeeId", "E2"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("Nothing was saved").contains("no such employee at " + site);
        r = post("/admin/employees/deactivate", Map.of("site", site, "employeeId", "E2"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(roster(site)).as("nothing written").isEmpty();
        assertThat(roster(other)).isEmpty();
        // the known one is accepted
        r = post("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5e", "employeeId", "E1"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(roster(site)).extracting(EventEnvelope::data).containsExactly(new DeviceAssigned("00:1a:2b:3c:4d:5e", "E1", null));
    }

    @Test
    void theEditFormsAreFilledWithTheStoredValuesAndSavingOneWritesOneRosterEvent() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Edit office", "Europe/Berlin", 7);
        PresenceRows.update("UPDATE roster_site SET auto_timeout_minutes = 15 WHERE site = ?", site);
        PresenceRows.employee(site, "E5", "Grace Hopper", false);
        PresenceRows.workstationUser(site, "ACME\\ghopper", "E5");
        PresenceRows.workstationUser(site, "grace", "E5");
        PresenceRows.staffTraceId(site, "17", "E5");
        PresenceRows.staffTraceId(site, "st-4", "E5");
        PresenceRows.device(site, "00:1a:2b:3c:4d:5f", "E5", "Grace's phone");

        String list = admin().when().get("/admin").then().statusCode(200).extract().asString();
        assertThat(list).contains("href=\"/admin/sites/" + site + "/edit#site-form\"")
                .contains("href=\"/admin/employees/E5/edit?site=" + site + "#employee-form\"")
                .contains("href=\"/admin/devices/00:1a:2b:3c:4d:5f/edit?site=" + site + "#device-form\"");

        String page = admin().when().get("/admin/sites/" + site + "/edit").then().statusCode(200).extract().asString();
        assertThat(page).contains("Edit site " + site).contains("name=\"edit\" value=\"1\"")
                .contains("<input id=\"site-site\" name=\"site\" value=\"" + site + "\" readonly>")
                .contains("name=\"name\" value=\"Edit office\"").contains("name=\"zone\" value=\"Europe/Berlin\"")
                .contains("name=\"grace\" value=\"7\"").contains("name=\"autoTimeout\" value=\"15\"")
                .contains("name=\"realWorkBlock\" value=\"\"").contains(">Cancel</a>").contains("cannot be renamed");

        // not revealed: name and workstation user names stay out of the form (empty keeps them); StaffTrace ids are shown as on the page
        page = admin().queryParam("site", site).when().get("/admin/employees/E5/edit").then().statusCode(200).extract().asString();
        assertThat(page).contains("Edit employee E5")
                .contains("<input id=\"employee-employeeId\" name=\"employeeId\" value=\"E5\" readonly>")
                .contains("<input id=\"employee-site\" name=\"site\" value=\"" + site + "\" readonly>")
                .contains("<input id=\"employee-name\" name=\"name\" value=\"\">")
                .contains("<input id=\"employee-workstationUsers\" name=\"workstationUsers\" value=\"\">")
                .contains("name=\"staffTraceIds\" value=\"17, st-4\"").contains("<option value=\"false\" selected>")
                .contains("empty keeps the current name").doesNotContain("Grace Hopper").doesNotContain("ghopper");
        page = admin().queryParam("site", site).queryParam("names", "real").when().get("/admin/employees/E5/edit")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("<input id=\"employee-name\" name=\"name\" value=\"Grace Hopper\">")
                .contains("name=\"workstationUsers\" value=\"ACME\\ghopper, grace\"").contains("name=\"staffTraceIds\" value=\"17, st-4\"");

        page = admin().queryParam("site", site).when().get("/admin/devices/00:1A:2B:3C:4D:5F/edit").then().statusCode(200).extract().asString();
        assertThat(page).contains("Edit device 00:1a:2b:3c:4d:5f")
                .contains("<input id=\"device-mac\" name=\"mac\" value=\"00:1a:2b:3c:4d:5f\" readonly>")
                .contains("name=\"employeeId\" value=\"E5\"").contains("<input id=\"device-label\" name=\"label\" value=\"\">")
                .doesNotContain("Grace&#39;s phone").doesNotContain("Grace Hopper");
        page = admin().queryParam("site", site).queryParam("names", "real").when().get("/admin/devices/00:1a:2b:3c:4d:5f/edit")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("name=\"label\" value=\"Grace&#39;s phone\"");
        assertThat(roster(site)).as("opening a form writes nothing").isEmpty();

        // a wrong field in an edit form: shown next to it, still the edit form, nothing written
        Response r = post("/admin/employees", Map.of("site", site, "employeeId", "E5", "name", "", "staffTraceIds", "17, <b>",
                "edit", "1"), true);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).contains("Edit employee E5").contains("id=\"employee-staffTraceIds-error\"")
                .contains("value=\"E5\" readonly>");
        assertThat(roster(site)).isEmpty();

        // saving: the forms as the browser sends them, each one event
        r = post("/admin/sites", Map.of("site", site, "name", "Edit office", "zone", "Europe/Berlin", "grace", "9",
                "autoTimeout", "15", "realWorkBlock", "", "edit", "1"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E5", "name", "", "active", "true",
                "workstationUsers", "", "staffTraceIds", "17, st-4", "edit", "1"), true);  // not revealed: the name is kept
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/employees", Map.of("site", site, "employeeId", "E5", "name", "Grace B. Hopper", "active", "false",
                "workstationUsers", "grace", "staffTraceIds", "17", "edit", "1"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5f", "employeeId", "E5", "label", "", "edit", "1"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        r = post("/admin/devices", Map.of("site", site, "mac", "00:1a:2b:3c:4d:5f", "employeeId", "E5", "label", " - ", "edit", "1"), true);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(roster(site)).extracting(EventEnvelope::data).containsExactly(
                new SiteConfigured("Edit office", ZoneId.of("Europe/Berlin"), 9, 15, null),
                new EmployeeUpdated("E5", "Grace Hopper", true, null, List.of("17", "st-4")),
                new EmployeeUpdated("E5", "Grace B. Hopper", false, List.of("grace"), List.of("17")),
                new DeviceAssigned("00:1a:2b:3c:4d:5f", "E5", "Grace's phone"),
                new DeviceAssigned("00:1a:2b:3c:4d:5f", "E5", null));
    }

    @Test
    void editingWhatTheRosterDoesNotHaveIs404AndWritesNothing() throws Exception {
        String site = ReadModelRows.uniqueSite("adm");
        PresenceRows.site(site, "Known office", "UTC", 5);
        PresenceRows.employee(site, "E1", "Ada Lovelace");
        PresenceRows.employee(site, "E9", AdminResource.REMOVED, false);
        String page = admin().when().get("/admin/sites/" + site + "x/edit").then().statusCode(404).extract().asString();
        assertThat(page).contains("id=\"site-site-error\"").contains("no such site: nothing to edit").doesNotContain("Edit site");
        for (String unknown : List.of("E2", "E9", "e1")) {  // never added, removed, another id
            page = admin().queryParam("site", site).when().get("/admin/employees/" + unknown + "/edit").then().statusCode(404)
                    .extract().asString();
            assertThat(page).as(unknown).contains("id=\"employee-employeeId-error\"").contains("no such employee at " + site)
                    .doesNotContain("Edit employee");
        }
        admin().when().get("/admin/employees/E1/edit").then().statusCode(404).body(containsString("the site&#39;s id is required"));
        admin().queryParam("site", site).when().get("/admin/devices/00:00:5e:00:53:99/edit").then().statusCode(404)
                .body(containsString("no device assigned with this address at " + site));
        assertThat(admin().when().get("/admin").asString()).as("a removed employee has no Edit")
                .contains("/admin/employees/E1/edit").doesNotContain("/admin/employees/E9/edit");
        assertThat(roster(site)).isEmpty();
    }

    @Test
    void hrAskingForNamesOnAdministrationIsRefusedBeforeAnythingIsAudited() {
        String site = ReadModelRows.uniqueSite("adm");
        given().redirects().follow(false).cookie(Sessions.COOKIE, TestSessions.token("test-hr", Role.HR))
                .queryParam("names", "real").queryParam("site", site).when().get("/admin").then().statusCode(403);
        assertThat(AuditTopic.events(Topic.AUDIT)).noneMatch(e -> e.site().equals(site));
    }

    private static List<EventEnvelope> roster(String site) {
        return AuditTopic.events(Topic.ROSTER).stream().filter(e -> e.site().equals(site)).toList();
    }
}
