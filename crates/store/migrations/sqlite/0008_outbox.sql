-- Messages waiting for a mail server: reminders to liaison officers. Observa needs no mail
-- server; whoever runs one reads the unsent rows and sets `sent_at`.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    sent_at TEXT
);
