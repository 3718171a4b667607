-- Plan monitoring (issue #12), as SQLite's 0016_monitoring: the same tables and columns.

-- Plan coordinators: a new role, scoped to their States like liaison officers.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('administrator', 'analyst', 'liaison', 'coordinator'));

CREATE TABLE matrices (
    plan text PRIMARY KEY,
    state text NOT NULL,
    body jsontext NOT NULL,
    version bigint NOT NULL,
    updated_at text NOT NULL,
    updated_by text NOT NULL
);

CREATE TABLE monitoring_periods (
    plan text NOT NULL,
    indicator text NOT NULL,
    start text NOT NULL,
    end_date text NOT NULL,
    PRIMARY KEY (plan, indicator, start)
);

CREATE TABLE progress_reports (
    plan text NOT NULL,
    indicator text NOT NULL,
    period text NOT NULL,
    period_end text NOT NULL,
    state text NOT NULL,
    status text NOT NULL,
    value text,
    no_data text,
    breakdown jsontext NOT NULL DEFAULT '{}',
    narrative text NOT NULL DEFAULT '',
    lang text NOT NULL,
    late boolean NOT NULL DEFAULT false,
    version bigint NOT NULL,
    updated_by text NOT NULL,
    updated_at text NOT NULL,
    submitted_at text,
    PRIMARY KEY (plan, indicator, period)
);
CREATE INDEX progress_reports_status ON progress_reports (status, state);

CREATE TABLE latest_approved (
    plan text NOT NULL,
    indicator text NOT NULL,
    period_end text NOT NULL,
    PRIMARY KEY (plan, indicator)
);

CREATE TABLE progress_comments (
    id bigserial PRIMARY KEY,
    plan text NOT NULL,
    indicator text NOT NULL,
    period text NOT NULL,
    author text NOT NULL,
    body text NOT NULL,
    at text NOT NULL
);
CREATE INDEX progress_comments_report ON progress_comments (plan, indicator, period);

CREATE TABLE period_reopenings (
    id bigserial PRIMARY KEY,
    plan text NOT NULL,
    indicator text NOT NULL,
    period text NOT NULL,
    until text NOT NULL,
    reopened_by text NOT NULL,
    at text NOT NULL
);
CREATE INDEX period_reopenings_plan ON period_reopenings (plan);

CREATE TABLE evidence (
    id bigserial PRIMARY KEY,
    plan text NOT NULL,
    indicator text NOT NULL,
    period text NOT NULL,
    name text NOT NULL,
    media_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    public boolean NOT NULL DEFAULT false,
    content bytea NOT NULL,
    uploaded_at text NOT NULL,
    uploaded_by text NOT NULL
);
CREATE INDEX evidence_report ON evidence (plan, indicator, period);
