package dev.rollcall.report;

import dev.rollcall.report.PresenceRows.Session;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.rollcall.report.PresenceResourceTest.FOLDED;
import static dev.rollcall.report.PresenceResourceTest.TUESDAY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** With {@code report.show-real-names=true} the pages name employees, escaped in HTML and CSV alike. */
@QuarkusTest
@TestProfile(PresenceRealNamesTest.RealNames.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "schema", value = "../projection-service/src/main/resources/db/read-model.sql,src/test/resources/db/live-generation.sql"))
class PresenceRealNamesTest {

    public static class RealNames implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("report.show-real-names", "true");
        }
    }

    @Test
    void namesAreShownEscapedAndNextToTheirPseudonym() throws Exception {
        String site = PresenceResourceTest.seedTuesday();
        PresenceRows.employee(site, "E8", "=HYPERLINK(\"http://x\",\"<b>Mallory</b>\")");
        PresenceRows.attended(site, "E8", TUESDAY, FOLDED, Session.of("2026-03-10T08:00:00Z", "2026-03-10T08:30:00Z"));

        String html = given().queryParam("site", site).when().get("/presence")
                .then().statusCode(200).extract().asString();
        assertThat(html).contains("class=\"employee\">Ada Lovelace</th>")
                .contains("class=\"employee\">Dan Brown</th>")
                .contains("=HYPERLINK(&quot;http://x&quot;,&quot;&lt;b&gt;Mallory&lt;/b&gt;&quot;)")
                .doesNotContain("<b>Mallory</b>")
                .doesNotContain("Eve Gone");
        // sorted by name: Ada, Bob, Cleo, Dan, Mallory's formula, Night Owl
        assertThat(html.indexOf(">Ada Lovelace<")).isLessThan(html.indexOf(">Night Owl<"));

        given().queryParam("site", site).when().get("/api/presence/now")
                .then().statusCode(200)
                .body("present[0].employee.label", equalTo("Ada Lovelace"))
                .body("present[0].employee.name", equalTo("Ada Lovelace"))
                .body("present[0].employee.id", equalTo("E1"))
                .body("present[0].employee.pseudonym", not(equalTo("")));

        String csv = given().queryParam("site", site).queryParam("date", "2026-03-10").when().get("/presence/day.csv")
                .then().statusCode(200).extract().asString();
        assertThat(csv).contains("\r\nAda Lovelace,2026-03-10,2026-03-10T07:00:00+01:00,,320,2,true,false\r\n")
                .contains("\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"<b>Mallory</b>\"\")\",2026-03-10,");
        given().queryParam("site", site).queryParam("month", "2026-03").when().get("/presence/month")
                .then().statusCode(200).body(containsString("title=\"Cleo Patra\">Cleo Patra</th>"));
    }
}
