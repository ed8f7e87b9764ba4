-- bench/metrics-2m.sql — 2,000,000 public legal service requests with their clocks from the city
-- set (docs/performance.md, "Register metrics"): the 10,000 scaled requests (GS…) copied 199 times
-- with new numbers (GX<k>-<id>) and their handling clocks. sqlite3 <data-dir>/fazhi.db < bench/metrics-2m.sql
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 199)
INSERT INTO legal_services (request_no, received_on, channel, service_type, applicant_name, phone_masked, summary, handling_unit_id, status, outcome, satisfaction, visit_note, created_at, updated_at, version)
SELECT 'GX' || k.i || '-' || s.id, s.received_on, s.channel, s.service_type, s.applicant_name, s.phone_masked, s.summary, s.handling_unit_id, s.status, s.outcome, s.satisfaction, s.visit_note, s.created_at, s.updated_at, 1
FROM k, legal_services s WHERE s.request_no LIKE 'GS%';
INSERT INTO record_clocks (kind, record_id, clock, start_on, period, unit, stopped_on, due_on, state, late, stale, created_at, updated_at, version)
SELECT c.kind, n.id, c.clock, c.start_on, c.period, c.unit, c.stopped_on, c.due_on, c.state, c.late, 0, c.created_at, c.updated_at, 1
FROM legal_services n JOIN record_clocks c ON c.kind = 'legal_service' AND c.clock = 'handle' AND c.record_id = CAST(substr(n.request_no, instr(n.request_no, '-') + 1) AS INTEGER)
WHERE n.request_no LIKE 'GX%';
COMMIT;
ANALYZE;
