-- Plans in design: a State's next plan while the secretariat helps to write it, one versioned
-- JSON document (an action matrix) per draft, always read whole. `origin` says whether it was
-- carried over from the last plan's matrix or started from the plan's registry record.
CREATE TABLE plan_drafts (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    based_on TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('matrix', 'record')),
    body JSONTEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX plan_drafts_state ON plan_drafts (state);
