-- 0007_passwords: dashboard sign-in, the PostgreSQL mirror of Sqlite/Migrations/0007_passwords.sql.
--
-- password_hash is "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>" or NULL. failed_sign_ins and
-- locked_until (Unix ticks) change in single UPDATE statements (row lock), so several server processes sharing this
-- database count the failures of one person together.

ALTER TABLE users ADD COLUMN password_hash   text COLLATE "C";
ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until    bigint;
ALTER TABLE users ADD COLUMN language        text COLLATE "C";
