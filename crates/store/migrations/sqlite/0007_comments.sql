-- The review's conversation: the secretariat's comments on a State's answers, question by
-- question, and the liaison officers' replies. Append-only like the audit log: a comment once
-- made is part of the record.

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    cycle INTEGER NOT NULL REFERENCES cycles (year),
    state TEXT NOT NULL,
    question TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    at TEXT NOT NULL
);

CREATE INDEX comments_response ON comments (cycle, state);

CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN
    SELECT RAISE(ABORT, 'comments are append-only');
END;
