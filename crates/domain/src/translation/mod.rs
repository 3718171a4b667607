//! Every text of the registry in the four languages.
//!
//! A record keeps its text as it was written (the bundled data: the curators' English summaries
//! of the 2014 report; later answers: the officer's language). A [`Translation`] holds, for one
//! field of one record, the same text in the other languages, the language it was written in,
//! who made each translation (the curators, an analyst), and for a name, which language's text
//! is the official name (Chile's "Ministry of Justice" is officially "Ministerio de Justicia").
//! Translations are a registry table like any other, so they are versioned, audited and
//! exported with the records they translate.
//!
//! [`FIELDS`] is the one list of the fields that are translated; [`coverage`] counts, per table
//! and language, how many of them have a text; [`Dataset::localized`] is the registry as read in
//! one language, with each text in that language where there is one.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::history::{key, records};
use crate::{Dataset, Lang};

mod reading;
pub use reading::TextKey;

/// The fields of each table that hold text a reader reads (names and prose; not ids, codes,
/// dates, numbers, kinds or the report's table captions). `source.note` is the curators' note
/// on a record's source.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("documents", &["title", "note"]),
    ("organisations", &["name"]),
    ("plans", &["name", "summary", "changes_from_previous", "no_new_plan_reason", "adopted_wording", "source.note"]),
    ("bodies", &["name", "summary", "rights_perspective", "legal_basis", "source.note"]),
    ("members", &["functions", "source.note"]),
    ("local_expressions", &["name", "summary", "source.note"]),
    ("agreements", &["name", "subject", "source.note"]),
    ("contributions", &["summary", "source.note"]),
    ("actions", &["name", "summary", "target_population", "evaluation_result", "source.note"]),
    ("laws", &["title", "summary", "source.note"]),
    (
        "services",
        &["name", "method", "population", "evaluation_result", "integration_note", "weaknesses", "source.note"],
    ),
    ("participation", &["heard_how", "organisations_how", "self_protection_how", "source.note"]),
    ("protection", &["difficulties", "improvements", "effectiveness", "plan_provisions", "source.note"]),
    ("evaluations", &["summary", "source.note"]),
    ("responses", &["institutions", "source.note"]),
    ("swot", &["text", "theme"]),
    ("treaties", &["depositary", "source.note"]),
    ("corrections", &["why", "source.note"]),
    ("disagreements", &["topic", "first", "second", "conclusion"]),
];

/// The fields of `table` that are translated.
pub fn fields(table: &str) -> &'static [&'static str] {
    FIELDS.iter().find(|(t, _)| *t == table).map_or(&[], |(_, f)| f)
}

/// One text in one language: a single text, or a list item by item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Text {
    One(String),
    List(Vec<String>),
}

impl Text {
    /// The text as the record's field would hold it.
    pub fn to_value(&self) -> Value {
        match self {
            Text::One(s) => Value::String(s.clone()),
            Text::List(items) => Value::from(items.clone()),
        }
    }
}

/// Who made a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// The curators (the bundled data).
    #[default]
    Curators,
    /// An analyst of the secretariat, who made or reviewed it.
    Analyst,
}

/// One field of one record in the languages other than the one it was written in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(from = "Entry")]
pub struct Translation {
    /// `<table>/<record>/<field>`.
    pub id: String,
    /// The table of the record translated.
    pub of_table: String,
    pub record: String,
    pub field: String,
    /// The language the record's own text is written in.
    pub written_in: Lang,
    /// For a name: the language whose text is the official name (the record's own text when
    /// it is `from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<Lang>,
    pub texts: BTreeMap<Lang, Text>,
    /// Who made each translation; the curators unless said.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub made_by: BTreeMap<Lang, By>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a data file or a stored row may say: the texts in a `texts` map or one key per
/// language (`es = "..."`), the id left to be made; a data file may say `table`, `from` and
/// `by` for short.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    id: String,
    #[serde(alias = "table")]
    of_table: String,
    record: String,
    field: String,
    #[serde(default = "english", alias = "from")]
    written_in: Lang,
    official: Option<Lang>,
    #[serde(default)]
    texts: BTreeMap<Lang, Text>,
    en: Option<Text>,
    es: Option<Text>,
    pt: Option<Text>,
    fr: Option<Text>,
    #[serde(default, alias = "by")]
    made_by: BTreeMap<Lang, By>,
    note: Option<String>,
}

