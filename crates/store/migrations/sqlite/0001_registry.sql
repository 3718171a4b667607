-- The registry, one table per Dataset table. Append-only: change the schema in a new file.
-- Column types: TEXT for ISO dates and enum values; JSONTEXT (TEXT affinity) for lists, maps
-- and sources, which the store reads back as JSON; BOOLEAN for flags.

CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT NOT NULL, year INTEGER NOT NULL,
    url TEXT, note TEXT
);

CREATE TABLE states (
    code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_es TEXT NOT NULL, name_pt TEXT NOT NULL,
    name_fr TEXT NOT NULL, "numeric" TEXT NOT NULL
);

CREATE TABLE organisations (
    id TEXT PRIMARY KEY, state TEXT REFERENCES states(code), name TEXT NOT NULL, acronym TEXT,
    sector TEXT NOT NULL, aliases JSONTEXT
);

CREATE TABLE plans (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), name TEXT NOT NULL,
    lang TEXT NOT NULL, translations JSONTEXT, acronym TEXT, kind TEXT NOT NULL, adopted TEXT NOT NULL,
    adopted_wording TEXT, validity JSONTEXT NOT NULL, last_approved BOOLEAN, links JSONTEXT,
    summary TEXT, changes_from_previous TEXT, no_new_plan_reason TEXT, source JSONTEXT NOT NULL
);

CREATE TABLE bodies (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), name TEXT NOT NULL, acronym TEXT,
    legal_basis TEXT, established TEXT, plans JSONTEXT, summary TEXT, rights_perspective TEXT,
    local_expression TEXT NOT NULL, source JSONTEXT NOT NULL
);

CREATE TABLE members (
    id TEXT PRIMARY KEY, body TEXT NOT NULL REFERENCES bodies(id), state TEXT NOT NULL REFERENCES states(code),
    organisation TEXT NOT NULL REFERENCES organisations(id), role TEXT NOT NULL, functions TEXT,
    components JSONTEXT, source JSONTEXT NOT NULL
);

CREATE TABLE local_expressions (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), body TEXT REFERENCES bodies(id),
    kind TEXT NOT NULL, name TEXT, places JSONTEXT, summary TEXT, source JSONTEXT NOT NULL
);

CREATE TABLE agreements (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), name TEXT NOT NULL,
    parties JSONTEXT NOT NULL, date TEXT, subject TEXT NOT NULL, source JSONTEXT NOT NULL
);

CREATE TABLE contributions (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), plan TEXT REFERENCES plans(id),
    organisation TEXT NOT NULL REFERENCES organisations(id), kinds JSONTEXT NOT NULL, summary TEXT,
    source JSONTEXT NOT NULL
);

CREATE TABLE actions (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), plan TEXT REFERENCES plans(id),
    focal_point TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, summary TEXT, target_population TEXT,
    organisations JSONTEXT, period TEXT, link TEXT, impact_evaluation TEXT NOT NULL, evaluation_result TEXT,
    source JSONTEXT NOT NULL
);

CREATE TABLE laws (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), kind TEXT NOT NULL, number TEXT,
    date TEXT, title TEXT NOT NULL, lang TEXT NOT NULL, translations JSONTEXT, summary TEXT,
    amends JSONTEXT, source JSONTEXT NOT NULL
);

CREATE TABLE services (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), name TEXT NOT NULL,
    management TEXT NOT NULL, population TEXT, method TEXT, rights_perspective TEXT NOT NULL,
    integrated TEXT NOT NULL, integration_note TEXT, evaluation TEXT NOT NULL, evaluation_result TEXT,
    weaknesses JSONTEXT, figures JSONTEXT, organisations JSONTEXT, source JSONTEXT NOT NULL
);

CREATE TABLE participation (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), plan TEXT REFERENCES plans(id),
    children_heard TEXT NOT NULL, heard_how TEXT, organisations_in_actions TEXT NOT NULL,
    organisations_how TEXT, self_protection TEXT NOT NULL, self_protection_how TEXT, source JSONTEXT NOT NULL
);

CREATE TABLE protection (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), plan TEXT REFERENCES plans(id),
    plan_provisions TEXT, effective TEXT NOT NULL, effectiveness TEXT, difficulties JSONTEXT,
    improvements JSONTEXT, source JSONTEXT NOT NULL
);

CREATE TABLE evaluations (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), plan TEXT REFERENCES plans(id),
    status TEXT NOT NULL, summary TEXT, difficulties JSONTEXT, source JSONTEXT NOT NULL
);

CREATE TABLE responses (
    id TEXT PRIMARY KEY, state TEXT NOT NULL REFERENCES states(code), cycle INTEGER NOT NULL,
    institutions JSONTEXT, listed_in_appendix BOOLEAN, source JSONTEXT NOT NULL
);

CREATE TABLE swot (
    id TEXT PRIMARY KEY, category TEXT NOT NULL, theme TEXT NOT NULL, "text" TEXT NOT NULL,
    states INTEGER NOT NULL, source JSONTEXT NOT NULL
);

CREATE TABLE treaties (
    code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_es TEXT NOT NULL, name_pt TEXT NOT NULL,
    name_fr TEXT NOT NULL, adopted TEXT NOT NULL, depositary TEXT NOT NULL, entry_into_force TEXT,
    source JSONTEXT NOT NULL
);

CREATE TABLE ratifications (
    state TEXT NOT NULL REFERENCES states(code), treaty TEXT NOT NULL REFERENCES treaties(code),
    status TEXT NOT NULL, date TEXT, source_text TEXT NOT NULL, source JSONTEXT NOT NULL,
    PRIMARY KEY (state, treaty)
);

CREATE TABLE reports (
    state TEXT NOT NULL REFERENCES states(code), treaty TEXT NOT NULL REFERENCES treaties(code),
    sequence INTEGER NOT NULL, source_ratification_text TEXT, source_ratification TEXT,
    source_due_text TEXT, source_due TEXT, distributed_text TEXT, distributed TEXT, session_text TEXT,
    session_from TEXT, session_to TEXT, source JSONTEXT NOT NULL,
    PRIMARY KEY (state, treaty, sequence)
);

CREATE TABLE corrections (
    id TEXT PRIMARY KEY, state TEXT REFERENCES states(code), subject TEXT NOT NULL,
    source_says TEXT NOT NULL, recorded TEXT NOT NULL, why TEXT NOT NULL, source JSONTEXT NOT NULL
);

CREATE TABLE disagreements (
    id TEXT PRIMARY KEY, state TEXT REFERENCES states(code), topic TEXT NOT NULL,
    "first" TEXT NOT NULL, "second" TEXT NOT NULL, conclusion TEXT
);

-- Facts about the database itself (when it was seeded, from what).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
