-- 0008_report_columns: nothing to do on PostgreSQL.
--
-- SQLite stores the tickets of each report block column by column (report_blocks, block format 1). PostgreSQL reads
-- ticket_facts directly; the number is kept so both stores share one schema history
-- (Sqlite/Migrations/0008_report_columns.sql).
SELECT 1;
