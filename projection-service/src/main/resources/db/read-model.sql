-- Rollcall read models, owned by projection-service. Idempotent: applied at every start, under a lock.
--
-- Every projection is built in generations. A generation folds the topics from offset 0 into its own tables
-- (suffix _g<N>); readers never name those tables but the views of the same name without the suffix, which
-- point at the live generation. A rebuild creates generation N+1, folds it while N keeps serving, and when
-- it has caught up re-points the views in one transaction (blue/green): readers never see a half-built model.
-- Readers (report-service) get the same tables and views from this file in their tests.

-- Where each generation of each projection stands in each partition: written in the same transaction as the
-- rows it produced, and advanced only from the offset the writer expects (a zombie that lost its partition
-- rolls back). The column `version` holds the generation.
CREATE TABLE IF NOT EXISTS projection_checkpoint (
    projection  text        NOT NULL,
    version     integer     NOT NULL,
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, version, topic, partition)
);

-- The generations of each projection: at most one live, at most one building. `rules` says, for people, what
-- rules the generation was folded with; `code_version` which fold code built it.
CREATE TABLE IF NOT EXISTS projection_generation (
    projection   text        NOT NULL,
    generation   integer     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('building', 'live', 'retired')),
    code_version integer     NOT NULL,
    rules        text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    live_at      timestamptz,
    retired_at   timestamptz,
    PRIMARY KEY (projection, generation)
);
-- loading: the generation is still loading its history in bulk (a projection that can: its rows stored as they come,
-- without the indexes and the per-event fold); once it has caught up it folds them in one transaction and clears it.
ALTER TABLE projection_generation ADD COLUMN IF NOT EXISTS loading boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX IF NOT EXISTS projection_generation_one_live ON projection_generation (projection) WHERE status = 'live';
CREATE UNIQUE INDEX IF NOT EXISTS projection_generation_one_building ON projection_generation (projection) WHERE status = 'building';

-- Before generations, the workstation tables had the views' names. They are only a cache of the topic:
-- drop them and their checkpoints, and the first generation folds everything again.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relname = 'workstation_event' AND c.relkind = 'r' AND n.nspname = current_schema()) THEN
        DROP TABLE IF EXISTS workstation_event, working_interval, workstation_user_day;
        DELETE FROM projection_checkpoint WHERE projection = 'workstation-day';
    END IF;
END $$;

-- The tables of one generation of the workstation projection (workstation-day).
CREATE OR REPLACE FUNCTION rollcall_workstation_day_create(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    -- Every workstation report, once, packed per site, local day and user: `reports` holds a user-day's reports
    -- as records of 25 bytes (see rollcall_workstation_report), sorted by time, reports of the same instant in the
    -- order they arrived. A report delivered again (the same id at the same time for the same user) is stored once.
    -- Readers see a report per row through the view workstation_event (rollcall_workstation_reports unpacks them).
    -- Packed, a report costs 25 bytes copied instead of a row with its index entries, or three array elements
    -- each converted on the way in and out: storing and re-reading the history is what a rebuild mostly does
    -- (make bench: a row per report held a replay to a tenth of Kafka's own consumer rate, arrays to a fifth). Site
    -- and user name are identifiers, compared byte by byte (COLLATE "C").
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text  COLLATE "C" NOT NULL,
            local_date  date  NOT NULL,
            username    text  COLLATE "C" NOT NULL,
            reports     bytea NOT NULL CHECK (length(reports) > 0 AND length(reports) %% 25 = 0),
            PRIMARY KEY (site, local_date, username))
        $sql$, 'workstation_report_day_g' || g);
    PERFORM rollcall_workstation_day_uncompressed('workstation_report_day_g' || g);

    -- Working intervals, the level-1 facts: per site and user, a run of `working` reports that ends at a
    -- `stopped` report (ended_by 'stopped') or, when no report came for the auto-timeout, at the last
    -- `working` report plus the timeout (ended_by 'timeout'). local_date is the site-local date of start_at:
    -- an interval that crosses midnight belongs to the day it started. real_work_blocks is
    -- floor((end_at - start_at) / block_seconds), block_seconds being the rule it was folded with.
    -- An interval ended by timeout whose end_at is still in the future is running: its end is provisional.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site             text        NOT NULL,
            username         text        NOT NULL,
            start_at         timestamptz NOT NULL,
            end_at           timestamptz NOT NULL CHECK (end_at > start_at),
            ended_by         text        NOT NULL CHECK (ended_by IN ('stopped', 'timeout')),
            last_report_at   timestamptz NOT NULL,
            reports          integer     NOT NULL,
            local_date       date        NOT NULL,
            real_work_blocks integer     NOT NULL,
            block_seconds    integer     NOT NULL CHECK (block_seconds > 0))
        $sql$, 'working_interval_g' || g);
    IF NOT EXISTS (SELECT 1 FROM projection_generation WHERE projection = 'workstation-day' AND generation = g AND loading) THEN
        PERFORM rollcall_workstation_day_interval_index(g);
    END IF;

    -- Level 2, per site, local day and user: how many reports, the first and last, the latest state (by event
    -- time, so that late deliveries do not overwrite a newer state); and the day's working time and real
    -- work hours, summed over the intervals that started on it (first_work_at / last_work_at: the start of
    -- its first interval and the end of its last; null: none).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site             text        NOT NULL,
            local_date       date        NOT NULL,
            username         text        NOT NULL,
            reports          integer     NOT NULL,
            first_at         timestamptz NOT NULL,
            last_at          timestamptz NOT NULL,
            last_state       text        NOT NULL,
            working_seconds  bigint      NOT NULL DEFAULT 0,
            real_work_blocks integer     NOT NULL DEFAULT 0,
            first_work_at    timestamptz,
            last_work_at     timestamptz,
            PRIMARY KEY (site, local_date, username))
        $sql$, 'workstation_user_day_g' || g);

    -- The rules this generation folded each site's reports with: a row per site and set of rules, since (the
    -- transaction time) the projection last switched the site to them. The newest row of a site is in force;
    -- older rows say that days folded before `since` may still carry those rules (until a rebuild). source:
    -- 'roster' (the site's SiteConfigured gave both), 'configuration' (neither), 'roster and configuration'.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site                    text        NOT NULL,
            auto_timeout_seconds    integer     NOT NULL,
            real_work_block_seconds integer     NOT NULL,
            zone                    text        NOT NULL,
            source                  text        NOT NULL,
            since                   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (site, auto_timeout_seconds, real_work_block_seconds, zone, source))
        $sql$, 'workstation_site_rules_g' || g);

    PERFORM rollcall_workstation_day_repack(g);
