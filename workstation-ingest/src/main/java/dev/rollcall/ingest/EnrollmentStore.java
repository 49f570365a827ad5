package dev.rollcall.ingest;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The ingest's durable, shared state in PostgreSQL ({@code db/ingest.sql}): enrolled agents (the SHA-256 of
 * each secret, never the secret) and one-time enrollment codes (their SHA-256). Every replica uses the same
 * tables, so a code is redeemed once whichever replica an agent reaches, and a revocation is seen by all.
 * <p>
 * The schema is applied on first use (and tried at start), so that the ingest starts, and takes work-tracing
 * reports and configured agents' batches, while the database is away; enrollment then answers 503.
 */
@ApplicationScoped
public class EnrollmentStore {

    private static final Logger LOG = Logger.getLogger(EnrollmentStore.class);
    private static final String SCHEMA = schema();

    /**
     * An enrolled agent as stored: its current secret (issued at enrollment or its last renewal) and the one a
     * renewal issued last ({@code nextSecretSha256}, null when none is pending), valid beside it until first used.
     */
    public record StoredAgent(String agentId, String site, byte[] secretSha256, String host, Instant enrolledAt,
                              Instant revokedAt, String revokedBy, Instant renewedAt, byte[] nextSecretSha256,
                              Instant nextIssuedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }

