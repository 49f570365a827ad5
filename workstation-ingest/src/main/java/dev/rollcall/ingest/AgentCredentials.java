package dev.rollcall.ingest;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Who an agent is, from its bearer credential {@code <agentId>.<secret>}. Two kinds, checked alike (the SHA-256
 * of the secret, compared in constant time): agents enrolled with a one-time code ({@link EnrolledAgents}, in
 * PostgreSQL, revocable by an admin within seconds), and agents configured as
 * {@code ingest.agents.<agentId>.site} / {@code .token-sha256} (revoked by removing them and restarting).
 * A configured id wins: it is never looked up in the database.
 */
@ApplicationScoped
public class AgentCredentials {

    /** An authenticated agent: the only site it may write to. */
    public record Agent(String id, String site) {
    }

    private final Map<String, IngestConfig.AgentCredential> configured;
    private final EnrolledAgents enrolled;
    private final Optional<Duration> validity;
    private final Clock clock;

    public AgentCredentials(IngestConfig config, EnrolledAgents enrolled, Clock clock) {
        this.configured = config.agents();
        this.enrolled = enrolled;
        this.validity = config.enrollment().credentialValidity();
        this.clock = clock;
    }

    /** The agent the header names, or a failed {@link Uni} with {@link UnauthenticatedException} (401). */
    public Uni<Agent> authenticate(String authorization) {
        String token;
        String id;
        try {
            token = token(authorization);
            id = token.substring(0, token.indexOf('.'));
        } catch (UnauthenticatedException e) {
            return Uni.createFrom().failure(e);
        }
        byte[] given = sha256(token.substring(id.length() + 1));
        IngestConfig.AgentCredential fixed = configured.get(id);
        if (fixed != null) {
            return Uni.createFrom().item(() -> check(id, fixed.site(), HexFormat.of().parseHex(fixed.tokenSha256()), false, given));
        }
        return enrolled.lookup(id)
                // a secret this replica does not know may have been issued by a renewal since it looked: look again
                .chain(a -> a.isPresent() && presented(a.get(), given) == null ? enrolled.reload(id) : Uni.createFrom().item(a))
                .chain(a -> {
                    Presented which = verify(id, a.orElse(null), given);
                    Agent agent = new Agent(id, a.get().site());
                    // the agent uses the secret its renewal issued: from now on the previous one is refused
                    return which == Presented.PENDING
                            ? enrolled.promote(id, given).replaceWith(agent)
                            : Uni.createFrom().item(agent);
                });
    }

    /** Which of an enrolled agent's secrets a request presented. */
    enum Presented { CURRENT, PENDING }

    /**
     * Checks a presented secret against an enrolled agent (null: unknown) as stored: which of its secrets it is,
     * or {@link UnauthenticatedException} when none, revoked, or expired (counted from when that secret was
     * issued). Both comparisons always run, so that timing tells nothing.
     */
    Presented verify(String id, EnrollmentStore.StoredAgent a, byte[] given) {
        Presented which = a == null ? null : presented(a, given);
        if (which == null || a.revoked()) {
            check(id, null, null, false, given);   // the same refusal, after the same work, as any wrong credential
        }
        Instant issued = which == Presented.CURRENT ? a.issuedAt() : a.nextIssuedAt();
        // only a credential that is otherwise right learns that it expired (nothing to learn for a forger)
        Optional<Instant> expiry = expiry(issued);
        if (expiry.isPresent() && !clock.instant().isBefore(expiry.get())) {
            throw new UnauthenticatedException("the credential expired at " + expiry.get()
                    + "; enroll the agent again with a new code (presence-agent enroll --force)");
        }
        return which;
    }

    /** When a secret issued at {@code issued} expires; empty when credentials do not expire. */
    Optional<Instant> expiry(Instant issued) {
        return validity.map(issued::plus);
    }

    private static Presented presented(EnrollmentStore.StoredAgent a, byte[] given) {
        boolean current = MessageDigest.isEqual(given, a.secretSha256());
        boolean pending = MessageDigest.isEqual(given, Optional.ofNullable(a.nextSecretSha256()).orElse(new byte[32]))
                && a.nextSecretSha256() != null;
        return current ? Presented.CURRENT : pending ? Presented.PENDING : null;
    }

    /** The agent id and the SHA-256 of the secret of a bearer header, or {@link UnauthenticatedException}. */
    static Map.Entry<String, byte[]> parse(String authorization) {
        String token = token(authorization);
        String id = token.substring(0, token.indexOf('.'));
        return Map.entry(id, sha256(token.substring(id.length() + 1)));
    }

    private static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("send the agent's credential as Authorization: Bearer <agentId>.<secret>");
        }
        String token = authorization.substring(7).strip();
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            throw new UnauthenticatedException("the credential is not of the form <agentId>.<secret>");
        }
        return token;
    }

    private static Agent check(String id, String site, byte[] expected, boolean revoked, byte[] given) {
        // compare even for an unknown agent, so that timing does not tell which agent ids exist
        boolean match = MessageDigest.isEqual(given, Optional.ofNullable(expected).orElse(new byte[32]));
        if (!match || site == null || revoked) {
            throw new UnauthenticatedException("the credential is not valid (unknown agent, wrong secret or revoked)");
        }
        return new Agent(id, site);
    }

    /** Whether an agent id is one of the configured ones (enrollment never hands out such an id). */
    public boolean isConfigured(String agentId) {
        return configured.containsKey(agentId);
    }

    Map<String, IngestConfig.AgentCredential> configured() {
        return configured;
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
