package dev.rollcall.report;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;

import java.time.Duration;
import java.time.Instant;

/**
 * Sessions for tests, signed with the test profile's session key exactly as {@link Sessions} signs them, so that
 * page tests need no sign-in round trip. {@link #signInAs} makes every following RestAssured request carry one.
 */
final class TestSessions {

    static final String KEY = "test-only-session-key-never-used-in-production";
    static final String ISSUER = "rollcall-report";

    private TestSessions() {
    }

    static String token(String username, Role role) {
        return token(username, role, ISSUER, Instant.now(), Duration.ofHours(1), KEY);
    }

    static String token(String username, Role role, String issuer, Instant issued, Duration length, String key) {
        return Jwt.issuer(issuer).upn(username).groups(role.groups()).claim("role", role.wire())
                .claim("jti", java.util.UUID.randomUUID().toString())
                .issuedAt(issued).expiresAt(issued.plus(length)).sign(Sessions.secretKey(key));
    }

    static RequestSpecification as(Role role) {
        return new RequestSpecBuilder().addCookie(Sessions.COOKIE, token("test-" + role.wire(), role)).build();
    }

    /** Every RestAssured request from now on carries a session of {@code role} and asks for real names (audited). */
    static void signInRevealingAs(Role role) {
        RestAssured.requestSpecification = new RequestSpecBuilder().addCookie(Sessions.COOKIE, token("test-" + role.wire(), role))
                .addQueryParam("names", "real").build();
    }

    /** Every RestAssured request from now on carries a session of {@code role}; null: none. */
    static void signInAs(Role role) {
        RestAssured.requestSpecification = role == null ? null : as(role);
    }
}
