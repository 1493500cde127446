-- 0004_accounts: people and their API tokens, the PostgreSQL mirror of Sqlite/Migrations/0004_accounts.sql.
--
-- Roles and scopes are the same small integer codes (viewer 0, agent 1, manager 2, admin 3, owner 4; read 0,
-- write 1). Instants are Unix ticks (100 ns). A token's secret is never stored: only the SHA-256 of its text.

CREATE TABLE users (
    org        bigint   NOT NULL REFERENCES organisations (org),
    user_id    bigint   NOT NULL,
    email      text     COLLATE "C" NOT NULL,   -- stored lower-case, compared exactly
    role       smallint NOT NULL,
    created_at bigint   NOT NULL,
    PRIMARY KEY (org, user_id),
    UNIQUE (org, email)
);

CREATE TABLE api_tokens (
    org          bigint   NOT NULL REFERENCES organisations (org),
    token_id     bigint   NOT NULL,
    user_id      bigint   NOT NULL,
    sha256       bytea    NOT NULL,             -- SHA-256 of the whole token text "utd_…"
    prefix       text     COLLATE "C" NOT NULL, -- the first characters of the token, shown in listings and logs
    scope        smallint NOT NULL,
    name         text     COLLATE "C",
    created_at   bigint   NOT NULL,
    last_used_at bigint,
    revoked_at   bigint,
    PRIMARY KEY (org, token_id),
    FOREIGN KEY (org, user_id) REFERENCES users (org, user_id)
);
-- Authentication looks a token up by its hash alone, before the organisation is known.
CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (sha256);
