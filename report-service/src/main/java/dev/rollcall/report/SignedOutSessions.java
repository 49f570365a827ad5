package dev.rollcall.report;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Signing out ends a session on the server too, not only in the browser: its token id is kept in
 * {@code report_session_revoked} until the token would have expired anyway, and every request with it is refused
 * (a copied cookie is no longer worth anything after sign-out). One primary-key probe per authenticated request.
 */
@ApplicationScoped
public class SignedOutSessions implements SecurityIdentityAugmentor {

    private final Pool pool;

    public SignedOutSessions(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> signOut(JsonWebToken session, Instant now) {
        Instant expires = Instant.ofEpochSecond(session.getExpirationTime());
        return pool.preparedQuery("INSERT INTO report_session_revoked (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(session.getTokenID(), expires.atOffset(ZoneOffset.UTC)))
                .chain(() -> pool.preparedQuery("DELETE FROM report_session_revoked WHERE expires_at < $1")
                        .execute(Tuple.of(now.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getTokenID() == null) {
            return Uni.createFrom().item(identity);
        }
        return pool.preparedQuery("SELECT 1 FROM report_session_revoked WHERE jti = $1").execute(Tuple.of(jwt.getTokenID()))
                .map(rows -> {
                    if (rows.size() > 0) {
                        throw new AuthenticationFailedException("signed out");
                    }
                    return identity;
                });
    }
}
