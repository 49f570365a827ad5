package dev.rollcall.ingest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/agent/credential} with the agent's valid credential: a new secret,
 * {@code 200 {"agentId", "credential": "<agentId>.<newSecret>", "expiresAt"}} (shown this once). The previous
 * secret stays valid beside it until the new one is first used or it expires itself, so an agent that dies before
 * storing the answer keeps working and renews again. A revoked, expired or wrong credential gets 401; a configured
 * agent 409 (its secret lives in the configuration).
 */
@Path("/api/agent/credential")
public class CredentialRenewalResource {

    private static final Logger LOG = Logger.getLogger(CredentialRenewalResource.class);

    private final Clock clock;
    private final EnrollmentStore store;
    private final AgentCredentials credentials;
    private final EnrolledAgents enrolled;

    public CredentialRenewalResource(Clock clock, EnrollmentStore store, AgentCredentials credentials,
                                     EnrolledAgents enrolled) {
        this.clock = clock;
        this.store = store;
        this.credentials = credentials;
        this.enrolled = enrolled;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> renew(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Map.Entry<String, byte[]> presented = AgentCredentials.parse(authorization);
        String id = presented.getKey();
        if (credentials.isConfigured(id)) {
            // the same check as a batch first, so that a wrong secret learns nothing more than 401
            return credentials.authenticate(authorization).map(a -> {
                throw new ProblemException(409, "agent " + id + " is configured on the server "
                        + "(ingest.agents.<agentId>.token-sha256): its secret is changed there, not renewed");
            });
        }
        Instant now = clock.instant();
        String secret = EnrollmentCodes.newSecret();
        return store.renew(id, AgentCredentials.sha256(secret), now,
                        a -> credentials.verify(id, a, presented.getValue()) == AgentCredentials.Presented.PENDING)
                .onFailure(e -> !(e instanceof UnauthenticatedException)).transform(CredentialStoreUnavailableException::new)
                .map(renewed -> {
                    if (renewed.isEmpty()) {
                        credentials.verify(id, null, presented.getValue());   // throws: unknown agent, as any wrong credential
                    }
                    enrolled.remember(id, renewed);
                    LOG.infof("agent %s of site %s renewed its credential", id, renewed.get().site());
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("agentId", id);
                    answer.put("credential", id + "." + secret);
                    answer.put("expiresAt", credentials.expiry(now).map(Instant::toString).orElse(null));
                    return Response.ok(answer).header("Cache-Control", "no-store").build();
                });
    }
}
