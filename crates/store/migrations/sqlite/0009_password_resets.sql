-- Password reset links issued by an administrator: single use (the row is deleted when used)
-- and expiring; stored by the SHA-256 of their token, like sessions.

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
