-- The whole schema as SQLite's migrations 0001..0013 left it, for PostgreSQL. Append-only: change
-- it in a new file. Same tables, columns and column order as SQLite, so `tables()` and `load()`
-- answer the same on both engines (CSV columns come from this order).
-- Types: text for ISO dates and enum values; `jsontext` (a domain over text) for lists, maps and
-- sources, which the store reads back as JSON; boolean for flags; bigint for SQLite's INTEGER.
-- Registry tables (and sign_in_attempts) end with `_row`, a serial the store orders by to keep
-- insertion order (SQLite's rowid) and leaves out of every answer.

CREATE DOMAIN jsontext AS text;

CREATE FUNCTION observa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;

CREATE TABLE documents (
    id text PRIMARY KEY, title text NOT NULL, publisher text NOT NULL, year bigint NOT NULL,
    url text, note text, _row bigserial
);

CREATE TABLE states (
    code text PRIMARY KEY, name_en text NOT NULL, name_es text NOT NULL, name_pt text NOT NULL,
    name_fr text NOT NULL, "numeric" text NOT NULL, _row bigserial
);

CREATE TABLE organisations (
    id text PRIMARY KEY, state text REFERENCES states(code), name text NOT NULL, acronym text,
    sector text NOT NULL, aliases jsontext, _row bigserial
);

CREATE TABLE plans (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), name text NOT NULL,
    lang text NOT NULL, translations jsontext, acronym text, kind text NOT NULL, adopted text NOT NULL,
    adopted_wording text, validity jsontext NOT NULL, last_approved boolean, links jsontext,
    summary text, changes_from_previous text, no_new_plan_reason text, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE bodies (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), name text NOT NULL, acronym text,
    legal_basis text, established text, plans jsontext, summary text, rights_perspective text,
    local_expression text NOT NULL, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE members (
    id text PRIMARY KEY, body text NOT NULL REFERENCES bodies(id), state text NOT NULL REFERENCES states(code),
    organisation text NOT NULL REFERENCES organisations(id), role text NOT NULL, functions text,
    components jsontext, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE local_expressions (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), body text REFERENCES bodies(id),
    kind text NOT NULL, name text, places jsontext, summary text, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE agreements (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), name text NOT NULL,
    parties jsontext NOT NULL, date text, subject text NOT NULL, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE contributions (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), plan text REFERENCES plans(id),
    organisation text NOT NULL REFERENCES organisations(id), kinds jsontext NOT NULL, summary text,
    source jsontext NOT NULL, _row bigserial
);

CREATE TABLE actions (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), plan text REFERENCES plans(id),
    focal_point text NOT NULL, kind text NOT NULL, name text NOT NULL, summary text, target_population text,
    organisations jsontext, period text, link text, impact_evaluation text NOT NULL, evaluation_result text,
    source jsontext NOT NULL, _row bigserial
);

CREATE TABLE laws (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), kind text NOT NULL, number text,
    date text, title text NOT NULL, lang text NOT NULL, translations jsontext, summary text,
    amends jsontext, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE services (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), name text NOT NULL,
    management text NOT NULL, population text, method text, rights_perspective text NOT NULL,
    integrated text NOT NULL, integration_note text, evaluation text NOT NULL, evaluation_result text,
    weaknesses jsontext, figures jsontext, organisations jsontext, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE participation (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), plan text REFERENCES plans(id),
    children_heard text NOT NULL, heard_how text, organisations_in_actions text NOT NULL,
    organisations_how text, self_protection text NOT NULL, self_protection_how text, source jsontext NOT NULL,
    _row bigserial
);

