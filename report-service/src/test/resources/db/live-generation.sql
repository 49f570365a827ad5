-- What projection-service does on its first start: generation 1 of each projection, live, and the readers'
-- views pointing at it. Idempotent, like read-model.sql.
SELECT rollcall_workstation_day_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('workstation-day', 1, 'live', 3, 'auto-timeout 10 min, real work hour = 40 min block, days in UTC', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_workstation_day_publish(1);

-- roster: roster_site, roster_employee, roster_device_assignment, roster_workstation_user
SELECT rollcall_roster_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('roster', 1, 'live', 1, 'latest event by time wins for sites and employees; device assignments effective-dated', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_roster_publish(1);

-- presence-day: device_event, agent_heartbeat, device_online_interval, attendance_session, attendance_day
SELECT rollcall_presence_day_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('presence-day', 1, 'live', 1, 'present while any device is online; unless the roster configures the site: grace 5 min, days in UTC', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_presence_day_publish(1);

-- agents: agent_status, agent_downtime
SELECT rollcall_agents_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('agents', 1, 'live', 1, 'a downtime is a gap of more than 700 s between heartbeats, or an outage the agent reported', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_agents_publish(1);
