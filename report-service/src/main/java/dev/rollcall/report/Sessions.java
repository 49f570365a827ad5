package dev.rollcall.report;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.build.Jwt;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Sessions are JWTs signed with HS256 under this install's session key: in the {@value #COOKIE} cookie (HttpOnly,
 * Secure, SameSite=Strict) for browsers, or as {@code Authorization: Bearer} for API clients. smallrye-jwt verifies
 * them (signature, issuer, expiry) with the {@link JWTAuthContextInfo} produced here, which replaces the one it
 * would read from {@code mp.jwt.*}: the key is made at the first start, not shipped in the configuration.
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "rollcall_session";

    private final SecretKey key;
    private final ReportConfig.Auth config;

    @Inject
    public Sessions(ReportConfig config) {
        this(KeptSecret.of(config.auth().sessionKey(), "report.auth.session-key", config.auth().sessionKeyFile()), config.auth());
    }

    Sessions(String secret, ReportConfig.Auth config) {
        this.key = secretKey(secret);
        this.config = config;
    }

    /** The HS256 key behind a configured secret: its SHA-256, so that any secret of 32+ characters gives 256 bits. */
    static SecretKey secretKey(String secret) {
        try {
            byte[] k = MessageDigest.getInstance("SHA-256").digest(secret.strip().getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(k, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo authContext() {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setSecretVerificationKey(key);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        info.setIssuedBy(config.issuer());
        info.setTokenHeader("Cookie");
        info.setTokenCookie(COOKIE);
        info.setAlwaysCheckAuthorization(true);  // no cookie: an API client's bearer token
        info.setRequireNamedPrincipal(true);
        info.setClockSkew(30);
        return info;
    }

    /** A signed session for {@code username} with {@code role}, valid from {@code now} for the configured length. */
    public String issue(String username, Role role, Instant now) {
        return Jwt.issuer(config.issuer())
                .upn(username)
                .groups(role.groups())
                .claim("role", role.wire())
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.sessionLength()))
                .sign(key);
    }

    public NewCookie cookie(String token) {
        return new NewCookie.Builder(COOKIE).value(token).path("/").httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) config.sessionLength().toSeconds()).build();
    }

    public NewCookie cleared() {
        return new NewCookie.Builder(COOKIE).value("").path("/").httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    /**
     * The CSRF token of a session: an HMAC of its id under the session key. Every form of a signed-in page carries
     * it; a post without it, or with another session's, is refused. Nothing to store: it dies with the session.
     */
    public String csrfToken(JsonWebToken session) {
        return hmac("csrf:" + session.getTokenID());
    }

    /** The CSRF token of the sign-in form, tied to a random value in its own short-lived cookie. */
    public String signInCsrf(String nonce) {
        return hmac("signin:" + nonce);
    }

    public boolean sameToken(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    public boolean secureCookie() {
        return config.secureCookie();
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
