-- The registry's history: every version of every record, in the order it was recorded. The
-- registry tables hold the current version of each open record; this table is what "as of a
-- cycle" and "what changed" read. A version without a body closes its record. Append-only.
CREATE TABLE registry_versions (
    seq INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    record TEXT NOT NULL,
    body JSONTEXT,
    cycle INTEGER NOT NULL,
    effective TEXT NOT NULL,
    established_by TEXT NOT NULL,
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX registry_versions_record ON registry_versions (tbl, record, seq);

CREATE TRIGGER registry_versions_no_update BEFORE UPDATE ON registry_versions
BEGIN SELECT RAISE(ABORT, 'the registry history is append-only'); END;
CREATE TRIGGER registry_versions_no_delete BEFORE DELETE ON registry_versions
BEGIN SELECT RAISE(ABORT, 'the registry history is append-only'); END;
