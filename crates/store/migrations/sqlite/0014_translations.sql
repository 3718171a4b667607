-- Every text of the registry in four languages (issue #11): one row per translated field of a
-- record, with the language it was written in, the other languages' texts (JSON: a text or a
-- list), who made each, and for a name which language's text is the official name. A registry
-- table like the others: versioned in registry_versions, audited, exported.
CREATE TABLE translations (
    id TEXT PRIMARY KEY, of_table TEXT NOT NULL, record TEXT NOT NULL, field TEXT NOT NULL,
    written_in TEXT NOT NULL, official TEXT, texts JSONTEXT NOT NULL, made_by JSONTEXT, note TEXT
);

-- An acceptance reads one State's part of the registry (observa_domain::part): made_by State.
CREATE INDEX organisations_state ON organisations (state);
CREATE INDEX plans_state ON plans (state);
CREATE INDEX bodies_state ON bodies (state);
CREATE INDEX members_state ON members (state);
CREATE INDEX local_expressions_state ON local_expressions (state);
CREATE INDEX agreements_state ON agreements (state);
CREATE INDEX contributions_state ON contributions (state);
CREATE INDEX actions_state ON actions (state);
CREATE INDEX laws_state ON laws (state);
CREATE INDEX services_state ON services (state);
CREATE INDEX participation_state ON participation (state);
CREATE INDEX protection_state ON protection (state);
CREATE INDEX evaluations_state ON evaluations (state);
CREATE INDEX responses_state ON responses (state);
CREATE INDEX corrections_state ON corrections (state);
CREATE INDEX disagreements_state ON disagreements (state);
CREATE INDEX translations_record ON translations (record);