END $fn$;

-- A new generation that will load its history in bulk: while it loads, each polled batch appends its reports as
-- rows of user-day pieces (packed records as in workstation_report_day, in the order they arrived; seq keeps the
-- order of the pieces) to a
-- table with neither key nor index; the load's end merges each user's pieces into workstation_report_day, folds
-- them, and drops this table. Its (still empty) intervals lose key and indexes until then.
CREATE OR REPLACE FUNCTION rollcall_workstation_day_load(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', 'working_interval_g' || g, 'working_interval_g' || g || '_pkey');
    EXECUTE format('DROP INDEX IF EXISTS %I, %I', 'working_interval_g' || g || '_by_day', 'working_interval_g' || g || '_by_end');
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            seq         bigint GENERATED ALWAYS AS IDENTITY,
            site        text   COLLATE "C" NOT NULL,
            local_date  date   NOT NULL,
            username    text   COLLATE "C" NOT NULL,
            reports     bytea  NOT NULL)
        $sql$, 'workstation_report_load_g' || g);
    PERFORM rollcall_workstation_day_uncompressed('workstation_report_load_g' || g);
END $fn$;

-- The packed reports are stored as they are, not compressed: random ids do not compress, and compressing a year of
-- them costs a rebuild more time than the disk it saves (make bench). And in line up to a page: a user-day of 80
-- reports (2,000 bytes) is just past PostgreSQL's default threshold of about 2 kB, and storing such rows out of line,
-- in chunks with an index of their own, took half again as long (32 MB: 501 against 335 ms; 8,160 bytes is about 320
-- reports).
CREATE OR REPLACE FUNCTION rollcall_workstation_day_uncompressed(t text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('ALTER TABLE %I ALTER COLUMN reports SET STORAGE EXTERNAL', t);
    EXECUTE format('ALTER TABLE %I SET (toast_tuple_target = 8160)', t);
END $fn$;

-- One packed workstation report, 25 bytes: the event id (16 bytes), the time in microseconds since 1970-01-01 UTC
-- (8 bytes, big-endian, signed) and the state (1 byte: 1 working, 0 stopped). WorkstationDayProjection packs them
-- the same way.
CREATE OR REPLACE FUNCTION rollcall_workstation_report(id uuid, at timestamptz, working boolean) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT AS $fn$
    SELECT decode(replace(id::text, '-', ''), 'hex') || int8send((extract(epoch FROM at) * 1000000)::bigint)
           || CASE WHEN working THEN '\x01'::bytea ELSE '\x00'::bytea END
$fn$;

-- The reports packed in a user-day's `reports`, in the order stored. (PL/pgSQL: the value is read from its table once,
-- not once per report.)
CREATE OR REPLACE FUNCTION rollcall_workstation_reports(packed bytea)
    RETURNS TABLE (event_id uuid, occurred_at timestamptz, working boolean) LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
    p bytea := packed;
BEGIN
    RETURN QUERY
        SELECT encode(substring(p FROM k * 25 + 1 FOR 16), 'hex')::uuid,
               timestamptz 'epoch' + ('x' || encode(substring(p FROM k * 25 + 17 FOR 8), 'hex'))::bit(64)::bigint
                   * interval '1 microsecond',
               get_byte(p, k * 25 + 24) = 1
        FROM generate_series(0, length(p) / 25 - 1) AS k
        ORDER BY k;
END $fn$;

