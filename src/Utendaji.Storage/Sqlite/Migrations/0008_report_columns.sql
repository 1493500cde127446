-- 0008_report_columns: the blocks of report_blocks (0006) store their tickets' records column by column (block format
-- 1: ReportColumns.cs, docs/performance.md), so a report decodes each column in one tight loop.
--
-- Organisations with facts are marked here; the first SqliteStore.OpenAsync for one rewrites its blocks of format 0 in
-- the column format, in one transaction that also removes the mark (ReportBlocks.RebuildIfStale). Blocks written after
-- this migration are already in columns and are left as they are. Only ticket_facts is read here, so this runs even
-- before 0006 (numbers reserved in parallel). A build without this migration refuses the database (newer schema)
-- instead of misreading its blocks.
CREATE TABLE report_transpose (
    org INTEGER PRIMARY KEY REFERENCES organisations (org)
);
INSERT INTO report_transpose (org)
    SELECT o.org FROM organisations o WHERE EXISTS (SELECT 1 FROM ticket_facts t WHERE t.org = o.org);
