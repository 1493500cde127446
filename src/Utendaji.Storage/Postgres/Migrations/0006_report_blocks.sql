-- 0006_report_blocks: nothing to do on PostgreSQL.
--
-- SQLite packs its copy of the report columns into blocks of about 4,096 tickets (report_blocks) so that reading 10M
-- tickets steps a few thousand rows. PostgreSQL reads ticket_facts directly; the number is kept so both stores share
-- one schema history (Sqlite/Migrations/0006_report_blocks.sql).
SELECT 1;