-- The intervals' key and indexes: at creation, or at the end of a bulk load (building them once over all the
-- intervals is quicker than keeping them up to date interval by interval).
CREATE OR REPLACE FUNCTION rollcall_workstation_day_interval_index(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'working_interval_g' || g || '_pkey'
                   AND connamespace = current_schema()::regnamespace) THEN
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (site, username, start_at)',
            'working_interval_g' || g, 'working_interval_g' || g || '_pkey');
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (site, local_date, username)',
        'working_interval_g' || g || '_by_day', 'working_interval_g' || g);
    -- the refold's lookup of the intervals near new reports narrows on end_at (make bench: without it the lookup
    -- reads a user's whole history and slows down as the year goes on)
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (site, username, end_at)',
        'working_interval_g' || g || '_by_end', 'working_interval_g' || g);
END $fn$;

-- Before a bulk load's end stores the intervals (on a connection of its own, see WorkstationDayProjection.EndWriters):
-- removes what an end that failed after committing them left, and their key and indexes (built after them). Looks
-- before it drops: dropping takes the table's strongest lock even when there is nothing to drop.
CREATE OR REPLACE FUNCTION rollcall_workstation_day_clear_intervals(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('DELETE FROM %I', 'working_interval_g' || g);
    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'working_interval_g' || g || '_pkey'
               AND connamespace = current_schema()::regnamespace) THEN
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', 'working_interval_g' || g, 'working_interval_g' || g || '_pkey');
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname IN ('working_interval_g' || g || '_by_day', 'working_interval_g' || g || '_by_end')
               AND relnamespace = current_schema()::regnamespace) THEN
        EXECUTE format('DROP INDEX IF EXISTS %I, %I', 'working_interval_g' || g || '_by_day', 'working_interval_g' || g || '_by_end');
    END IF;
END $fn$;

-- Generations made when every report had a row of its own (workstation_event_g<g>, before code version 3) are
-- packed in place: a loading one's reports become the pieces of its load (one per user-day, in the order stored),
-- a folded one's its user-days (repeated ids were already dropped then). Intervals and days stay as they were.
CREATE OR REPLACE FUNCTION rollcall_workstation_day_repack(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning
    AS $fn$
DECLARE
    old text := 'workstation_event_g' || g;
    target text := 'workstation_report_day_g' || g;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = old AND c.relkind = 'r'
                   AND c.relnamespace = current_schema()::regnamespace) THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM projection_generation WHERE projection = 'workstation-day' AND generation = g AND loading) THEN
        PERFORM rollcall_workstation_day_load(g);
        target := 'workstation_report_load_g' || g;
    END IF;
    DROP VIEW IF EXISTS workstation_event; -- made again over the packed table by the publish
    EXECUTE format($sql$
        INSERT INTO %1$I (site, local_date, username, reports)
        SELECT site, local_date, username,
               string_agg(rollcall_workstation_report(event_id, occurred_at, state = 'working'), ''::bytea ORDER BY occurred_at, ctid)
        FROM %2$I GROUP BY site, local_date, username
        $sql$, target, old);
    EXECUTE format('DROP TABLE %I', old);
END $fn$;

-- Points the readers' views at generation g. Call it inside the transaction that records g as live.
CREATE OR REPLACE FUNCTION rollcall_workstation_day_publish(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP VIEW IF EXISTS on a first publish is no news
    AS $fn$
BEGIN
    -- made again, not replaced: a view's columns cannot change type or collation in place
    DROP VIEW IF EXISTS workstation_event;
    -- a report per row: the readers ask for a site and day (the key of the packed rows) and get its reports
    EXECUTE format($sql$
        CREATE VIEW workstation_event AS
        SELECT r.event_id, d.site, d.username, CASE WHEN r.working THEN 'working' ELSE 'stopped' END AS state,
               r.occurred_at, d.local_date
        FROM %I d CROSS JOIN LATERAL rollcall_workstation_reports(d.reports) AS r
        $sql$, 'workstation_report_day_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW working_interval AS SELECT * FROM %I', 'working_interval_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW workstation_user_day AS SELECT * FROM %I', 'workstation_user_day_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW workstation_site_rules AS SELECT * FROM %I', 'workstation_site_rules_g' || g);
END $fn$;

-- Removes a retired generation's tables (never the live one's: the views depend on them).
CREATE OR REPLACE FUNCTION rollcall_workstation_day_drop(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP … IF EXISTS of a table already gone is no news
    AS $fn$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I, %I, %I, %I, %I, %I', 'workstation_report_day_g' || g,
        'workstation_report_load_g' || g, 'workstation_event_g' || g, 'working_interval_g' || g,
        'workstation_user_day_g' || g, 'workstation_site_rules_g' || g);
END $fn$;

DROP FUNCTION IF EXISTS rollcall_workstation_day_index(integer);
DROP FUNCTION IF EXISTS rollcall_workstation_day_day_index(integer);

