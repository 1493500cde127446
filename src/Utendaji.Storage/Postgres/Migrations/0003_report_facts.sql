-- 0003_report_facts: nothing to do on PostgreSQL.
--
-- SQLite keeps a compact columnar copy of the report columns (report_facts) because reading ticket_facts row by row
-- is its bottleneck for the KPI report. PostgreSQL reads ticket_facts directly; the number is kept so both stores
-- share one schema history (Sqlite/Migrations/0003_report_facts.sql).
SELECT 1;
