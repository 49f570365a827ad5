-- What projection-service does on its first start: generation 1 of workstation-day, live, and the readers'
-- views pointing at it. Idempotent, like read-model.sql.
SELECT rollcall_workstation_day_create(1);
INSERT INTO projection_generation (projection, generation, status, code_version, rules, live_at)
VALUES ('workstation-day', 1, 'live', 2, 'auto-timeout 10 min, real work hour = 40 min block, days in UTC', now())
ON CONFLICT DO NOTHING;
SELECT rollcall_workstation_day_publish(1);