-- A roster table of names employees claim (workstation user names, StaffTrace ids): a name of a site belongs to one
-- employee; updated_at is the time of the claim that won.
CREATE OR REPLACE FUNCTION rollcall_roster_claims_table(t text, name_column text) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text        NOT NULL,
            %3$I        text        NOT NULL,
            employee_id text        NOT NULL,
            updated_at  timestamptz NOT NULL,
            PRIMARY KEY (site, %3$I));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, employee_id)
        $sql$, t, t || '_by_employee', name_column);
END $fn$;

-- The roster's facts, folded from rollcall.roster, in tables named <prefix>_<table>_g<g>: the roster projection's
-- own (prefix 'roster', published to readers) and presence-day's private copy (prefix 'presence_roster'), so
-- that presence-day's results depend only on its own checkpoints, never on how far the roster projection got.
CREATE OR REPLACE FUNCTION rollcall_roster_tables(prefix text, g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    -- Every roster event, once (by event id). subject: the site id, employee id or MAC address it is about.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            event_id      uuid        PRIMARY KEY,
            site          text        NOT NULL,
            kind          text        NOT NULL CHECK (kind IN ('site-configured', 'employee-updated', 'device-assigned', 'device-released')),
            subject       text        NOT NULL,
            occurred_at   timestamptz NOT NULL,
            name          text,
            zone          text,
            grace_minutes integer,
            employee_id   text,
            label         text,
            active        boolean,
            source        text        NOT NULL,
            auto_timeout_minutes    integer,
            real_work_block_minutes integer,
            workstation_users       text[],
            stafftrace_ids          text[]);
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS auto_timeout_minutes integer,
                         ADD COLUMN IF NOT EXISTS real_work_block_minutes integer,
                         ADD COLUMN IF NOT EXISTS workstation_users text[],
                         ADD COLUMN IF NOT EXISTS stafftrace_ids text[];
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, kind, subject, occurred_at)
        $sql$, prefix || '_event_g' || g, prefix || '_event_g' || g || '_by_subject');

    -- A site as its latest SiteConfigured (by event time, then event id) says. auto_timeout_minutes and
    -- real_work_block_minutes: the site's workstation rules; null, the deployment's (projection.workstation.*).
    -- They come last, also in tables made before them, so that a view over an old and a new generation has
    -- the same columns in the same order.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site                    text        PRIMARY KEY,
            name                    text        NOT NULL,
            zone                    text        NOT NULL,
            presence_grace_minutes  integer     NOT NULL,
            updated_at              timestamptz NOT NULL,
            auto_timeout_minutes    integer,
            real_work_block_minutes integer);
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS auto_timeout_minutes integer,
                         ADD COLUMN IF NOT EXISTS real_work_block_minutes integer
        $sql$, prefix || '_site_g' || g);

    -- An employee of a site as their latest EmployeeUpdated (by event time, then event id) says. inactive_since:
    -- while inactive, the time of the event that made them so (the first of the latest run of inactive events; a
    -- rename afterwards does not move it); null while active. updated_at: the latest event's time.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text        NOT NULL,
            employee_id text        NOT NULL,
            name        text        NOT NULL,
            active      boolean     NOT NULL,
            updated_at  timestamptz NOT NULL,
            inactive_since timestamptz,
            PRIMARY KEY (site, employee_id));
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS inactive_since timestamptz
        $sql$, prefix || '_employee_g' || g);
    -- employees made inactive before the column existed: from their stored events (idempotent)
    EXECUTE format($sql$
        UPDATE %1$I em SET inactive_since = (
            SELECT min(e.occurred_at) FROM %2$I e
            WHERE e.site = em.site AND e.kind = 'employee-updated' AND e.subject = em.employee_id AND NOT e.active
              AND e.occurred_at > COALESCE((SELECT max(a.occurred_at) FROM %2$I a WHERE a.site = em.site
                  AND a.kind = 'employee-updated' AND a.subject = em.employee_id AND a.active), '-infinity'))
        WHERE NOT em.active AND em.inactive_since IS NULL
        $sql$, prefix || '_employee_g' || g, prefix || '_event_g' || g);

    -- Effective-dated: the device (a MAC address at a site) belonged to the employee from valid_from (inclusive)
    -- to valid_to (exclusive; null: it still does). Each DeviceAssigned / DeviceReleased of a MAC ends the
    -- assignment in force at its time. randomised: a locally administered (per-network random) address.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text        NOT NULL,
            mac         text        NOT NULL,
            employee_id text        NOT NULL,
            label       text,
            randomised  boolean     NOT NULL,
            valid_from  timestamptz NOT NULL,
            valid_to    timestamptz CHECK (valid_to > valid_from),
            PRIMARY KEY (site, mac, valid_from));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, employee_id, valid_from)
        $sql$, prefix || '_device_assignment_g' || g, prefix || '_device_assignment_g' || g || '_by_employee');

    -- A workstation user name (as work-tracing sends it, e.g. ACME\jdoe) of a site belongs to the employee whose
    -- latest EmployeeUpdated naming workstation users (by event time, then event id) lists it; claimed by two
    -- employees, to the one whose claim is later. updated_at: that event's time.
    PERFORM rollcall_roster_claims_table(prefix || '_workstation_user_g' || g, 'username');

    -- An id StaffTrace's agent reports an employee by (its employeeId) at a site belongs to the employee whose latest
    -- EmployeeUpdated naming StaffTrace ids (by event time, then event id) lists it; claimed by two employees, to the
    -- one whose claim is later. updated_at: that event's time.
    PERFORM rollcall_roster_claims_table(prefix || '_stafftrace_id_g' || g, 'stafftrace_id');
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_roster_tables_drop(prefix text, g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP … IF EXISTS of a table already gone is no news
    AS $fn$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I, %I, %I, %I, %I, %I', prefix || '_event_g' || g, prefix || '_site_g' || g,
        prefix || '_employee_g' || g, prefix || '_device_assignment_g' || g, prefix || '_workstation_user_g' || g,
        prefix || '_stafftrace_id_g' || g);
