-- Rollcall read models, owned by projection-service. Idempotent: applied at every start, under a lock.
-- Readers (report-service) get the same tables from this file in their tests.

-- Where each projection stands in each partition: written in the same transaction as the rows it produced,
-- and advanced only from the offset the writer expects (a zombie that lost its partition rolls back).
CREATE TABLE IF NOT EXISTS projection_checkpoint (
    projection  text        NOT NULL,
    version     integer     NOT NULL,
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, version, topic, partition)
);

-- Every workstation report, once (by event id), with the site-local day it belongs to.
CREATE TABLE IF NOT EXISTS workstation_event (
    event_id    uuid        PRIMARY KEY,
    site        text        NOT NULL,
    username    text        NOT NULL,
    host        text,
    state       text        NOT NULL CHECK (state IN ('working', 'stopped')),
    occurred_at timestamptz NOT NULL,
    local_date  date        NOT NULL,
    source      text        NOT NULL
);
CREATE INDEX IF NOT EXISTS workstation_event_by_day ON workstation_event (site, local_date, username, occurred_at);

-- Per site, local day and user: how many reports, the first and last, and the latest state (by event time,
-- so that late deliveries do not overwrite a newer state).
CREATE TABLE IF NOT EXISTS workstation_user_day (
    site          text        NOT NULL,
    local_date    date        NOT NULL,
    username      text        NOT NULL,
    reports       integer     NOT NULL,
    first_at      timestamptz NOT NULL,
    last_at       timestamptz NOT NULL,
    last_state    text        NOT NULL,
    PRIMARY KEY (site, local_date, username)
);
