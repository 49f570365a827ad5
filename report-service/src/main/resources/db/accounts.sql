-- report-service's own table: sign-in accounts. Idempotent; applied at every start.
-- Not events: password hashes must not be kept forever on a replayable topic, and accounts are not part of the
-- attendance history. Who revealed names is (the audit topic).
CREATE TABLE IF NOT EXISTS report_account (
    username      text PRIMARY KEY,
    role          text NOT NULL CHECK (role IN ('viewer', 'hr', 'admin')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL
);

-- Sessions signed out before they expired: refused until their expiry, then forgotten.
CREATE TABLE IF NOT EXISTS report_session_revoked (
    jti        text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