END $fn$;

-- The roster projection (roster): readers see roster_site, roster_employee, roster_device_assignment,
-- roster_workstation_user and roster_stafftrace_id.
CREATE OR REPLACE FUNCTION rollcall_roster_create(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM rollcall_roster_tables('roster', g);
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_roster_publish(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW roster_site AS SELECT * FROM %I', 'roster_site_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW roster_employee AS SELECT * FROM %I', 'roster_employee_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW roster_device_assignment AS SELECT * FROM %I', 'roster_device_assignment_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW roster_workstation_user AS SELECT * FROM %I', 'roster_workstation_user_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW roster_stafftrace_id AS SELECT * FROM %I', 'roster_stafftrace_id_g' || g);
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_roster_drop(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP … IF EXISTS of a table already gone is no news
    AS $fn$
BEGIN
    PERFORM rollcall_roster_tables_drop('roster', g);
END $fn$;

-- StaffTrace's hourly summaries (PresenceHourReported) of one presence-day generation: per site, employee, local
-- date and hour, the latest summary (by event time, then event id): a re-sent one changes nothing, a corrected
-- one replaces the hour. Its first..last sighting is a stretch of presence like a device's online interval.
CREATE OR REPLACE FUNCTION rollcall_presence_hour_create(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site           text        NOT NULL,
            employee_id    text        NOT NULL,
            local_date     date        NOT NULL,
            hour           integer     NOT NULL CHECK (hour BETWEEN 0 AND 23),
            first_seen     timestamptz NOT NULL,
            last_seen      timestamptz NOT NULL CHECK (last_seen >= first_seen),
            minutes_online integer     NOT NULL,
            reported_at    timestamptz NOT NULL,
            event_id       uuid        NOT NULL,
            PRIMARY KEY (site, employee_id, local_date, hour));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, employee_id, first_seen)
        $sql$, 'presence_hour_g' || g, 'presence_hour_g' || g || '_by_employee');
END $fn$;

-- The tables of one generation of the presence projection (presence-day). Level 1, facts per device: what the
-- network agents said, and each device's online intervals. Level 2, per employee and site-local day: sessions
-- and days, computed from level 1 and presence-day's own copy of the roster (prefix presence_roster).
CREATE OR REPLACE FUNCTION rollcall_presence_day_create(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM rollcall_roster_tables('presence_roster', g);
    PERFORM rollcall_presence_hour_create(g);

    -- Every device state change, once (by event id).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            event_id    uuid        PRIMARY KEY,
            site        text        NOT NULL,
            mac         text        NOT NULL,
            state       text        NOT NULL CHECK (state IN ('online', 'offline')),
            ip          text,
            occurred_at timestamptz NOT NULL,
            source      text        NOT NULL)
        $sql$, 'device_event_g' || g);

    -- Every agent heartbeat that tells presence anything, once: a scanning agent's, or one listing devices or
    -- employees (a workstation agent's plain heartbeat is the agents projection's alone). scanning: a network agent
    -- (it reports its scans); devices_online: the MAC addresses it saw online then; employees_present: the employee
    -- ids an agent with its own mapping (StaffTrace's) reported present, as it names them (null: the agent reports none).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            event_id       uuid        PRIMARY KEY,
            site           text        NOT NULL,
            agent_id       text        NOT NULL,
            host           text        NOT NULL,
            version        text        NOT NULL,
            occurred_at    timestamptz NOT NULL,
            scanning       boolean     NOT NULL,
            devices_online text[]      NOT NULL,
            employees_present text[]);
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS employees_present text[]
        $sql$, 'agent_heartbeat_g' || g);
    -- their lookup indexes (a loading generation drops them until its end: rollcall_presence_day_load)
    PERFORM rollcall_presence_day_fact_index(g);

    -- Level 1: a device (a MAC address at a site) was online from start_at to end_at; end_at null: it still is.
    -- ended_by 'offline': an offline change; 'heartbeat': the scanning agent's heartbeat no longer listed it (the
    -- offline change was lost), end_at being that heartbeat's time. A heartbeat listing a device with no open
    -- interval opens one at its time (the online change was lost). Intervals of a device never overlap.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site     text        NOT NULL,
            mac      text        NOT NULL,
            start_at timestamptz NOT NULL,
            end_at   timestamptz CHECK (end_at > start_at),
            ended_by text        CHECK (ended_by IN ('offline', 'heartbeat')),
            PRIMARY KEY (site, mac, start_at),
            CHECK ((end_at IS NULL) = (ended_by IS NULL)));
        DROP INDEX IF EXISTS %2$I
        $sql$, 'device_online_interval_g' || g, 'device_online_interval_g' || g || '_by_end');
    IF NOT EXISTS (SELECT 1 FROM projection_generation WHERE projection = 'presence-day' AND generation = g AND loading) THEN
        PERFORM rollcall_presence_day_interval_index(g);
    END IF;

    -- Level 2: an employee was present from start_at to end_at (null: still present): at least one of their
    -- devices online while assigned to them, with no gap longer than the site's grace period. It ends when the
    -- last device went offline (not that plus the grace period), and belongs to the site-local date it started
    -- on (local_date), even when it ends after midnight.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text        NOT NULL,
            employee_id text        NOT NULL,
            local_date  date        NOT NULL,
            start_at    timestamptz NOT NULL,
            end_at      timestamptz CHECK (end_at > start_at),
            PRIMARY KEY (site, employee_id, start_at));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, local_date, employee_id)
        $sql$, 'attendance_session_g' || g, 'attendance_session_g' || g || '_by_day');

    -- Level 2, per site, employee and local date with at least one session: arrived_at, the first session's
    -- start; left_at, the last one's end (null: still present); minutes_present, the closed sessions' real
    -- elapsed minutes (rounded down; an open session counts up to now, which readers add); sessions, how many.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site            text        NOT NULL,
            employee_id     text        NOT NULL,
            local_date      date        NOT NULL,
            arrived_at      timestamptz NOT NULL,
            left_at         timestamptz,
            minutes_present integer     NOT NULL,
            sessions        integer     NOT NULL,
            PRIMARY KEY (site, employee_id, local_date));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, local_date)
        $sql$, 'attendance_day_g' || g, 'attendance_day_g' || g || '_by_day');
