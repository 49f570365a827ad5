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
