-- The consultation: cycles (each with its own copy of the questionnaire), each State's draft
-- answers (versioned, so concurrent saves cannot overwrite each other), submissions (one per
-- draft version: the unique key makes a repeated submit a no-op), and personal API tokens (by
-- their SHA-256, like sessions).

CREATE TABLE cycles (
    year INTEGER PRIMARY KEY,
    questionnaire JSONTEXT NOT NULL,
    deadline TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL
);

CREATE TABLE drafts (
    cycle INTEGER NOT NULL REFERENCES cycles (year),
    state TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    answers JSONTEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (cycle, state)
);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    cycle INTEGER NOT NULL REFERENCES cycles (year),
    state TEXT NOT NULL,
    draft_version INTEGER NOT NULL,
    answers JSONTEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    UNIQUE (cycle, state, draft_version)
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    account INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