END $fn$;

-- Generations made before StaffTrace's summaries were folded get their table now (idempotent).
DO $$
DECLARE g integer;
BEGIN
    FOR g IN SELECT generation FROM projection_generation WHERE projection = 'presence-day' AND status <> 'retired' LOOP
        PERFORM rollcall_presence_hour_create(g);
    END LOOP;
END $$;

-- The indexes a scanning heartbeat's fold finds the devices online at its time by, however far the table reaches
-- before and after it: the closed intervals containing it, and the open ones (the site's, which are few). At creation,
-- or at the end of a bulk load (kept up to date interval by interval, the range index made storing the load's intervals
-- several times slower: make bench). SP-GiST rather than GiST: over 106,000 intervals it builds in 0.64 against 1.8 s
-- and finds the intervals containing an instant as fast (500 lookups: 0.46 to 0.50 against 0.50 to 0.59 s). A
-- generation made before keeps its GiST index: the name is the same, and either serves the lookup.
CREATE OR REPLACE FUNCTION rollcall_presence_day_interval_index(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format($sql$
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I USING spgist (tstzrange(start_at, end_at, '[]')) WHERE end_at IS NOT NULL;
        CREATE INDEX IF NOT EXISTS %3$I ON %1$I (site) WHERE end_at IS NULL
        $sql$, 'device_online_interval_g' || g, 'device_online_interval_g' || g || '_closed_during',
            'device_online_interval_g' || g || '_open');
END $fn$;

-- The indexes the fold looks the stored facts up by (a device's changes, a site's heartbeats by time): at creation, or
-- at the end of a bulk load, which only appends facts and reads them back all at once, in order. Kept up to date fact by
-- fact they slowed every load transaction (make bench: 72,000 changes stored in 2.1 s of PostgreSQL's time, 1.3 s
-- without the index by device); built once at the end, both take 0.5 s. The facts' keys (their event ids) stay: they
-- drop what was delivered twice as it comes.
CREATE OR REPLACE FUNCTION rollcall_presence_day_fact_index(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (site, mac, occurred_at)', 'device_event_g' || g || '_by_device',
        'device_event_g' || g);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (site, occurred_at)', 'agent_heartbeat_g' || g || '_by_site',
        'agent_heartbeat_g' || g);
END $fn$;

-- A new generation of presence-day that will load its history in bulk: its batches store their facts into its own
-- tables as they come, and the load's end folds the intervals, sessions and days; the facts get their lookup indexes
-- at the load's end, the intervals (still empty) theirs after it has stored them.
CREATE OR REPLACE FUNCTION rollcall_presence_day_load(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('DROP INDEX IF EXISTS %I, %I', 'device_online_interval_g' || g || '_closed_during',
        'device_online_interval_g' || g || '_open');
    EXECUTE format('DROP INDEX IF EXISTS %I, %I', 'device_event_g' || g || '_by_device', 'agent_heartbeat_g' || g || '_by_site');
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_presence_day_publish(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW device_event AS SELECT * FROM %I', 'device_event_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW agent_heartbeat AS SELECT * FROM %I', 'agent_heartbeat_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW device_online_interval AS SELECT * FROM %I', 'device_online_interval_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW attendance_session AS SELECT * FROM %I', 'attendance_session_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW attendance_day AS SELECT * FROM %I', 'attendance_day_g' || g);
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_presence_day_drop(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP … IF EXISTS of a table already gone is no news
    AS $fn$
BEGIN
    PERFORM rollcall_roster_tables_drop('presence_roster', g);
    EXECUTE format('DROP TABLE IF EXISTS %I', 'presence_hour_g' || g);
    EXECUTE format('DROP TABLE IF EXISTS %I, %I, %I, %I, %I', 'device_event_g' || g, 'agent_heartbeat_g' || g,
        'device_online_interval_g' || g, 'attendance_session_g' || g, 'attendance_day_g' || g);
END $fn$;

-- The tables of one generation of the agents projection (agents): every agent's heartbeats, its status as of
-- its latest heartbeat, and its downtimes. Health (HEALTHY / DEGRADED / OFFLINE / UNKNOWN) is not stored: readers
-- judge it from last_heartbeat_at against their own clock, so it is never a stale verdict; an agent silent now
-- is an open downtime from its last heartbeat, which only a reader with a clock can show.
CREATE OR REPLACE FUNCTION rollcall_agents_create(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    -- Every heartbeat of every agent (network and workstation), once (by event id). Its key and index come with
    -- rollcall_agents_heartbeat_index: not while the generation loads in bulk (they are built at the load's end).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            event_id         uuid        NOT NULL,
            site             text        NOT NULL,
            agent_id         text        NOT NULL,
            occurred_at      timestamptz NOT NULL,
            version          text        NOT NULL,
            host             text        NOT NULL,
            os               text        NOT NULL,
            uptime_seconds   bigint      NOT NULL,
            outbox_depth     integer     NOT NULL,
            last_scan_millis bigint,
            devices_online   integer     NOT NULL,
            stopping         boolean     NOT NULL DEFAULT false);
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS stopping boolean NOT NULL DEFAULT false
        $sql$, 'agents_heartbeat_g' || g);
    IF NOT EXISTS (SELECT 1 FROM projection_generation WHERE projection = 'agents' AND generation = g AND loading) THEN
        PERFORM rollcall_agents_heartbeat_index(g);
    END IF;

    -- Per agent: what its latest heartbeat (by event time, then event id) said, and when it first beat. stopping: that
    -- heartbeat was the agent's last before a deliberate stop (it comes last, also in tables made before it).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site               text        NOT NULL,
            agent_id           text        NOT NULL,
            last_heartbeat_at  timestamptz NOT NULL,
            first_heartbeat_at timestamptz NOT NULL,
            last_event_id      uuid        NOT NULL,
            version            text        NOT NULL,
            host               text        NOT NULL,
            os                 text        NOT NULL,
            uptime_seconds     bigint      NOT NULL,
            outbox_depth       integer     NOT NULL,
            last_scan_millis   bigint,
            devices_online     integer     NOT NULL,
            stopping           boolean     NOT NULL DEFAULT false,
            PRIMARY KEY (site, agent_id));
        ALTER TABLE %1$I ADD COLUMN IF NOT EXISTS stopping boolean NOT NULL DEFAULT false
        $sql$, 'agent_status_g' || g);

    -- Gaps: consecutive heartbeats of an agent further apart than the offline threshold (700 s by default):
    -- the agent was not observing from the heartbeat before (start_at) to the one after (end_at). Not after a
    -- workstation agent's stopping heartbeat: a PC switched off after a logoff or shutdown is no outage.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site     text        NOT NULL,
            agent_id text        NOT NULL,
            start_at timestamptz NOT NULL,
            end_at   timestamptz NOT NULL CHECK (end_at > start_at),
            PRIMARY KEY (site, agent_id, start_at));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, end_at)
        $sql$, 'agent_gap_g' || g, 'agent_gap_g' || g || '_by_end');

    -- Outages an agent reported about itself after a restart (AgentDowntimeReported), once (by event id).
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            event_id uuid        PRIMARY KEY,
            site     text        NOT NULL,
            agent_id text        NOT NULL,
            start_at timestamptz NOT NULL,
            end_at   timestamptz NOT NULL CHECK (end_at > start_at));
        CREATE INDEX IF NOT EXISTS %2$I ON %1$I (site, end_at)
        $sql$, 'agent_reported_downtime_g' || g, 'agent_reported_downtime_g' || g || '_by_end');

    -- Enrollment (AgentEnrolled, AgentRevoked): an agent is known from its enrollment, before its first heartbeat
    -- (UNKNOWN), and a revoked one is no longer expected to beat. The latest time of each counts.
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (
            site        text        NOT NULL,
            agent_id    text        NOT NULL,
            enrolled_at timestamptz,
            host        text,
            revoked_at  timestamptz,
            PRIMARY KEY (site, agent_id))
        $sql$, 'agent_enrollment_g' || g);
