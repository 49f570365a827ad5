package dev.rollcall.ingest;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Enrolled agents as the batch endpoint sees them: each looked up in PostgreSQL at most once per
 * {@code ingest.enrollment.credential-cache} (2 s by default) and replica, so an agent's batches cost no database
 * round trip, yet a revocation made on any replica is refused everywhere within that time. Unknown ids are
 * remembered as unknown for the same time (a stream of forged ids costs one query per id and period).
 */
@ApplicationScoped
public class EnrolledAgents {

    static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<EnrollmentStore.StoredAgent> agent, long loadedAt) {
    }

    private final EnrollmentStore store;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    @Inject
    public EnrolledAgents(EnrollmentStore store, IngestConfig config) {
        this(store, config.enrollment().credentialCache(), System::nanoTime);
    }

    EnrolledAgents(EnrollmentStore store, Duration ttl, LongSupplier nanoTime) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    public Uni<Optional<EnrollmentStore.StoredAgent>> lookup(String agentId) {
        long now = nanoTime.getAsLong();
        Entry e = cache.get(agentId);
        if (e != null && now - e.loadedAt() < ttlNanos) {
            return Uni.createFrom().item(e.agent());
        }
        return store.find(agentId)
                .onFailure().transform(CredentialStoreUnavailableException::new)
                .invoke(found -> remember(agentId, found, now));
    }

    /** Reads the agent from the database now, whatever this replica remembers, and remembers that. */
    public Uni<Optional<EnrollmentStore.StoredAgent>> reload(String agentId) {
        cache.remove(agentId);
        return lookup(agentId);
    }

    /** Makes the agent's pending secret its current one (see {@link EnrollmentStore#promote}) and remembers the result. */
    public Uni<Optional<EnrollmentStore.StoredAgent>> promote(String agentId, byte[] secretSha256) {
        long now = nanoTime.getAsLong();
        return store.promote(agentId, secretSha256)
                .onFailure().transform(CredentialStoreUnavailableException::new)
                .invoke(found -> remember(agentId, found, now));
    }

    /** Remembers an agent as it is now (after this replica changed it). */
    public void remember(String agentId, Optional<EnrollmentStore.StoredAgent> agent) {
        remember(agentId, agent, nanoTime.getAsLong());
    }

    private void remember(String agentId, Optional<EnrollmentStore.StoredAgent> agent, long now) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(agentId, new Entry(agent, now));
    }

    /** Forgets what this replica knows of an agent: its next request is checked against the database. */
    public void forget(String agentId) {
        cache.remove(agentId);
    }
}
