-- 0004_accounts: people and their API tokens, beside the organisations of 0001.
--
-- Roles and scopes are small INTEGER codes fixed in SqliteAccountStore (viewer 0, agent 1, manager 2, admin 3,
-- owner 4; read 0, write 1). Instants are Unix ticks (100 ns), as everywhere. A token's secret is never stored:
-- only the SHA-256 of its text, so a copy of this file does not let anyone call the API.

CREATE TABLE users (
    org        INTEGER NOT NULL REFERENCES organisations (org),
    user_id    INTEGER NOT NULL,
    email      TEXT    NOT NULL,       -- stored lower-case, compared exactly
    role       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org, user_id),
    UNIQUE (org, email)
);

CREATE TABLE api_tokens (
    org          INTEGER NOT NULL REFERENCES organisations (org),
    token_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    sha256       BLOB    NOT NULL,     -- SHA-256 of the whole token text "utd_…"
    prefix       TEXT    NOT NULL,     -- the first characters of the token, shown in listings and logs
    scope        INTEGER NOT NULL,
    name         TEXT,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER,
    PRIMARY KEY (org, token_id),
    FOREIGN KEY (org, user_id) REFERENCES users (org, user_id)
);
-- Authentication looks a token up by its hash alone, before the organisation is known.
CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (sha256);
