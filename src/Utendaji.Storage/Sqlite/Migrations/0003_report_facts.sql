-- 0003_report_facts: a compact copy of the KPI report's columns (see ReportFacts.cs and docs/performance.md).
--
-- One row per ticket, in the order the report reads them (creation instant, then ticket id), with the figures packed
-- into one BLOB of varints and labels as integer codes. Written in the same transaction as ticket_facts, so the two
-- always agree. Reading 10M tickets from here costs one key and one BLOB per ticket instead of 27 columns of a
-- 37-column row.

-- Team, channel, agent, priority and language text behind the codes in report_facts.data (0 is null, never stored).
CREATE TABLE report_labels (
    org   INTEGER NOT NULL REFERENCES organisations (org),
    code  INTEGER NOT NULL,
    label TEXT    NOT NULL,
    PRIMARY KEY (org, code)
) WITHOUT ROWID;
CREATE UNIQUE INDEX report_labels_by_label ON report_labels (org, label);

CREATE TABLE report_facts (
    org        INTEGER NOT NULL REFERENCES organisations (org),
    created_at INTEGER NOT NULL,
    ticket_id  TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    PRIMARY KEY (org, created_at, ticket_id)
) WITHOUT ROWID;

-- Organisations whose facts were stored before this migration: their copy is built when the store is next opened
-- for them (SqliteStore.OpenAsync), inside one transaction.
CREATE TABLE report_rebuild (
    org INTEGER PRIMARY KEY REFERENCES organisations (org)
);
INSERT INTO report_rebuild (org)
    SELECT o.org FROM organisations o WHERE EXISTS (SELECT 1 FROM ticket_facts t WHERE t.org = o.org);
