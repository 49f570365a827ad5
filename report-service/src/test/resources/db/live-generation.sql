-- What projection-service does on its first start: generation 1 of workstation-day, live, and the readers'
-- views pointing at it. Idempotent, like read-model.sql.
SELECT rollcall_workstation_day_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('workstation-day', 1, 'live', 2, 'auto-timeout 10 min, real work hour = 40 min block, days in UTC', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_workstation_day_publish(1);

-- STAND-IN for the presence read model (issue 4), until this branch has projection-service's read-model.sql
-- that creates it: plain tables with the names, columns and checks of the views readers will see (as in
-- issue4-presence's rollcall_roster_tables and rollcall_presence_day_create), and a live presence-day
-- generation. At the merge, replace this block with generation 1 of roster and presence-day:
--   SELECT rollcall_roster_create(1); SELECT rollcall_roster_publish(1);
--   SELECT rollcall_presence_day_create(1); SELECT rollcall_presence_day_publish(1);
-- and their projection_generation rows, as above for workstation-day.
CREATE TABLE IF NOT EXISTS roster_site (
    site                   text        PRIMARY KEY,
    name                   text        NOT NULL,
    zone                   text        NOT NULL,
    presence_grace_minutes integer     NOT NULL,
    updated_at             timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS roster_employee (
    site        text        NOT NULL,
    employee_id text        NOT NULL,
    name        text        NOT NULL,
    active      boolean     NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (site, employee_id));
CREATE TABLE IF NOT EXISTS roster_device_assignment (
    site        text        NOT NULL,
    mac         text        NOT NULL,
    employee_id text        NOT NULL,
    label       text,
    randomised  boolean     NOT NULL,
    valid_from  timestamptz NOT NULL,
    valid_to    timestamptz CHECK (valid_to > valid_from),
    PRIMARY KEY (site, mac, valid_from));
CREATE TABLE IF NOT EXISTS device_online_interval (
    site     text        NOT NULL,
    mac      text        NOT NULL,
    start_at timestamptz NOT NULL,
    end_at   timestamptz CHECK (end_at > start_at),
    ended_by text        CHECK (ended_by IN ('offline', 'heartbeat')),
    PRIMARY KEY (site, mac, start_at),
    CHECK ((end_at IS NULL) = (ended_by IS NULL)));
CREATE TABLE IF NOT EXISTS attendance_session (
    site        text        NOT NULL,
    employee_id text        NOT NULL,
    local_date  date        NOT NULL,
    start_at    timestamptz NOT NULL,
    end_at      timestamptz CHECK (end_at > start_at),
    PRIMARY KEY (site, employee_id, start_at));
CREATE TABLE IF NOT EXISTS attendance_day (
    site            text        NOT NULL,
    employee_id     text        NOT NULL,
    local_date      date        NOT NULL,
    arrived_at      timestamptz NOT NULL,
    left_at         timestamptz,
    minutes_present integer     NOT NULL,
    sessions        integer     NOT NULL,
    PRIMARY KEY (site, employee_id, local_date));
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('presence-day', 1, 'live', 1, 'present while any device is online, grace per site', now())
ON CONFLICT DO NOTHING;