fn english() -> Lang {
    Lang::En
}

impl From<Entry> for Translation {
    fn from(e: Entry) -> Self {
        let mut texts = e.texts;
        for (lang, text) in [(Lang::En, e.en), (Lang::Es, e.es), (Lang::Pt, e.pt), (Lang::Fr, e.fr)] {
            if let Some(text) = text {
                texts.insert(lang, text);
            }
        }
        let id = if e.id.is_empty() { format!("{}/{}/{}", e.of_table, e.record, e.field) } else { e.id };
        Translation {
            id,
            of_table: e.of_table,
            record: e.record,
            field: e.field,
            written_in: e.written_in,
            official: e.official,
            texts,
            made_by: e.made_by,
            note: e.note,
        }
    }
}

/// A field's value, `source.note` read as the `note` of the `source` object.
pub fn field_value<'a>(record: &'a Value, field: &str) -> Option<&'a Value> {
    field.split('.').try_fold(record, |v, part| v.get(part)).filter(|v| !v.is_null())
}

/// Whether `text` can stand for `value`: a text for a text, a list of the same length for a list.
fn fits(value: &Value, text: &Text) -> bool {
    match (value, text) {
        (Value::String(_), Text::One(_)) => true,
        (Value::Array(items), Text::List(list)) => items.len() == list.len(),
        _ => false,
    }
}

/// Every problem of the dataset's translations, reported as [`Dataset::validate`] does.
pub(crate) fn check(ds: &Dataset, report: &mut dyn FnMut(String, String)) {
    let Ok(all) = records(ds) else { return };
    let index: HashMap<(&str, String), &Value> =
        all.iter().flat_map(|(table, rows)| rows.iter().map(move |r| ((*table, key(table, r)), r))).collect();
    for t in &ds.translations {
        let place = format!("translations.{}", t.id);
        if !fields(&t.of_table).contains(&t.field.as_str()) {
            report(place, format!("`{}.{}` is not a translated field", t.of_table, t.field));
            continue;
        }
        let Some(record) = index.get(&(t.of_table.as_str(), t.record.clone())) else {
            report(place, format!("no record of {} has the key `{}`", t.of_table, t.record));
            continue;
        };
        let Some(value) = field_value(record, &t.field) else {
            report(place, "the record has no text in this field".into());
            continue;
        };
        if t.texts.contains_key(&t.written_in) {
            report(place.clone(), format!("the text is written in {}: no translation into it", t.written_in.code()));
        }
        if let Some(official) = t.official.filter(|l| *l != t.written_in && !t.texts.contains_key(l)) {
            report(
                place.clone(),
                format!("the official name is in {} but there is no {} text", official.code(), official.code()),
            );
        }
        for (lang, text) in &t.texts {
            if !fits(value, text) {
                report(
                    place.clone(),
                    format!(
                        "the {} text does not have the field's shape (a text, or a list of the same length)",
                        lang.code()
                    ),
                );
            }
        }
    }
}

/// How many texts of one table have one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub table: &'static str,
    pub lang: Lang,
    pub texts: usize,
    pub present: usize,
}

/// Per table and language: the texts of [`FIELDS`] the registry holds, and how many of them
/// exist in that language (written in it, or translated into it).
pub fn coverage(ds: &Dataset) -> Vec<Coverage> {
    let index = ds.translation_index();
    let Ok(all) = records(ds) else { return Vec::new() };
    let mut out = Vec::new();
    for (table, rows) in &all {
        let texts: Vec<(String, &str)> = rows
            .iter()
            .flat_map(|r| {
                fields(table).iter().filter(|f| field_value(r, f).is_some()).map(move |f| (key(table, r), *f))
            })
            .collect();
        if texts.is_empty() {
            continue;
        }
        for lang in Lang::ALL {
            let present = texts
                .iter()
                .filter(|(record, field)| match index.get(&(*table, record.as_str(), *field)) {
                    Some(t) => t.written_in == lang || t.texts.contains_key(&lang),
                    None => lang == Lang::En,
                })
                .count();
            out.push(Coverage { table, lang, texts: texts.len(), present });
        }
    }
    out
}