CREATE TABLE protection (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), plan text REFERENCES plans(id),
    plan_provisions text, effective text NOT NULL, effectiveness text, difficulties jsontext,
    improvements jsontext, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE evaluations (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), plan text REFERENCES plans(id),
    status text NOT NULL, summary text, difficulties jsontext, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE responses (
    id text PRIMARY KEY, state text NOT NULL REFERENCES states(code), cycle bigint NOT NULL,
    institutions jsontext, listed_in_appendix boolean, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE swot (
    id text PRIMARY KEY, category text NOT NULL, theme text NOT NULL, "text" text NOT NULL,
    states bigint NOT NULL, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE treaties (
    code text PRIMARY KEY, name_en text NOT NULL, name_es text NOT NULL, name_pt text NOT NULL,
    name_fr text NOT NULL, adopted text NOT NULL, depositary text NOT NULL, entry_into_force text,
    source jsontext NOT NULL, _row bigserial
);

CREATE TABLE ratifications (
    state text NOT NULL REFERENCES states(code), treaty text NOT NULL REFERENCES treaties(code),
    status text NOT NULL, date text, source_text text NOT NULL, source jsontext NOT NULL, _row bigserial,
    PRIMARY KEY (state, treaty)
);

CREATE TABLE reports (
    state text NOT NULL REFERENCES states(code), treaty text NOT NULL REFERENCES treaties(code),
    sequence bigint NOT NULL, source_ratification_text text, source_ratification text,
    source_due_text text, source_due text, distributed_text text, distributed text, session_text text,
    session_from text, session_to text, source jsontext NOT NULL, _row bigserial,
    PRIMARY KEY (state, treaty, sequence)
);

CREATE TABLE corrections (
    id text PRIMARY KEY, state text REFERENCES states(code), subject text NOT NULL,
    source_says text NOT NULL, recorded text NOT NULL, why text NOT NULL, source jsontext NOT NULL, _row bigserial
);

CREATE TABLE disagreements (
    id text PRIMARY KEY, state text REFERENCES states(code), topic text NOT NULL,
    "first" text NOT NULL, "second" text NOT NULL, conclusion text, _row bigserial
);

CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

-- The append-only audit log (see observa-domain's audit module).
CREATE TABLE audit (
    seq bigint PRIMARY KEY,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    subject text NOT NULL,
    before text,
    after text,
    prev_hash text NOT NULL,
    hash text NOT NULL UNIQUE
);
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION observa_append_only('the audit log is append-only');
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION observa_append_only('the audit log is append-only');

CREATE TABLE editorial (
    cycle bigint NOT NULL,
    key text NOT NULL,
    lang text NOT NULL CHECK (lang IN ('en', 'es', 'pt', 'fr')),
    body text NOT NULL,
    source text,
    version bigint NOT NULL CHECK (version >= 1),
    updated_at text NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (cycle, key, lang)
);

CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('administrator', 'analyst', 'liaison')),
    states jsontext NOT NULL DEFAULT '[]',
    password_hash text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT true,
    disabled boolean NOT NULL DEFAULT false,
    created_at text NOT NULL,
    totp_secret text,
    totp_last_step bigint NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf text NOT NULL,
    created_at text NOT NULL,
    last_seen text NOT NULL,
    second_factor_pending boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_account ON sessions (account);

CREATE TABLE annotations (
    cycle bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('swot-theme', 'rio-reply')),
    subject text NOT NULL,
    body text NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    updated_at text NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (cycle, kind, subject)
);

CREATE TABLE cycles (
    year bigint PRIMARY KEY,
    questionnaire jsontext NOT NULL,
    deadline text NOT NULL,
    opened_at text NOT NULL,
    opened_by text NOT NULL
);

CREATE TABLE drafts (
    cycle bigint NOT NULL REFERENCES cycles (year),
    state text NOT NULL,
    status text NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    answers jsontext NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    updated_at text NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (cycle, state)
);

CREATE TABLE submissions (
    id bigserial PRIMARY KEY,
    cycle bigint NOT NULL REFERENCES cycles (year),
    state text NOT NULL,
    draft_version bigint NOT NULL,
    answers jsontext NOT NULL,
    submitted_at text NOT NULL,
    submitted_by text NOT NULL,
    UNIQUE (cycle, state, draft_version)
);

CREATE TABLE api_tokens (
    token_hash text PRIMARY KEY,
    account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at text NOT NULL,
    id bigint UNIQUE,
    expires_at text,
    revoked_at text,
    label text NOT NULL DEFAULT ''
);

CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    cycle bigint NOT NULL REFERENCES cycles (year),
    state text NOT NULL,
    question text NOT NULL,
    author text NOT NULL,
    body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    at text NOT NULL
);
CREATE INDEX comments_response ON comments (cycle, state);
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
    FOR EACH ROW EXECUTE FUNCTION observa_append_only('comments are append-only');

CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    to_address text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at text NOT NULL,
    created_by text NOT NULL,
    sent_at text
);

CREATE TABLE password_resets (
    token_hash text PRIMARY KEY,
    account bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at text NOT NULL
);

CREATE TABLE attachments (
    id bigserial PRIMARY KEY,
    cycle bigint NOT NULL REFERENCES cycles (year),
    state text NOT NULL,
    name text NOT NULL,
    media_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    uploaded_at text NOT NULL,
    uploaded_by text NOT NULL
);
CREATE INDEX attachments_response ON attachments (cycle, state);

CREATE TABLE sign_in_attempts (
    key text NOT NULL,
    at text NOT NULL,
    failed boolean NOT NULL DEFAULT true,
    _row bigserial PRIMARY KEY
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at);

CREATE TABLE audit_head (
    one bigint PRIMARY KEY CHECK (one = 1),
    seq bigint NOT NULL,
    hash text NOT NULL,
    mac text NOT NULL
);

CREATE TABLE registry_versions (
    seq bigserial PRIMARY KEY,
    tbl text NOT NULL,
    record text NOT NULL,
    body jsontext,
    cycle bigint NOT NULL,
    effective text NOT NULL,
    established_by text NOT NULL,
    actor text NOT NULL,
    recorded_at text NOT NULL
);
CREATE INDEX registry_versions_record ON registry_versions (tbl, record, seq);
CREATE TRIGGER registry_versions_no_change BEFORE UPDATE OR DELETE ON registry_versions
    FOR EACH ROW EXECUTE FUNCTION observa_append_only('the registry history is append-only');
CREATE TRIGGER registry_versions_no_truncate BEFORE TRUNCATE ON registry_versions
    FOR EACH STATEMENT EXECUTE FUNCTION observa_append_only('the registry history is append-only');
