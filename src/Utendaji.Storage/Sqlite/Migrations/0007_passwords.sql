-- 0007_passwords: dashboard sign-in for the people of 0004 (issue 5). Numbered 0007 because 0005 (jobs) and 0006
-- (report blocks) were reserved by changes developed in parallel; gaps are tolerated by SqliteMigrations.
--
-- password_hash is self-describing, "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" (PasswordHashes), NULL
-- while the person has no password (token-only). failed_sign_ins and locked_until (Unix ticks) are changed by one
-- UPDATE each, so concurrent sign-ins count together. language is the person's dashboard language (NULL: English).

ALTER TABLE users ADD COLUMN password_hash   TEXT;
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until    INTEGER;
ALTER TABLE users ADD COLUMN language        TEXT;
