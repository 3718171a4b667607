-- Plan monitoring (issue #12). A plan's action matrix is one versioned JSON document (it is
-- always read whole); its reporting periods, progress reports, their comments, reopenings and
-- evidence are rows. Values are kept as the text entered (a decimal), never rounded by a float
-- column. `latest_approved` holds each indicator's latest approved period, written in the same
-- transaction as every decision, so the regional dashboard reads one row per indicator.

-- Plan coordinators: a new role, scoped to their States like liaison officers. SQLite cannot
-- alter a CHECK constraint; the documented way for a constraint that only widens is to rewrite
-- the table's stored definition (https://sqlite.org/lang_altertable.html, "otheralter").
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''analyst'', ''liaison'')', '''analyst'', ''liaison'', ''coordinator'')')
    WHERE type = 'table' AND name = 'accounts';
PRAGMA writable_schema = OFF;

CREATE TABLE matrices (
    plan TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    body JSONTEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE monitoring_periods (
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    start TEXT NOT NULL,
    end_date TEXT NOT NULL,
    PRIMARY KEY (plan, indicator, start)
);

CREATE TABLE progress_reports (
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    period_end TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    value TEXT,
    no_data TEXT,
    breakdown JSONTEXT NOT NULL DEFAULT '{}',
    narrative TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL,
    late BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    PRIMARY KEY (plan, indicator, period)
);
CREATE INDEX progress_reports_status ON progress_reports (status, state);

CREATE TABLE latest_approved (
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period_end TEXT NOT NULL,
    PRIMARY KEY (plan, indicator)
);

CREATE TABLE progress_comments (
    id INTEGER PRIMARY KEY,
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX progress_comments_report ON progress_comments (plan, indicator, period);

CREATE TABLE period_reopenings (
    id INTEGER PRIMARY KEY,
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    until TEXT NOT NULL,
    reopened_by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX period_reopenings_plan ON period_reopenings (plan);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    plan TEXT NOT NULL,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    public BOOLEAN NOT NULL DEFAULT 0,
    content BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX evidence_report ON evidence (plan, indicator, period);
