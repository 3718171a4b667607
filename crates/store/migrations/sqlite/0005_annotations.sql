-- Analysts' annotations (see observa-domain's editorial module): a SWOT item filed under another
-- theme, a State's reply to its Rio assessment. Versioned like the editorial blocks.

CREATE TABLE annotations (
    cycle INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('swot-theme', 'rio-reply')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (cycle, kind, subject)
);
