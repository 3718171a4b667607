-- Second factor for administrators and analysts: a TOTP secret (RFC 6238, base32) per account,
-- and sessions that have passed the password but not yet the code.

ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE sessions ADD COLUMN second_factor_pending BOOLEAN NOT NULL DEFAULT 0;
