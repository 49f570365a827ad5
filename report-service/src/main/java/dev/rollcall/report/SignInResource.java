package dev.rollcall.report;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in and sign-out. {@code GET /signin} shows the form (with a CSRF token tied to a cookie of its own),
 * {@code POST /signin} checks the password and sets the session cookie, {@code POST /signout} clears it,
 * {@code POST /api/token} gives an API client the same session as a bearer token. Failures are throttled per
 * account name and per client address, and do not say whether the account exists.
 */
@Path("/")
@PermitAll  // the only open endpoints: every other resource names its role, and one that does not is refused
public class SignInResource {

    static final String SIGNIN_COOKIE = "rollcall_signin";
    static final String WRONG = "Wrong account name or password.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(String next, String csrf, String username, String error);
    }

    private final Accounts accounts;
    private final Sessions sessions;
    private final Clock clock;
    private final SignInThrottle throttle;
    /** One address may try several accounts (an office behind one NAT), so it gets more tries than one account. */
    private final SignInThrottle addressThrottle;

    private final SignedOutSessions signedOut;

    public SignInResource(Accounts accounts, Sessions sessions, Clock clock, ReportConfig config, SignedOutSessions signedOut) {
        this.signedOut = signedOut;
        this.accounts = accounts;
        this.sessions = sessions;
        this.clock = clock;
        this.throttle = new SignInThrottle(config.auth().maxFailures(), config.auth().lockout());
        this.addressThrottle = new SignInThrottle(config.auth().maxFailures() * 4, config.auth().lockout());
    }

    @GET
    @Path("signin")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next) {
        String nonce = KeptSecret.random(18);
        return page(200, safeNext(next), nonce, "", null);
    }

    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> signIn(@FormParam("username") String username, @FormParam("password") String password,
                                @FormParam("csrf") String csrf, @FormParam("next") String next,
                                @CookieParam(SIGNIN_COOKIE) String nonce, HttpServerRequest request) {
        String to = safeNext(next);
        String name = username == null ? "" : username.strip().toLowerCase();
        if (nonce == null || !sessions.sameToken(sessions.signInCsrf(nonce), csrf)) {
            return Uni.createFrom().item(page(403, to, KeptSecret.random(18), name,
                    "The form had expired or did not come from this site. Please sign in again."));
        }
        return check(name, password, address(request)).map(result -> switch (result) {
            case Result.Signed s -> Response.seeOther(URI.create(to)).cookie(sessions.cookie(s.token()), clearSignIn())
                    .header("Cache-Control", "no-store").build();
            case Result.Throttled t -> withRetry(page(429, to, nonce, name, "Too many failed sign-ins. Try again in "
                    + minutes(t.delay()) + "."), t.delay());
            case Result.Wrong w -> page(401, to, nonce, name, WRONG);
        });
    }

    @POST
    @Path("signout")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@FormParam("csrf") String csrf, @Context SecurityContext security) {
        if (!(security.getUserPrincipal() instanceof JsonWebToken session) || !sessions.sameToken(sessions.csrfToken(session), csrf)) {
            return Uni.createFrom().item(ProblemMapper.problem(403, "Forbidden",
                    "the form did not come from this site (missing or wrong CSRF token)"));
        }
        return signedOut.signOut(session, clock.instant())
                .replaceWith(Response.seeOther(URI.create("/signin")).cookie(sessions.cleared()).build());
    }

    /** For API clients (e.g. scripts reading {@code /api/reports/real_work_hours}): a bearer token for the account. */
    @POST
    @Path("api/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(Map<String, Object> body, HttpServerRequest request) {
        Object u = body == null ? null : body.get("username");
        Object p = body == null ? null : body.get("password");
        if (!(u instanceof String username) || !(p instanceof String password)) {
            return Uni.createFrom().item(ProblemMapper.problem(400, "Invalid request", "give username and password as JSON strings"));
        }
        return check(username.strip().toLowerCase(), password, address(request)).map(result -> switch (result) {
            case Result.Signed s -> Response.ok(Map.of("token", s.token(), "token_type", "Bearer",
                    "expires_at", s.expires().toString())).header("Cache-Control", "no-store").build();
            case Result.Throttled t -> withRetry(ProblemMapper.problem(429, "Too Many Requests",
                    "too many failed sign-ins; try again in " + minutes(t.delay())), t.delay());
            case Result.Wrong w -> ProblemMapper.problem(401, "Unauthorized", "wrong account name or password");
        });
    }

    sealed interface Result {
        record Signed(String token, Instant expires) implements Result {
        }

        record Throttled(Duration delay) implements Result {
        }

        record Wrong() implements Result {
        }
    }

    private Uni<Result> check(String username, String password, String address) {
        Instant now = clock.instant();
        String byName = "account:" + username;
        String byAddress = "address:" + address;
        Duration wait = max(throttle.waitFor(byName, now), addressThrottle.waitFor(byAddress, now));
        if (!wait.isZero() && !wait.isNegative()) {
            return Uni.createFrom().item(new Result.Throttled(wait));
        }
        if (Accounts.usernameProblem(username) != null || password == null || password.isEmpty() || password.length() > 200) {
            throttle.failed(byName, now);
            addressThrottle.failed(byAddress, now);
            return Uni.createFrom().item(new Result.Wrong());
        }
        return accounts.verify(username, password).map((Optional<Accounts.Account> account) -> {
            if (account.isEmpty()) {
                throttle.failed(byName, now);
                addressThrottle.failed(byAddress, now);
                return new Result.Wrong();
            }
            throttle.succeeded(byName);
            String token = sessions.issue(account.get().username(), account.get().role(), now);
            return new Result.Signed(token, now.plus(Duration.ofSeconds(sessions.cookie(token).getMaxAge())));
        });
    }

    private Response page(int status, String next, String nonce, String username, String error) {
        NewCookie cookie = new NewCookie.Builder(SIGNIN_COOKIE).value(nonce).path("/signin").httpOnly(true)
                .secure(sessions.secureCookie()).sameSite(NewCookie.SameSite.STRICT).maxAge(3600).build();
        return Response.status(status).entity(Templates.signin(next, sessions.signInCsrf(nonce), username, error))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).cookie(cookie).header("Cache-Control", "no-store").build();
    }

    private NewCookie clearSignIn() {
        return new NewCookie.Builder(SIGNIN_COOKIE).value("").path("/signin").httpOnly(true)
                .secure(sessions.secureCookie()).sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
    }

    /** Only a path on this site: never {@code //host} or {@code https://…}, so sign-in cannot redirect elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x21 || c == '\\')) {
            return "/";
        }
        return next;
    }

    private static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    private static Response withRetry(Response r, Duration wait) {
        return Response.fromResponse(r).header("Retry-After", Math.max(1, wait.toSeconds())).build();
    }

    private static String minutes(Duration d) {
        long m = Math.max(1, (d.toSeconds() + 59) / 60);
        return m + (m == 1 ? " minute" : " minutes");
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
