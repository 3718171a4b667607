-- Documents attached to a State's answers (the plan itself, laws): kept in the database, never
-- in a folder the web server serves, with the type read from their content and a checksum.

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    cycle INTEGER NOT NULL REFERENCES cycles (year),
    state TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);

CREATE INDEX attachments_response ON attachments (cycle, state);
