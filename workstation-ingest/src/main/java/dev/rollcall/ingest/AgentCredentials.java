package dev.rollcall.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Who an agent is, from its bearer credential {@code <agentId>.<secret>}. Only a SHA-256 of each secret is
 * configured ({@code ingest.agents.<agentId>.token-sha256}), with the one site the agent may write to. Until
 * enrollment exists (issue 5) the credentials are configuration, and revoking one means removing it and
 * restarting the ingest.
 */
@ApplicationScoped
public class AgentCredentials {

    /** An authenticated agent: the only site it may write to. */
    public record Agent(String id, String site) {
    }

    private final Map<String, IngestConfig.AgentCredential> agents;

    public AgentCredentials(IngestConfig config) {
        this.agents = config.agents();
    }

    /** The agent the header names, or {@link UnauthenticatedException} when there is none or it does not match. */
    public Agent authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("send the agent's credential as Authorization: Bearer <agentId>.<secret>");
        }
        String token = authorization.substring(7).strip();
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            throw new UnauthenticatedException("the credential is not of the form <agentId>.<secret>");
        }
        String id = token.substring(0, dot);
        Optional<IngestConfig.AgentCredential> known = Optional.ofNullable(agents.get(id));
        byte[] given = sha256(token.substring(dot + 1));
        // compare even for an unknown agent, so that timing does not tell which agent ids exist
        byte[] expected = known.map(a -> HexFormat.of().parseHex(a.tokenSha256())).orElse(new byte[32]);
        if (!MessageDigest.isEqual(given, expected) || known.isEmpty()) {
            throw new UnauthenticatedException("the credential is not valid (unknown agent, wrong secret or revoked)");
        }
        return new Agent(id, known.get().site());
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
