package dev.rollcall.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The roster administration's bearer token ({@code ingest.admin.token}). Until sign-in with roles exists
 * (issue 7) this token is the admin role here; without one configured, administration is refused.
 */
@ApplicationScoped
public class AdminToken {

    private final byte[] token;

    public AdminToken(IngestConfig config) {
        this.token = config.admin().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** The admin's name for event sources, or an exception for 401/403. */
    public String require(String authorization) {
        if (token == null) {
            throw new ForbiddenException("roster administration is disabled: set ingest.admin.token (INGEST_ADMIN_TOKEN)");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("send the admin token as Authorization: Bearer <token>");
        }
        if (!MessageDigest.isEqual(authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8), token)) {
            throw new ForbiddenException("that token does not open roster administration");
        }
        return "admin";
    }
}
