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
-- The projection re-reads one user's reports around late arrivals.
CREATE INDEX IF NOT EXISTS workstation_event_by_user ON workstation_event (site, username, occurred_at);

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

-- Working intervals, the level-1 facts of the workstation projection: per site and user, a run of `working`
-- reports that ends at a `stopped` report (ended_by 'stopped') or, when no report came for the auto-timeout,
-- at the last `working` report plus the timeout (ended_by 'timeout'). local_date is the site-local date of
-- start_at: an interval that crosses midnight belongs to the day it started. real_work_blocks is
-- floor((end_at - start_at) / block_seconds), block_seconds being the rule in force when it was folded.
-- An interval ended by timeout whose end_at is still in the future is running: its end is provisional.
CREATE TABLE IF NOT EXISTS working_interval (
    site             text        NOT NULL,
    username         text        NOT NULL,
    start_at         timestamptz NOT NULL,
    end_at           timestamptz NOT NULL CHECK (end_at > start_at),
    ended_by         text        NOT NULL CHECK (ended_by IN ('stopped', 'timeout')),
    last_report_at   timestamptz NOT NULL,
    reports          integer     NOT NULL,
    local_date       date        NOT NULL,
    real_work_blocks integer     NOT NULL,
    block_seconds    integer     NOT NULL CHECK (block_seconds > 0),
    PRIMARY KEY (site, username, start_at)
);
CREATE INDEX IF NOT EXISTS working_interval_by_day ON working_interval (site, local_date, username);

-- Level 2: the day's working time and real work hours, summed over the intervals that started on it.
-- first_work_at / last_work_at: the start of its first interval and the end of its last (null: none).
ALTER TABLE workstation_user_day ADD COLUMN IF NOT EXISTS working_seconds  bigint  NOT NULL DEFAULT 0;
ALTER TABLE workstation_user_day ADD COLUMN IF NOT EXISTS real_work_blocks integer NOT NULL DEFAULT 0;
ALTER TABLE workstation_user_day ADD COLUMN IF NOT EXISTS first_work_at    timestamptz;
ALTER TABLE workstation_user_day ADD COLUMN IF NOT EXISTS last_work_at     timestamptz;
