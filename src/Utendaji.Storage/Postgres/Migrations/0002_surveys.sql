-- 0002_surveys: survey sends and responses, the PostgreSQL mirror of Sqlite/Migrations/0002_surveys.sql.
-- Same units and collation as 0001. Organisation first in every key.

CREATE TABLE survey_sends (
    org          bigint NOT NULL REFERENCES organisations (org),
    send_id      text   COLLATE "C" NOT NULL,
    instrument   text   COLLATE "C" NOT NULL,
    sent_at      bigint NOT NULL,
    ticket_id    text   COLLATE "C",
    customer     text   COLLATE "C",
    channel      text   COLLATE "C",
    language     text   COLLATE "C",
    content_hash bigint NOT NULL,
    PRIMARY KEY (org, send_id)
);
CREATE INDEX survey_sends_by_instrument ON survey_sends (org, instrument, sent_at, send_id);

-- answers: JSON object keyed by item id (keys sorted), as text so it reads back byte for byte.
CREATE TABLE survey_responses (
    org          bigint NOT NULL REFERENCES organisations (org),
    response_id  text   COLLATE "C" NOT NULL,
    instrument   text   COLLATE "C" NOT NULL,
    submitted_at bigint NOT NULL,
    send_id      text   COLLATE "C",
    sent_at      bigint,
    ticket_id    text   COLLATE "C",
    customer     text   COLLATE "C",
    agent        text   COLLATE "C",
    team         text   COLLATE "C",
    channel      text   COLLATE "C",
    language     text   COLLATE "C",
    answers      text   NOT NULL,
    content_hash bigint NOT NULL,
    PRIMARY KEY (org, response_id)
);
CREATE INDEX survey_responses_by_instrument ON survey_responses (org, instrument, submitted_at, response_id);
CREATE INDEX survey_responses_by_ticket     ON survey_responses (org, ticket_id);
CREATE INDEX survey_responses_by_send       ON survey_responses (org, send_id);
