//! The consultation questionnaire as data: parts, sections and questions with stable ids,
//! answer types, labels in the four working languages, and the registry facts each question
//! feeds (its projection). A cycle uses one questionnaire version; a new version copies the last
//! and links each question to its counterpart so answers stay comparable across years.
//!
//! The 2014 form (Appendix 1 of the seed) is `data/questionnaires/2014.toml`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::source::Source;
use crate::Lang;

/// Text in the four working languages.
pub type Labels = BTreeMap<Lang, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerType {
    ShortText,
    LongText,
    YesNoPartial,
    PartialDate,
    Period,
    Choice,
    /// Exactly three items (the SWOT questions).
    ListOfThree,
    /// A repeatable table with typed columns.
    Table,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AnswerType,
    pub label: Labels,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable across versions of one questionnaire (e.g. `coordination.body`).
    pub id: String,
    /// The number printed on the form (e.g. `1.1.1`).
    pub number: String,
    #[serde(rename = "type")]
    pub kind: AnswerType,
    #[serde(default)]
    pub required: bool,
    pub label: Labels,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub help: Labels,
    /// For `choice`: option id → labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, Labels>,
    /// For `table`: its columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Registry facts this answer feeds, as `table.field` (e.g. `plans.name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub projects_to: Vec<String>,
    /// The id of the same question in the previous version, when it changed id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: Labels,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub intro: Labels,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub id: String,
    pub title: Labels,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub intro: Labels,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub id: String,
    pub version: u32,
    /// The cycle (year) it was first used in.
    pub cycle: i32,
    /// The version it was copied from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copied_from: Option<String>,
    pub title: Labels,
    pub parts: Vec<Part>,
    #[serde(default)]
    pub source: Source,
}

/// Registry tables and fields a projection may name.
const PROJECTABLE: [&str; 14] = [
    "plans",
    "bodies",
    "members",
    "organisations",
    "local_expressions",
    "agreements",
    "contributions",
    "actions",
    "laws",
    "services",
    "participation",
    "protection",
    "evaluations",
    "responses",
];

impl Questionnaire {
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let q: Questionnaire = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        let problems = q.validate();
        if problems.is_empty() {
            Ok(q)
        } else {
            Err(format!("{name}: {}", problems.join("; ")))
        }
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.parts.iter().flat_map(|p| p.sections.iter()).flat_map(|s| s.questions.iter())
    }

    /// Every problem: duplicate ids, labels missing a language, malformed projections.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut four = |place: &str, labels: &Labels| {
            let missing: Vec<&str> = Lang::ALL
                .iter()
                .filter(|l| labels.get(l).is_none_or(|t| t.trim().is_empty()))
                .map(|l| l.code())
                .collect();
            if !missing.is_empty() {
                problems.push(format!("{place}: no text in {missing:?}"));
            }
        };
        four("title", &self.title);
        for p in &self.parts {
            four(&format!("part {}", p.id), &p.title);
            for s in &p.sections {
                four(&format!("section {}", s.id), &s.title);
                for q in &s.questions {
                    four(&format!("question {}", q.id), &q.label);
                    if !q.help.is_empty() {
                        four(&format!("question {} help", q.id), &q.help);
                    }
                    for (id, o) in &q.options {
                        four(&format!("question {} option {id}", q.id), o);
                    }
                    for c in &q.columns {
                        four(&format!("question {} column {}", q.id, c.id), &c.label);
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for q in self.questions() {
            if !seen.insert(q.id.as_str()) {
                problems.push(format!("question id `{}` is used twice", q.id));
            }
            match q.kind {
                AnswerType::Table if q.columns.is_empty() => {
                    problems.push(format!("question {}: a table needs columns", q.id))
                }
                AnswerType::Choice if q.options.is_empty() => {
                    problems.push(format!("question {}: a choice needs options", q.id))
                }
                _ => {}
            }
            let projections = q.projects_to.iter().chain(q.columns.iter().flat_map(|c| c.projects_to.iter()));
            for target in projections {
                let table = target.split('.').next().unwrap_or("");
                if !PROJECTABLE.contains(&table) || !target.contains('.') {
                    problems.push(format!(
                        "question {}: projection `{target}` is not `table.field` of a registry table",
                        q.id
                    ));
                }
            }
        }
        problems
    }
}
