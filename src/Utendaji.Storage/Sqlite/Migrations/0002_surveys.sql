-- 0002_surveys: survey sends and responses (issue 3).
--
-- Same units as 0001: instants as Unix ticks (INTEGER), text UTF-8 byte for byte, JSON with sorted keys.
-- Organisation first in every key. content_hash (first 8 bytes of SHA-256 over a canonical encoding) tells an
-- identical re-import from a conflicting one with the same id, as for events.

-- A survey sent to a customer; response rate = responses / sends.
CREATE TABLE survey_sends (
    org          INTEGER NOT NULL REFERENCES organisations (org),
    send_id      TEXT    NOT NULL,
    instrument   TEXT    NOT NULL,
    sent_at      INTEGER NOT NULL,
    ticket_id    TEXT,
    customer     TEXT,
    channel      TEXT,
    language     TEXT,
    content_hash INTEGER NOT NULL,
    PRIMARY KEY (org, send_id)
);
CREATE INDEX survey_sends_by_instrument ON survey_sends (org, instrument, sent_at, send_id);

-- One respondent's answers to one instrument. answers is a JSON object keyed by item id (keys sorted): a number for
-- rating, NPS, CES and allocation items, an array of option ids for choice items, a string for free text.
CREATE TABLE survey_responses (
    org          INTEGER NOT NULL REFERENCES organisations (org),
    response_id  TEXT    NOT NULL,
    instrument   TEXT    NOT NULL,
    submitted_at INTEGER NOT NULL,
    send_id      TEXT,
    sent_at      INTEGER,
    ticket_id    TEXT,
    customer     TEXT,
    agent        TEXT,
    team         TEXT,
    channel      TEXT,
    language     TEXT,
    answers      TEXT    NOT NULL,
    content_hash INTEGER NOT NULL,
    PRIMARY KEY (org, response_id)
);
-- Reports read one instrument over a period; agent credit looks a response's ticket up; response rate matches
-- sends to the responses that answer them.
CREATE INDEX survey_responses_by_instrument ON survey_responses (org, instrument, submitted_at, response_id);
CREATE INDEX survey_responses_by_ticket     ON survey_responses (org, ticket_id);
CREATE INDEX survey_responses_by_send       ON survey_responses (org, send_id);