/// The texts of a registry before a State's answers are projected onto it, to tell which the
/// answers wrote ([`Before::written_by_answers`]); read once per projection.
pub(crate) struct Before {
    was: HashMap<(&'static str, String), Value>,
}

impl Before {
    pub(crate) fn of(before: &Dataset) -> Before {
        let was = records(before)
            .unwrap_or_default()
            .into_iter()
            .flat_map(|(table, rows)| rows.into_iter().map(move |r| ((table, key(table, &r)), r)))
            .collect();
        Before { was }
    }

    /// After a State's answers are projected onto its records (`tables`, the registry's JSON),
    /// each text they wrote or changed is said to be written in `lang`, the language the State
    /// answers in, and waits for its translations: a translation of the text it replaced would
    /// say something else, so it is replaced by one that holds none yet. A text the answers
    /// emptied loses its translation.
    pub(crate) fn written_by_answers(
        &self,
        tables: &mut serde_json::Map<String, Value>,
        state: &str,
        lang: Lang,
        document: &str,
    ) {
        let mut written = Vec::new();
        let mut gone = Vec::new();
        for (table, _) in FIELDS {
            let Some(Value::Array(now)) = tables.get(*table) else { continue };
            for row in now.iter().filter(|r| r.get("state").and_then(Value::as_str) == Some(state)) {
                let record = key(table, row);
                let was = self.was.get(&(*table, record.clone()));
                for field in fields(table) {
                    let text = field_value(row, field);
                    let before = was.and_then(|r| field_value(r, field));
                    if text.is_none() && before.is_some() {
                        // The answers emptied it (a new source has no note): nothing left to translate.
                        gone.push(format!("{table}/{record}/{field}"));
                    }
                    if text.is_some() && text != before {
                        written.push(Translation {
                            id: format!("{table}/{record}/{field}"),
                            of_table: table.to_string(),
                            record: record.clone(),
                            field: field.to_string(),
                            written_in: lang,
                            official: None,
                            texts: BTreeMap::new(),
                            made_by: BTreeMap::new(),
                            note: Some(format!("Written by the State in {document}; not translated yet.")),
                        });
                    }
                }
            }
        }
        let Some(Value::Array(rows)) = tables.get_mut("translations") else { return };
        rows.retain(|r| !r.get("id").and_then(Value::as_str).is_some_and(|id| gone.iter().any(|g| g == id)));
        for t in written {
            let Ok(value) = serde_json::to_value(&t) else { continue };
            match rows.iter_mut().find(|r| r.get("id").and_then(Value::as_str) == Some(t.id.as_str())) {
                Some(row) => *row = value,
                None => rows.push(value),
            }
        }
    }
}

/// The language a State answers the questionnaire in: the language of its last approved plan,
/// else of any of its plans, else Spanish, the region's most common.
pub fn answers_language(ds: &Dataset, state: &str) -> Lang {
    let plans = || ds.plans.iter().filter(|p| p.state.as_str() == state);
    plans().find(|p| p.last_approved).or_else(|| plans().next()).map_or(Lang::Es, |p| p.lang)
}

/// A text that lacks one language or more.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Pending {
    /// The State whose record it is (none for a regional record).
    pub state: Option<String>,
    pub table: &'static str,
    pub record: String,
    pub field: &'static str,
    pub written_in: Lang,
    pub missing: Vec<Lang>,
    /// The text as written.
    pub text: Value,
}

