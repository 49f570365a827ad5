-- workstation-ingest's own tables (issue 5): enrolled agents and one-time enrollment codes. Idempotent; applied
-- at start under an advisory lock. Only hashes of secrets and codes are stored.

CREATE TABLE IF NOT EXISTS ingest_enrollment_code (
    code_sha256  bytea PRIMARY KEY,
    site         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    expires_at   timestamptz NOT NULL,
    redeemed_at  timestamptz,
    agent_id     text
);

CREATE TABLE IF NOT EXISTS ingest_agent (
    agent_id       text PRIMARY KEY,
    site           text        NOT NULL,
    secret_sha256  bytea       NOT NULL,
    host           text,
    enrolled_at    timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text
);

CREATE INDEX IF NOT EXISTS ingest_agent_site ON ingest_agent (site, agent_id);

-- Credential renewal: the secret last issued, kept beside the current one until the agent first uses it (an agent
-- may die between the server's answer and storing it), and when each was issued (its validity counts from then;
-- null renewed_at: from enrolled_at). Agents enrolled before renewal existed could not renew: when the columns are
-- added, their validity starts afresh (they renew at their next start, learning the expiry).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                   AND table_name = 'ingest_agent' AND column_name = 'renewed_at') THEN
        ALTER TABLE ingest_agent ADD COLUMN renewed_at timestamptz;
        UPDATE ingest_agent SET renewed_at = now();
    END IF;
END $$;
ALTER TABLE ingest_agent ADD COLUMN IF NOT EXISTS next_secret_sha256 bytea;
ALTER TABLE ingest_agent ADD COLUMN IF NOT EXISTS next_issued_at     timestamptz;
