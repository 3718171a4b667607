//! The secretariat's own text, kept in the database beside the registry: editorial blocks (the
//! parts of the annual report analysts write: introduction, methodology, conclusions,
//! recommendations; one Markdown text per cycle, key and language; the 2014 blocks ship as
//! `data/editorial/2014.toml` and seed a fresh database) and annotations (an analyst's regrouping
//! of a SWOT item under another theme; a State's reply to its assessment against the Rio
//! commitment). Every save names the version it was based on.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Lang;

/// The blocks a report has, in the order it prints them.
pub const KEYS: [&str; 4] = ["introduction", "methodology", "conclusions", "recommendations"];

/// The longest block accepted (characters): a report section, not a book.
pub const MAX_BODY: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EditorialBlock {
    pub cycle: i32,
    pub key: String,
    pub lang: Lang,
    /// Markdown: paragraphs, lists, bold, italics.
    pub body: String,
    /// Where the text draws from (sections of the source), in the curators' words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Increases by one with every save; a save names the version it started from.
    #[serde(default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

impl EditorialBlock {
    /// Checks what an analyst may save: a known key, a body within bounds.
    pub fn check(&self) -> Result<(), String> {
        if !KEYS.contains(&self.key.as_str()) {
            return Err(format!("`{}` is not an editorial block; expected one of {}", self.key, KEYS.join(", ")));
        }
        if !(1990..=2100).contains(&self.cycle) {
            return Err(format!("cycle {} is not a plausible year", self.cycle));
        }
        let chars = self.body.chars().count();
        if chars > MAX_BODY {
            return Err(format!("the text has {chars} characters; at most {MAX_BODY} are accepted"));
        }
        Ok(())
    }
}

/// The blocks of one cycle and language, by key.
pub fn by_key(blocks: &[EditorialBlock], cycle: i32, lang: Lang) -> BTreeMap<String, String> {
    blocks.iter().filter(|b| b.cycle == cycle && b.lang == lang).map(|b| (b.key.clone(), b.body.clone())).collect()
}

/// What an annotation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationKind {
    /// `subject` is a SWOT item id; `body` the theme an analyst files it under.
    SwotTheme,
    /// `subject` is a State code; `body` the State's reply to its Rio assessment.
    RioReply,
}

impl AnnotationKind {
    pub fn code(self) -> &'static str {
        match self {
            AnnotationKind::SwotTheme => "swot-theme",
            AnnotationKind::RioReply => "rio-reply",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [AnnotationKind::SwotTheme, AnnotationKind::RioReply].into_iter().find(|k| k.code() == code)
    }

    fn max_chars(self) -> usize {
        match self {
            AnnotationKind::SwotTheme => 80,
            AnnotationKind::RioReply => 5_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub cycle: i32,
    pub kind: AnnotationKind,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

impl Annotation {
    pub fn check(&self) -> Result<(), String> {
        let chars = self.body.chars().count();
        if chars > self.kind.max_chars() {
            return Err(format!("the text has {chars} characters; at most {} are accepted", self.kind.max_chars()));
        }
        if self.kind == AnnotationKind::SwotTheme && self.body.trim().is_empty() {
            return Err("a theme needs a name".to_string());
        }
        Ok(())
    }
}

/// The annotations of one kind as subject → text (a SWOT regrouping, the Rio replies).
pub fn annotation_map(annotations: &[Annotation], kind: AnnotationKind) -> BTreeMap<String, String> {
    annotations.iter().filter(|a| a.kind == kind).map(|a| (a.subject.clone(), a.body.trim().to_string())).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    cycle: i32,
    block: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    key: String,
    lang: Lang,
    body: String,
    #[serde(default)]
    source: Option<String>,
}

/// Reads an editorial data file; every problem names the file and the block.
pub fn parse_file(name: &str, text: &str) -> Result<Vec<EditorialBlock>, String> {
    let file: File = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    let mut seen = BTreeSet::new();
    let mut blocks = Vec::new();
    for (i, e) in file.block.into_iter().enumerate() {
        let block = EditorialBlock {
            cycle: file.cycle,
            key: e.key,
            lang: e.lang,
            body: e.body,
            source: e.source,
            version: 0,
            updated_at: None,
            updated_by: None,
        };
        block.check().map_err(|m| format!("{name}: block {}: {m}", i + 1))?;
        if !seen.insert((block.key.clone(), block.lang)) {
            return Err(format!("{name}: block {}: `{}` in {} appears twice", i + 1, block.key, block.lang.code()));
        }
        blocks.push(block);
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_2014_blocks_cover_every_key_in_four_languages() {
        let blocks = parse_file("2014.toml", include_str!("../../../data/editorial/2014.toml")).unwrap();
        for lang in Lang::ALL {
            let map = by_key(&blocks, 2014, lang);
            for key in KEYS {
                assert!(map.get(key).is_some_and(|b| b.split_whitespace().count() > 60), "{key} in {}", lang.code());
            }
        }
    }

    #[test]
    fn unknown_keys_duplicates_and_huge_bodies_are_refused_with_their_place() {
        let unknown = "cycle = 2015\n[[block]]\nkey = \"preface\"\nlang = \"en\"\nbody = \"x\"\n";
        assert!(parse_file("f.toml", unknown).unwrap_err().contains("f.toml: block 1: `preface`"));
        let twice = "cycle = 2015\n[[block]]\nkey = \"introduction\"\nlang = \"es\"\nbody = \"x\"\n[[block]]\nkey = \"introduction\"\nlang = \"es\"\nbody = \"y\"\n";
        assert!(parse_file("f.toml", twice).unwrap_err().contains("block 2"));
        let huge = format!(
            "cycle = 2015\n[[block]]\nkey = \"introduction\"\nlang = \"en\"\nbody = \"{}\"\n",
            "a".repeat(MAX_BODY + 1)
        );
        assert!(parse_file("f.toml", &huge).unwrap_err().contains("at most"));
    }
}
