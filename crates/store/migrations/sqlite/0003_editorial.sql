-- Editorial blocks of the annual report (see observa-domain's editorial module): one Markdown
-- text per cycle, block and language. `version` grows with each save so that two analysts
-- editing the same block cannot overwrite each other unnoticed.

CREATE TABLE editorial (
    cycle INTEGER NOT NULL,
    key TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'es', 'pt', 'fr')),
    body TEXT NOT NULL,
    source TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (cycle, key, lang)
);
