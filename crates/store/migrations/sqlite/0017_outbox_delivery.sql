-- Delivery of the outbox by `observa serve` (`web::mail`): each message's state (queued, sent,
-- failed for good), how many attempts were made, the last one's time and error, when it may be
-- tried next (also the lease a sender takes when it claims it), and the Message-ID it went with.
-- `dedupe_key` names a message that must be queued once only (a day's monitoring reminder).
-- Rows an outside mail server marked sent before this migration (`sent_at`) count as sent.

ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN dedupe_key TEXT;

UPDATE outbox SET status = 'sent' WHERE sent_at IS NOT NULL;

CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
