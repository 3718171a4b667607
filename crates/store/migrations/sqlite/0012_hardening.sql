-- Hardening (issue 9).
-- Sign-in attempts are kept in the database, not in memory, so a restart does not forget them and
-- every process sees the same counts; an attempt is reserved here before the password is checked.
CREATE TABLE sign_in_attempts (
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    -- 1 while the password is being checked or after it failed; a success deletes the account's rows.
    failed BOOLEAN NOT NULL DEFAULT 1
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at);

-- The last TOTP time step used by each account: a code is accepted once.
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- API tokens get an id to list and revoke them by, an expiry and a revocation time.
ALTER TABLE api_tokens ADD COLUMN id INTEGER;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET id = rowid;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);

-- The audit log's head: the last entry's sequence number and hash, with a MAC under the audit key,
-- rewritten with every entry. Deleting the last entries leaves a head that no longer matches.
CREATE TABLE audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT NOT NULL
);