        /** When the current secret was issued: its validity counts from then. */
        public Instant issuedAt() {
            return renewedAt != null ? renewedAt : enrolledAt;
        }
    }

    /** Why a code could not be redeemed. */
    public enum CodeRefusal { UNKNOWN, USED, EXPIRED }

    private final Pool pool;
    private volatile Uni<Void> schemaApplied;

    public EnrollmentStore(Pool pool) {
        this.pool = pool;
    }

    void applyAtStart(@Observes StartupEvent start) {
        ready().subscribe().with(ok -> LOG.debug("ingest tables ready"),
                e -> LOG.warnf("PostgreSQL is not reachable yet (%s): enrollment and enrolled agents wait for it; "
                        + "work-tracing reports and configured agents are served", e.getMessage()));
    }

    /** The tables exist; memoised once it succeeded, tried again on the next call if it failed. */
    Uni<Void> ready() {
        Uni<Void> done = schemaApplied;
        if (done != null) {
            return done;
        }
        return pool.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(hashtext('rollcall.ingest.schema'))").execute()
                        .chain(() -> tx.query(SCHEMA).execute()))
                .replaceWithVoid()
                .invoke(() -> schemaApplied = Uni.createFrom().voidItem());
    }

    public Uni<Void> createCode(byte[] codeSha256, String site, Instant now, Instant expiresAt, String createdBy) {
        return ready().chain(() -> pool.preparedQuery("INSERT INTO ingest_enrollment_code "
                        + "(code_sha256, site, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(buffer(codeSha256), site, utc(now), createdBy, utc(expiresAt)))).replaceWithVoid();
    }

    /**
     * Redeems a code and stores the new agent (its id chosen by {@code idForSite} once the code's site is known),
     * in one transaction that stays open until {@code announce} (the append of the enrollment event to Kafka)
     * completed: if Kafka fails, nothing is stored and the code stays usable. Two redemptions of one code
     * serialise on its row, whichever replicas they reach: the second finds it redeemed.
     */
    public Uni<Redemption> redeem(byte[] codeSha256, Instant now, Function<String, String> idForSite, byte[] secretSha256,
                                  String host, BiFunction<String, String, Uni<Void>> announce) {
        return ready().chain(() -> pool.withTransaction(tx -> tx.preparedQuery("UPDATE ingest_enrollment_code "
                        + "SET redeemed_at = $2 "
                        + "WHERE code_sha256 = $1 AND redeemed_at IS NULL AND expires_at > $2 RETURNING site")
                .execute(Tuple.of(buffer(codeSha256), utc(now)))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return refusal(tx, codeSha256);
                    }
                    String site = rows.iterator().next().getString("site");
                    String agentId = idForSite.apply(site);
                    return tx.preparedQuery("INSERT INTO ingest_agent (agent_id, site, secret_sha256, host, enrolled_at) "
                                    + "VALUES ($1, $2, $3, $4, $5)")
                            .execute(Tuple.of(agentId, site, buffer(secretSha256), host, utc(now)))
                            .chain(() -> tx.preparedQuery("UPDATE ingest_enrollment_code SET agent_id = $2 WHERE code_sha256 = $1")
                                    .execute(Tuple.of(buffer(codeSha256), agentId)))
                            .chain(() -> announce.apply(site, agentId))
                            .replaceWith(Redemption.enrolled(site, agentId));
                })));
    }

    private static Uni<Redemption> refusal(SqlConnection tx, byte[] codeSha256) {
        return tx.preparedQuery("SELECT redeemed_at, expires_at FROM ingest_enrollment_code WHERE code_sha256 = $1")
                .execute(Tuple.of(buffer(codeSha256)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Redemption.refused(CodeRefusal.UNKNOWN, null);
                    }
                    Row r = rows.iterator().next();
                    return r.getOffsetDateTime("redeemed_at") != null
                            ? Redemption.refused(CodeRefusal.USED, r.getOffsetDateTime("redeemed_at").toInstant())
                            : Redemption.refused(CodeRefusal.EXPIRED, r.getOffsetDateTime("expires_at").toInstant());
                });
    }

    /** The outcome of a redemption: the site and new agent id, or why not (and since when). */
    public record Redemption(String site, String agentId, CodeRefusal refusal, Instant at) {
        static Redemption enrolled(String site, String agentId) {
            return new Redemption(site, agentId, null, null);
        }

        static Redemption refused(CodeRefusal why, Instant at) {
            return new Redemption(null, null, why, at);
        }
    }

    public Uni<Optional<StoredAgent>> find(String agentId) {
        return ready().chain(() -> pool.preparedQuery("SELECT * FROM ingest_agent WHERE agent_id = $1")
                .execute(Tuple.of(agentId))
                .map(rows -> rows.rowCount() == 0 ? Optional.<StoredAgent>empty() : Optional.of(agent(rows.iterator().next()))));
    }

    /** Every enrolled agent, of one site or all, revoked ones included. */
    public Uni<List<StoredAgent>> list(Optional<String> site) {
        return ready().chain(() -> (site.isPresent()
                        ? pool.preparedQuery("SELECT * FROM ingest_agent WHERE site = $1 ORDER BY agent_id").execute(Tuple.of(site.get()))
                        : pool.query("SELECT * FROM ingest_agent ORDER BY site, agent_id").execute())
                .map(rows -> {
                    List<StoredAgent> out = new ArrayList<>();
                    rows.forEach(r -> out.add(agent(r)));
                    return out;
                }));
    }

    /**
     * Revokes an agent, in one transaction that stays open until {@code announce} (the append of the revocation
     * event) completed.
     *
     * @return the agent as it is now (revoked), or empty when there is no such enrolled agent
     */
    public Uni<Optional<StoredAgent>> revoke(String agentId, Instant now, String by, Function<StoredAgent, Uni<Void>> announce) {
        return ready().chain(() -> pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM ingest_agent WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<StoredAgent>empty());
                    }
                    StoredAgent a = agent(rows.iterator().next());
                    if (a.revoked()) {
                        return Uni.createFrom().item(Optional.of(a));
                    }
                    StoredAgent revoked = new StoredAgent(a.agentId(), a.site(), a.secretSha256(), a.host(), a.enrolledAt(), now, by,
                            a.renewedAt(), a.nextSecretSha256(), a.nextIssuedAt());
                    return tx.preparedQuery("UPDATE ingest_agent SET revoked_at = $2, revoked_by = $3 WHERE agent_id = $1")
                            .execute(Tuple.of(agentId, utc(now), by))
                            .chain(() -> announce.apply(revoked))
                            .replaceWith(Optional.of(revoked));
                })));
    }

    /**
     * The agent used the secret its last renewal issued: it becomes the current one and the previous secret is
     * refused from now on. Conditional on that secret still being the pending one (another replica may have done
     * it already).
     *
     * @return the agent as it is now
     */
    public Uni<Optional<StoredAgent>> promote(String agentId, byte[] nextSecretSha256) {
        return ready().chain(() -> pool.preparedQuery("UPDATE ingest_agent SET secret_sha256 = next_secret_sha256, "
                        + "renewed_at = next_issued_at, next_secret_sha256 = NULL, next_issued_at = NULL "
                        + "WHERE agent_id = $1 AND next_secret_sha256 = $2 RETURNING *")
                .execute(Tuple.of(agentId, buffer(nextSecretSha256)))
                .chain(rows -> rows.rowCount() == 0 ? find(agentId) : Uni.createFrom().item(Optional.of(agent(rows.iterator().next())))));
    }

    /**
     * Issues a new secret to an agent, in one transaction holding its row: {@code check} (which throws when the
     * presented secret may not renew) sees the agent as stored and says which of its secrets was presented. A
     * pending secret that was presented is promoted first; the new one becomes the pending one, replacing any
     * pending secret never used (its answer was lost), and the current one stays valid until the new is used.
     *
     * @return the agent as it is now, or empty when there is no such enrolled agent
     */
    public Uni<Optional<StoredAgent>> renew(String agentId, byte[] newSecretSha256, Instant now,
                                            Function<StoredAgent, Boolean> presentedIsPending) {
        return ready().chain(() -> pool.withTransaction(tx -> tx.preparedQuery("SELECT * FROM ingest_agent WHERE agent_id = $1 FOR UPDATE")
                .execute(Tuple.of(agentId))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(Optional.<StoredAgent>empty());
                    }
                    boolean pending = presentedIsPending.apply(agent(rows.iterator().next()));
                    String promote = pending
                            ? "secret_sha256 = next_secret_sha256, renewed_at = next_issued_at, " : "";
                    return tx.preparedQuery("UPDATE ingest_agent SET " + promote
                                    + "next_secret_sha256 = $2, next_issued_at = $3 WHERE agent_id = $1 RETURNING *")
                            .execute(Tuple.of(agentId, buffer(newSecretSha256), utc(now)))
                            .map(updated -> Optional.of(agent(updated.iterator().next())));
                })));
    }

    private static StoredAgent agent(Row r) {
        return new StoredAgent(r.getString("agent_id"), r.getString("site"), r.getBuffer("secret_sha256").getBytes(),
                r.getString("host"), r.getOffsetDateTime("enrolled_at").toInstant(),
                instant(r, "revoked_at"), r.getString("revoked_by"), instant(r, "renewed_at"),
                r.getBuffer("next_secret_sha256") == null ? null : r.getBuffer("next_secret_sha256").getBytes(),
                instant(r, "next_issued_at"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static io.vertx.core.buffer.Buffer buffer(byte[] bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes);
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static String schema() {
        try (InputStream in = EnrollmentStore.class.getResourceAsStream("/db/ingest.sql")) {
            if (in == null) {
                throw new IllegalStateException("db/ingest.sql is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
