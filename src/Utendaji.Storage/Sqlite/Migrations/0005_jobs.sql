-- 0005_jobs: the background job queue (issue 4, part 5), shared by every process using this file.
--
-- Same units as 0001: instants as Unix ticks (INTEGER). Organisation first in the key. state codes are fixed in
-- Jobs/JobRules.cs: 0 queued, 1 running, 2 done, 3 dead. A finished job stays (done or dead) so its dedupe key
-- keeps a repeated scan from enqueuing the same work again.
CREATE TABLE IF NOT EXISTS jobs (
    org         INTEGER NOT NULL REFERENCES organisations (org),
    job_id      INTEGER NOT NULL,      -- per organisation: max + 1 under the write lock
    kind        TEXT    NOT NULL,
    dedupe_key  TEXT    NOT NULL,
    payload     TEXT    NOT NULL,      -- JSON
    state       INTEGER NOT NULL,
    run_at      INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,      -- claims so far; the attempt number identifies a claim
    lease_owner TEXT,
    lease_until INTEGER,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (org, job_id),
    UNIQUE (org, kind, dedupe_key)
);
-- A claim takes a running job whose lease expired, else the earliest queued job that is due, across all
-- organisations: one worker pool serves them all.
CREATE INDEX IF NOT EXISTS jobs_queued ON jobs (run_at, org, job_id) WHERE state = 0;
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_until) WHERE state = 1;
-- Counting dead jobs, and purging finished ones.
CREATE INDEX IF NOT EXISTS jobs_done   ON jobs (finished_at) WHERE state = 2;
CREATE INDEX IF NOT EXISTS jobs_dead   ON jobs (finished_at) WHERE state = 3;
