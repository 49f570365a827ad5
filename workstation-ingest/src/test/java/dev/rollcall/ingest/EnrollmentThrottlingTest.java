package dev.rollcall.ingest;

import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Guessing enrollment codes is throttled per source address and overall: a clear 429 with {@code Retry-After},
 * and nothing is created even for a valid code. Addresses come from {@code X-Forwarded-For}, as behind the
 * chart's ingress (proxy forwarding on in this profile).
 */
@QuarkusTest
@TestProfile(EnrollmentThrottlingTest.Tight.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class EnrollmentThrottlingTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ingest.enrollment.attempts-per-address", "3",
                    "ingest.enrollment.attempts-overall", "5",
                    "ingest.enrollment.attempts-window", "PT1M",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    static io.restassured.response.Response attempt(String from, String code) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON).body("{\"code\":\"" + code + "\"}")
                .when().post("/api/agent/enroll");
    }

    @Test
    void guessesArePerAddressAndOverallLimited() throws Exception {
        String wrong = "ABCDE-FGHJK-LMNPQ-RSTUV";
        for (int i = 0; i < 3; i++) {
            attempt("198.51.100.1", wrong).then().statusCode(401);
        }
        String perAddress = attempt("198.51.100.1", wrong).then().statusCode(429).contentType(containsString("problem+json"))
                .body("detail", containsString("too many enrollment attempts")).extract().header("Retry-After");
        // a token per 20 s comes back to this address (the clock runs on while the test does)
        assertThat(Integer.parseInt(perAddress)).isBetween(15, 20);

        // another address still gets its turns, until everyone's together are used up (5)
        attempt("198.51.100.2", wrong).then().statusCode(401);
        attempt("198.51.100.2", wrong).then().statusCode(401);
        String site = EnrollmentTest.site();
        String valid = EnrollmentTest.code(site);
        String overall = attempt("198.51.100.3", valid).then().statusCode(429).extract().header("Retry-After");
        assertThat(Integer.parseInt(overall)).isBetween(1, 12);   // 5 a minute overall: one every 12 s
        assertThat(EnrollmentTest.agentsOf(site)).as("a throttled valid code creates nothing").isZero();
    }
}
