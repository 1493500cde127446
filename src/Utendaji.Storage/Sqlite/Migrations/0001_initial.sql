-- 0001_initial: the first schema.
--
-- Units, everywhere:
--   *_at columns and events.at  : instants as Unix ticks (100 ns since 1970-01-01T00:00:00Z), INTEGER.
--   *_cal / *_bus columns       : durations in ticks (100 ns), elapsed calendar time / business time.
--   enumerations                : small INTEGER codes fixed in SqliteCodes.cs (never the C# enum's ordinal).
--   text                        : UTF-8, stored byte for byte; JSON written with sorted keys.
--
-- Every table except schema_migrations carries the organisation first in its primary key, so the data can
-- later be distributed by organisation (Citus-style) without reshaping keys.

CREATE TABLE organisations (
    org  INTEGER PRIMARY KEY,          -- compact surrogate used as the first key column of every table
    name TEXT NOT NULL UNIQUE
);

-- Append-only canonical events. content_hash (first 8 bytes of SHA-256 over a canonical encoding) tells an
-- identical re-import from a conflicting one with the same id.
CREATE TABLE events (
    org          INTEGER NOT NULL REFERENCES organisations (org),
    event_id     TEXT    NOT NULL,
    ticket_id    TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    type         INTEGER NOT NULL,
    actor_kind   INTEGER NOT NULL,
    actor_id     TEXT,
    public       INTEGER NOT NULL,
    channel      TEXT,
    team         TEXT,
    priority     TEXT,
    status       INTEGER,
    attributes   TEXT,                 -- JSON object of strings; NULL when there are none
    content_hash INTEGER NOT NULL,
    PRIMARY KEY (org, event_id)
);
CREATE INDEX events_by_ticket ON events (org, ticket_id, at, event_id);

-- One row per ticket imported from a helpdesk's summary export.
CREATE TABLE summaries (
    org            INTEGER NOT NULL REFERENCES organisations (org),
    ticket_id      TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    first_reply_at INTEGER,
    solved_at      INTEGER,
    reopens        INTEGER NOT NULL,
    agent_replies  INTEGER NOT NULL,
    priority       TEXT,
    channel        TEXT,
    team           TEXT,
    agent          TEXT,
    customer       TEXT,
    language       TEXT,
    satisfaction   INTEGER,
    PRIMARY KEY (org, ticket_id)
);

-- Derived per-ticket facts: one flat column per scalar of TicketFacts, lists as JSON, plus SLA counts
-- flattened from the sla list so the KPI report never parses JSON.
CREATE TABLE ticket_facts (
    org                     INTEGER NOT NULL REFERENCES organisations (org),
    ticket_id               TEXT    NOT NULL,
    source                  INTEGER NOT NULL,
    created_at              INTEGER NOT NULL,
    status                  INTEGER NOT NULL,
    channel                 TEXT,
    team                    TEXT,
    priority                TEXT,
    agent                   TEXT,
    customer                TEXT,
    language                TEXT,
    calendar                TEXT    NOT NULL,
    first_reply_at          INTEGER,
    first_reply_cal         INTEGER,
    first_reply_bus         INTEGER,
    next_replies            TEXT,      -- JSON [[cal, bus], ...]; NULL when empty
    first_solved_at         INTEGER,
    first_resolution_cal    INTEGER,
    first_resolution_bus    INTEGER,
    solved_at               INTEGER,
    full_resolution_cal     INTEGER,
    full_resolution_bus     INTEGER,
    requester_wait_cal      INTEGER,
    requester_wait_bus      INTEGER,
    agent_replies           INTEGER NOT NULL,
    reopens                 INTEGER NOT NULL,
    one_touch               INTEGER,   -- 0/1, NULL while unsolved
    first_contact_resolved  INTEGER,   -- 0/1, NULL while unsolved
    satisfaction            INTEGER,
    sla                     TEXT,      -- JSON [{metric, policy, target, due, state, margin}, ...]; NULL when empty
    sla_first_reply_met     INTEGER NOT NULL,
    sla_first_reply_breached INTEGER NOT NULL,
    sla_next_reply_met      INTEGER NOT NULL,
    sla_next_reply_breached INTEGER NOT NULL,
    sla_resolution_met      INTEGER NOT NULL,
    sla_resolution_breached INTEGER NOT NULL,
    PRIMARY KEY (org, ticket_id)
);
-- Reading by period (the report's --from/--to, exports in creation order) and by credited agent (many
-- distinct values: an agent's tickets are a small share). Team, channel, priority and language have a handful
-- of values each: a filter on one of them reads a large share of the table, where a scan is as fast as an
-- index and every extra index slows imports (see docs/performance-storage.md).
CREATE INDEX ticket_facts_by_created ON ticket_facts (org, created_at, ticket_id);
CREATE INDEX ticket_facts_by_agent   ON ticket_facts (org, agent, created_at, ticket_id);

-- Calendars, SLA policies, options and holiday files, by kind and name.
CREATE TABLE config_documents (
    org  INTEGER NOT NULL REFERENCES organisations (org),
    kind TEXT    NOT NULL,             -- calendar | sla_policy | options | holiday_file
    name TEXT    NOT NULL,
    json TEXT    NOT NULL,
    PRIMARY KEY (org, kind, name)
) WITHOUT ROWID;
