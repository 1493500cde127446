-- 0006_report_blocks: the KPI report's copy of the facts packed into blocks of about 4,096 tickets (ReportBlocks.cs,
-- docs/performance.md), replacing the one-row-per-ticket report_facts of migration 0003.
--
-- Blocks split the order (created_at, ticket_id) into ranges that do not overlap; each row is keyed by its first
-- ticket. Written in the same transaction as ticket_facts, so the two always agree.
CREATE TABLE report_blocks (
    org           INTEGER NOT NULL REFERENCES organisations (org),
    first_created INTEGER NOT NULL,
    first_ticket  TEXT    NOT NULL,
    last_created  INTEGER NOT NULL,
    tickets       INTEGER NOT NULL,
    data          BLOB    NOT NULL,
    PRIMARY KEY (org, first_created, first_ticket)
) WITHOUT ROWID;

-- Organisations with facts: their copy is packed into blocks when the store is next opened for them
-- (SqliteStore.OpenAsync), inside one transaction that also deletes their report_facts rows. An organisation still
-- marked in report_rebuild (migration 0003) is built from ticket_facts; any other has complete report_facts rows, which
-- are packed as they are. Only ticket_facts is read here, so this runs even before 0003 (numbers reserved in parallel).
CREATE TABLE report_convert (
    org INTEGER PRIMARY KEY REFERENCES organisations (org)
);
INSERT INTO report_convert (org)
    SELECT o.org FROM organisations o WHERE EXISTS (SELECT 1 FROM ticket_facts t WHERE t.org = o.org);
