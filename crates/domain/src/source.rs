//! Where every fact comes from, and what the curators changed.
//!
//! Each record carries a [`Source`]: the document and the place in it (section, table, page,
//! footnote). A [`Correction`] records where the curated data departs from the source and why;
//! a [`Disagreement`] records two sources (or two places of one source) that do not agree.
//! Both are listed by `observa check` in the curation report.

use serde::{Deserialize, Serialize};

use crate::state::StateCode;

/// The seed report, the default document of every source reference.
pub const SEED_DOCUMENT: &str = "iin-2014";

fn seed_document() -> String {
    SEED_DOCUMENT.to_string()
}

fn is_seed(doc: &str) -> bool {
    doc == SEED_DOCUMENT
}

/// A reference to the place a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document id (see `documents`); the 2014 report when omitted.
    #[serde(default = "seed_document", skip_serializing_if = "is_seed")]
    pub doc: String,
    /// Section of the document, e.g. `IV.1.1` or `Appendix 3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footnote: Option<u32>,
    /// A curator's note on how the fact was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for Source {
    fn default() -> Self {
        Source { doc: seed_document(), section: None, table: None, page: None, footnote: None, note: None }
    }
}

impl Source {
    pub fn section(section: &str) -> Self {
        Source { section: Some(section.to_string()), ..Default::default() }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.doc)?;
        if let Some(s) = &self.section {
            write!(f, ", {s}")?;
        }
        if let Some(t) = &self.table {
            write!(f, ", table {t}")?;
        }
        if let Some(p) = self.page {
            write!(f, ", p. {p}")?;
        }
        if let Some(n) = self.footnote {
            write!(f, ", note {n}")?;
        }
        Ok(())
    }
}

/// A document the data is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A place where the curated data departs from what the source says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateCode>,
    /// What was corrected: a record id and field, e.g. `appendix3/GD/name`.
    pub subject: String,
    /// What the source says, verbatim.
    pub source_says: String,
    /// What the data records instead.
    pub recorded: String,
    pub why: String,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// Two sources that do not agree about the same fact; neither is silently preferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disagreement {
    #[serde(default)]
    #[schema(required = true)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<StateCode>,
    pub topic: String,
    /// The first place and what it says.
    pub first: String,
    /// The second place and what it says.
    pub second: String,
    /// What the curators concluded, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
}