END $fn$;

-- The heartbeats' key (event id: a heartbeat is stored once) and the index the gap fold reads them by: at creation,
-- or at the end of a bulk load (building them once over a million heartbeats is several times quicker than keeping
-- them up to date heartbeat by heartbeat: make bench).
CREATE OR REPLACE FUNCTION rollcall_agents_heartbeat_index(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'agents_heartbeat_g' || g || '_pkey'
                   AND connamespace = current_schema()::regnamespace) THEN
        EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (event_id)', 'agents_heartbeat_g' || g);
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (site, agent_id, occurred_at)',
        'agents_heartbeat_g' || g || '_by_agent', 'agents_heartbeat_g' || g);
END $fn$;

-- A new generation that will load its history in bulk: while it loads, each polled batch appends its heartbeats to
-- a table with neither key nor index (the heartbeats' columns; seq: the order they were stored), and the number of its other events it
-- folded (reported outages, enrollments: few, folded as they come) to another; the load's end stores each heartbeat
-- once, builds the key and index, and folds the statuses and gaps from them. The heartbeats (still empty) lose key
-- and index until then.
CREATE OR REPLACE FUNCTION rollcall_agents_load(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', 'agents_heartbeat_g' || g, 'agents_heartbeat_g' || g || '_pkey');
    EXECUTE format('DROP INDEX IF EXISTS %I', 'agents_heartbeat_g' || g || '_by_agent');
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS %1$I (seq bigint GENERATED ALWAYS AS IDENTITY, LIKE %3$I);
        CREATE TABLE IF NOT EXISTS %2$I (events integer NOT NULL)
        $sql$, 'agents_heartbeat_load_g' || g, 'agents_load_folded_g' || g, 'agents_heartbeat_g' || g);
END $fn$;

-- Readers see agent_status, agent_enrollment, and agent_downtime: the gaps and the reported outages (cause 'gap' / 'reported'),
-- which may overlap; readers merge them for display.
CREATE OR REPLACE FUNCTION rollcall_agents_publish(g integer) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW agent_status AS SELECT * FROM %I', 'agent_status_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW agent_enrollment AS SELECT * FROM %I', 'agent_enrollment_g' || g);
    EXECUTE format('CREATE OR REPLACE VIEW agent_downtime AS '
        || 'SELECT site, agent_id, start_at, end_at, ''gap''::text AS cause FROM %I '
        || 'UNION ALL SELECT site, agent_id, start_at, end_at, ''reported''::text AS cause FROM %I',
        'agent_gap_g' || g, 'agent_reported_downtime_g' || g);
END $fn$;

CREATE OR REPLACE FUNCTION rollcall_agents_drop(g integer) RETURNS void LANGUAGE plpgsql
    SET client_min_messages = warning  -- DROP … IF EXISTS of a table already gone is no news
    AS $fn$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I, %I, %I, %I, %I, %I, %I', 'agents_heartbeat_g' || g, 'agent_status_g' || g,
        'agent_gap_g' || g, 'agent_reported_downtime_g' || g, 'agent_enrollment_g' || g, 'agents_heartbeat_load_g' || g,
        'agents_load_folded_g' || g);