/// Every text of [`FIELDS`] that lacks a language, in the registry's order.
pub fn pending(ds: &Dataset) -> Vec<Pending> {
    let index = ds.translation_index();
    let Ok(all) = records(ds) else { return Vec::new() };
    let mut out = Vec::new();
    for (table, rows) in &all {
        for row in rows {
            let record = key(table, row);
            for field in fields(table) {
                let Some(text) = field_value(row, field) else { continue };
                let held = index.get(&(*table, record.as_str(), *field));
                let written_in = held.map_or(Lang::En, |t| t.written_in);
                let missing: Vec<Lang> = Lang::ALL
                    .into_iter()
                    .filter(|lang| *lang != written_in && !held.is_some_and(|t| t.texts.contains_key(lang)))
                    .collect();
                if !missing.is_empty() {
                    let state = row.get("state").and_then(Value::as_str).map(String::from);
                    out.push(Pending {
                        state,
                        table,
                        record: record.clone(),
                        field,
                        written_in,
                        missing,
                        text: text.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Each text of [`FIELDS`] that lacks a language: `table record field: no es, pt text`.
pub fn missing(ds: &Dataset) -> Vec<String> {
    pending(ds)
        .into_iter()
        .map(|p| {
            let lacking: Vec<&str> = p.missing.iter().map(|l| l.code()).collect();
            format!("{} {} {}: no {} text", p.table, p.record, p.field, lacking.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_text_exists_in_the_four_languages() {
        let ds = crate::analysis::bundled();
        assert_eq!(missing(&ds), Vec::<String>::new());
        let coverage = coverage(&ds);
        assert!(coverage.len() >= 4 * 15, "most tables hold texts: {}", coverage.len());
        assert!(coverage.iter().all(|c| c.present == c.texts), "{coverage:?}");
        assert_eq!(pending(&ds), vec![], "no text waits for a language");
    }

    #[test]
    fn a_reading_in_one_language_shows_its_texts_and_official_names_with_the_translation_beside() {
        let ds = crate::analysis::bundled();
        let name = |ds: &Dataset| ds.organisations.iter().find(|o| o.id == "cl-ministry-justice").unwrap().name.clone();
        assert_eq!(name(&ds), "Ministry of Justice", "the record keeps the seed's text");
        assert_eq!(name(&ds.localized(Lang::Es).unwrap()), "Ministerio de Justicia");
        assert_eq!(name(&ds.localized(Lang::En).unwrap()), "Ministerio de Justicia (Ministry of Justice)");
        assert_eq!(name(&ds.localized(Lang::Fr).unwrap()), "Ministerio de Justicia (Ministère de la Justice)");
        let es = ds.localized(Lang::Es).unwrap();
        let summary = |ds: &Dataset| ds.actions.iter().find(|a| a.state.as_str() == "CL").unwrap().summary.clone();
        assert_ne!(summary(&es), summary(&ds), "a summary reads in Spanish");
        assert_eq!(es.validate(), vec![], "a reading is a sound registry");
        // A plan's name is official in its own language; the reader's translation goes beside it.
        let plan = es.plans.iter().find(|p| p.id == "cl-segundo-marco-2012").unwrap();
        assert!(plan.name.starts_with("Segundo Marco"), "{}", plan.name);
        let fr = ds.localized(Lang::Fr).unwrap();
        let plan = fr.plans.iter().find(|p| p.id == "cl-segundo-marco-2012").unwrap();
        assert!(plan.name.starts_with("Segundo Marco") && plan.translations.contains_key(&Lang::Fr), "{plan:?}");
    }

    #[test]
    fn a_translation_that_does_not_fit_its_text_is_refused_naming_it() {
        let mut ds = crate::analysis::bundled();
        let t = |ds: &Dataset, id: &str| ds.translations.iter().position(|t| t.id == id).unwrap();
        let i = t(&ds, "organisations/cl-ministry-justice/name");
        ds.translations[i].texts.insert(Lang::En, Text::One("again".into()));
        let j = t(&ds, "services/cr-service-1/weaknesses");
        ds.translations[j].texts.insert(Lang::Es, Text::List(vec![]));
        let mut wrong = ds.translations[i].clone();
        wrong.id = "organisations/no-such/name".into();
        wrong.record = "no-such".into();
        ds.translations.push(wrong);
        let problems: Vec<String> = ds.validate().iter().map(ToString::to_string).collect();
        assert!(
            problems.iter().any(|p| p.contains("cl-ministry-justice/name") && p.contains("written in en")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains("cr-service-1/weaknesses") && p.contains("shape")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("no-such") && p.contains("no record")), "{problems:?}");
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
