-- Plans in design, as SQLite's 0018_plan_drafts: the same table and columns.
CREATE TABLE plan_drafts (
    id bigserial PRIMARY KEY,
    state text NOT NULL,
    title text NOT NULL,
    based_on text NOT NULL,
    origin text NOT NULL CHECK (origin IN ('matrix', 'record')),
    body jsontext NOT NULL,
    version bigint NOT NULL,
    created_by text NOT NULL,
    created_at text NOT NULL,
    updated_by text NOT NULL,
    updated_at text NOT NULL
);
CREATE INDEX plan_drafts_state ON plan_drafts (state);