END $fn$;

-- A site's workstation rules as the roster gives them now (the roster projection's live generation), for the
-- sites asked; none before the roster projection has published a generation. workstation-day looks them up once
-- per batch: a rule change applies to what it folds from then on, and to history through a rebuild.
CREATE OR REPLACE FUNCTION rollcall_roster_work_rules(sites text[])
    RETURNS TABLE (site text, auto_timeout_minutes integer, real_work_block_minutes integer)
    LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    IF to_regclass('roster_site') IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE 'SELECT s.site, s.auto_timeout_minutes, s.real_work_block_minutes FROM roster_site s '
        || 'WHERE s.site = ANY($1)' USING sites;
END $fn$;

-- Generations made before sites carried workstation rules (or employees their workstation user names, or heartbeats
-- a stopping flag) get the new columns and tables now, and the live generations' views show them (idempotent: the
-- create functions only add what is missing).
DO $$
DECLARE gen record;
BEGIN
    FOR gen IN SELECT projection, generation, status FROM projection_generation
               WHERE projection IN ('roster', 'presence-day', 'workstation-day', 'agents') AND status <> 'retired' LOOP
        IF gen.projection = 'roster' THEN
            PERFORM rollcall_roster_tables('roster', gen.generation);
            IF gen.status = 'live' THEN PERFORM rollcall_roster_publish(gen.generation); END IF;
        ELSIF gen.projection = 'presence-day' THEN
            PERFORM rollcall_presence_day_create(gen.generation);
            IF gen.status = 'live' THEN PERFORM rollcall_presence_day_publish(gen.generation); END IF;
        ELSIF gen.projection = 'agents' THEN
            PERFORM rollcall_agents_create(gen.generation);
            IF gen.status = 'live' THEN PERFORM rollcall_agents_publish(gen.generation); END IF;
        ELSE
            PERFORM rollcall_workstation_day_create(gen.generation);
            IF gen.status = 'live' THEN PERFORM rollcall_workstation_day_publish(gen.generation); END IF;
        END IF;
    END LOOP;
END $$;
