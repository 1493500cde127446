-- 0005_jobs: the background job queue (issue 4, part 5), the PostgreSQL mirror of Sqlite/Migrations/0005_jobs.sql.
--
-- Several server processes share it: a worker claims a job with SELECT ... FOR UPDATE SKIP LOCKED in a short
-- transaction that sets the lease, so no two processes claim the same job, and a job whose lease expired (its node
-- died) is claimable again. Same units as 0001 (instants as Unix ticks, bigint). Organisation first in the key.
-- state codes are fixed in Jobs/JobRules.cs: 0 queued, 1 running, 2 done, 3 dead. A finished job stays so its
-- dedupe key keeps a repeated scan from enqueuing the same work again.
-- IF NOT EXISTS everywhere: safe to run again.
CREATE TABLE IF NOT EXISTS jobs (
    org         bigint   NOT NULL REFERENCES organisations (org),
    job_id      bigint   GENERATED ALWAYS AS IDENTITY,
    kind        text     COLLATE "C" NOT NULL,
    dedupe_key  text     COLLATE "C" NOT NULL,
    payload     text     NOT NULL,     -- JSON as text
    state       smallint NOT NULL,
    run_at      bigint   NOT NULL,
    attempts    integer  NOT NULL,     -- claims so far; the attempt number identifies a claim
    lease_owner text     COLLATE "C",
    lease_until bigint,
    last_error  text     COLLATE "C",
    created_at  bigint   NOT NULL,
    finished_at bigint,
    PRIMARY KEY (org, job_id),
    UNIQUE (org, kind, dedupe_key)
);
-- A claim takes a running job whose lease expired, else the earliest queued job that is due, across all
-- organisations (one worker pool serves them all): each an ordered walk of one partial index.
CREATE INDEX IF NOT EXISTS jobs_queued ON jobs (run_at, org, job_id) WHERE state = 0;
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_until) WHERE state = 1;
-- Counting dead jobs, and purging finished ones.
CREATE INDEX IF NOT EXISTS jobs_done   ON jobs (finished_at) WHERE state = 2;
CREATE INDEX IF NOT EXISTS jobs_dead   ON jobs (finished_at) WHERE state = 3;
