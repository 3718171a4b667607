//! A State's answers to a cycle's questionnaire: the value of each question, the checks an answer
//! gets (against the question's type, and for completeness before it is submitted), the status of
//! a State's response in a cycle, and the pre-filling of a form from the registry through each
//! question's projection.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::questionnaire::{AnswerType, Question, Questionnaire};
use crate::{Dataset, PartialDate};

/// One question's answer: text (also dates, periods, yes/no/partial and choices, by their ids),
/// a list (the list of three), or the rows of a table (column id → text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Items(Vec<String>),
    Rows(Vec<BTreeMap<String, String>>),
}

impl Value {
    /// The answer as plain text for reading (lists one per line, table rows joined by " · ").
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Items(items) => items.join("\n"),
            Value::Rows(rows) => {
                rows.iter().map(|r| r.values().cloned().collect::<Vec<_>>().join(" · ")).collect::<Vec<_>>().join("\n")
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Text(t) => t.trim().is_empty(),
            Value::Items(items) => items.iter().all(|i| i.trim().is_empty()),
            Value::Rows(rows) => rows.iter().all(|r| r.values().all(|v| v.trim().is_empty())),
        }
    }
}

/// Question id → answer.
pub type Answers = BTreeMap<String, Value>;

/// Where a State's response to a cycle stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    Draft,
    Submitted,
    Returned,
    Accepted,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Accepted => "accepted",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        [Status::NotStarted, Status::Draft, Status::Submitted, Status::Returned, Status::Accepted]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Whether the liaison officers may still change the answers.
    pub fn editable(self) -> bool {
        matches!(self, Status::NotStarted | Status::Draft | Status::Returned)
    }
}

/// A consultation cycle: its year, the questionnaire version it uses and its deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cycle {
    pub year: i32,
    pub questionnaire: Questionnaire,
    pub deadline: chrono::NaiveDate,
    pub opened_at: String,
    pub opened_by: String,
}

/// A State's working copy of its answers to a cycle; `version` grows with every save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub cycle: i32,
    pub state: String,
    pub status: Status,
    pub answers: Answers,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
}

/// What is wrong with one answer. `code` keys the interface text (`issue-<code>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub question: String,
    pub code: &'static str,
    pub detail: String,
}

/// The longest text accepted in one answer or cell.
pub const MAX_TEXT: usize = 20_000;
/// The most rows a table answer may have.
pub const MAX_ROWS: usize = 500;

/// Checks answers against the questionnaire; `submitting` adds the completeness check (every
/// required question answered).
pub fn check(q: &Questionnaire, answers: &Answers, submitting: bool) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut issue = |question: &str, code: &'static str, detail: String| {
        issues.push(Issue { question: question.to_string(), code, detail })
    };
    for id in answers.keys() {
        if !q.questions().any(|question| &question.id == id) {
            issue(id, "unknown-question", format!("the questionnaire has no question `{id}`"));
        }
    }
    for question in q.questions() {
        match answers.get(&question.id) {
            None => {}
            Some(value) => check_value(question, value, &mut issue),
        }
        let empty = answers.get(&question.id).is_none_or(Value::is_empty);
        if submitting && question.required && empty {
            issue(&question.id, "required", format!("question {} must be answered", question.number));
        }
    }
    issues
}

fn check_value(question: &Question, value: &Value, issue: &mut impl FnMut(&str, &'static str, String)) {
    let id = question.id.as_str();
    match (question.kind, value) {
        (AnswerType::Table, Value::Rows(rows)) => {
            if rows.len() > MAX_ROWS {
                issue(id, "too-many", format!("{} rows; at most {MAX_ROWS}", rows.len()));
            }
            for (i, row) in rows.iter().enumerate() {
                for (column, text) in row {
                    match question.columns.iter().find(|c| &c.id == column) {
                        None => issue(id, "unknown-column", format!("row {}: no column `{column}`", i + 1)),
                        Some(c) => check_text(id, c.kind, &Default::default(), text, issue),
                    }
                }
            }
        }
        (AnswerType::ListOfThree, Value::Items(items)) if items.len() > 3 => {
            issue(id, "too-many", format!("{} items; at most 3", items.len()))
        }
        (AnswerType::ListOfThree, Value::Items(items)) => {
            items.iter().for_each(|t| check_text(id, AnswerType::ShortText, &question.options, t, issue))
        }
        (AnswerType::Table | AnswerType::ListOfThree, _) | (_, Value::Items(_) | Value::Rows(_)) => {
            issue(id, "wrong-shape", "the answer does not have the question's shape".to_string())
        }
        (kind, Value::Text(text)) => check_text(id, kind, &question.options, text, issue),
    }
}

fn check_text(
    id: &str,
    kind: AnswerType,
    options: &BTreeMap<String, crate::questionnaire::Labels>,
    text: &str,
    issue: &mut impl FnMut(&str, &'static str, String),
) {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT {
        issue(id, "too-long", format!("at most {MAX_TEXT} characters"));
    }
    if text.is_empty() {
        return;
    }
    match kind {
        AnswerType::YesNoPartial if !["yes", "no", "partial", "unknown"].contains(&text) => {
            issue(id, "not-an-option", format!("`{text}` is not yes, no, partial or unknown"))
        }
        AnswerType::Choice if !options.contains_key(text) => {
            issue(id, "not-an-option", format!("`{text}` is not an option"))
        }
        AnswerType::PartialDate if PartialDate::parse_iso(text).is_err() => {
            issue(id, "not-a-date", format!("`{text}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        }
        _ => {}
    }
}

/// Answers taken from the registry for a State, through each question's projection: a table
/// question gets one row per record of its columns' table; a single question the field of the
/// State's first record. Organisation ids become names. Questions that feed nothing stay empty.
pub fn prefill(q: &Questionnaire, ds: &Dataset, state: &str) -> Answers {
    let Ok(serde_json::Value::Object(tables)) = serde_json::to_value(ds) else { return Answers::new() };
    let records = |table: &str| -> Vec<serde_json::Map<String, serde_json::Value>> {
        tables
            .get(table)
            .and_then(|t| t.as_array())
            .map(|rows| {
                rows.iter()
                    .filter_map(|r| r.as_object())
                    .filter(|r| r.get("state").and_then(|s| s.as_str()) == Some(state))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let text = |field: &str, value: Option<&serde_json::Value>| cell_text(ds, field, value);
    let mut answers = Answers::new();
    for question in q.questions() {
        if question.kind == AnswerType::Table {
            let Some((table, _)) = question.columns.iter().find_map(|c| c.projects_to.first()?.split_once('.')) else {
                continue;
            };
            let rows: Vec<BTreeMap<String, String>> = records(table)
                .iter()
                .map(|record| {
                    question
                        .columns
                        .iter()
                        .filter_map(|c| {
                            let (t, field) = c.projects_to.first()?.split_once('.')?;
                            (t == table).then(|| (c.id.clone(), text(field, record.get(field))))
                        })
                        .collect()
                })
                .collect();
            if !rows.is_empty() {
                answers.insert(question.id.clone(), Value::Rows(rows));
            }
        } else if let Some((table, field)) = question.projects_to.first().and_then(|p| p.split_once('.')) {
            let value = records(table).first().map(|r| text(field, r.get(field))).unwrap_or_default();
            if !value.is_empty() && question.kind != AnswerType::ListOfThree {
                answers.insert(question.id.clone(), Value::Text(value));
            }
        }
    }
    answers
}

/// A registry field as a form shows it: text as is, lists joined by "; ", periods in their
/// wording, organisation ids as names.
pub(crate) fn cell_text(ds: &Dataset, field: &str, value: Option<&serde_json::Value>) -> String {
    let name = |id: &str| ds.organisations.iter().find(|o| o.id == id).map_or(id.to_string(), |o| o.name.clone());
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) if field.contains("organisation") => name(s),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| match i.as_str() {
                Some(s) if field.contains("organisation") => name(s),
                Some(s) => s.to_string(),
                None => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        // A period keeps the source's wording, or reads as "from–to".
        Some(serde_json::Value::Object(o)) => match (o.get("wording"), o.get("from"), o.get("to")) {
            (Some(serde_json::Value::String(w)), _, _) => w.clone(),
            (_, from, to) => {
                let end = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or("").to_string();
                format!("{}–{}", end(from), end(to)).trim_matches('–').to_string()
            }
        },
        Some(other) => other.to_string(),
    }
}

/// A new questionnaire version for `cycle`, copied from `from`: same questions, each linked to
/// its counterpart (itself) in the version it was copied from.
pub fn copy_for_cycle(from: &Questionnaire, cycle: i32) -> Questionnaire {
    let mut copy = from.clone();
    copy.version = from.version + 1;
    copy.cycle = cycle;
    copy.copied_from = Some(format!("{} v{}", from.id, from.version));
    for part in &mut copy.parts {
        for section in &mut part.sections {
            for question in &mut section.questions {
                question.counterpart.get_or_insert_with(|| question.id.clone());
            }
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire() -> Questionnaire {
        Questionnaire::parse("2014.toml", include_str!("../../../data/questionnaires/2014.toml")).unwrap()
    }

    #[test]
    fn a_form_is_prefilled_from_the_state_s_registry_records() {
        let (q, mut ds) = (questionnaire(), crate::analysis::bundled());
        ds.normalise();
        let answers = prefill(&q, &ds, "CL");
        let Some(Value::Rows(plans)) = answers.get("plans.list") else { panic!("{answers:?}") };
        assert_eq!(plans.len(), ds.plans.iter().filter(|p| p.state.as_str() == "CL").count());
        assert!(plans.iter().any(|r| r["name"].contains("Marco para la acción")), "{plans:?}");
        let Some(Value::Rows(members)) = answers.get("coordination.members") else { panic!("members") };
        assert!(members.iter().all(|m| !m["organisation"].starts_with("org-")), "names, not ids: {members:?}");
        assert!(plans.iter().any(|r| r["period"] == "2012-2014"), "periods in the source's words: {plans:?}");
        assert!(check(&q, &answers, false).is_empty(), "{:?}", check(&q, &answers, false));
        assert!(prefill(&q, &ds, "HT").is_empty(), "Haiti did not answer: nothing to pre-fill");
    }

    #[test]
    fn answers_are_checked_against_each_question_s_type() {
        let q = questionnaire();
        let mut a = Answers::new();
        a.insert("plans.list".into(), Value::Rows(vec![BTreeMap::from([("approved".into(), "May 2012".into())])]));
        a.insert("coordination.local".into(), Value::Text("maybe".into()));
        a.insert("no.such".into(), Value::Text("x".into()));
        a.insert("coordination.body".into(), Value::Rows(vec![]));
        let issues = check(&q, &a, false);
        let codes: Vec<(&str, &str)> = issues.iter().map(|i| (i.question.as_str(), i.code)).collect();
        assert!(codes.contains(&("plans.list", "not-a-date")), "{codes:?}");
        assert!(codes.contains(&("coordination.local", "not-an-option")), "{codes:?}");
        assert!(codes.contains(&("no.such", "unknown-question")), "{codes:?}");
        assert!(codes.contains(&("coordination.body", "wrong-shape")), "{codes:?}");
        assert!(!codes.iter().any(|c| c.1 == "required"), "drafts may be incomplete");
        let required = check(&q, &Answers::new(), true);
        assert!(required.iter().any(|i| i.question == "plans.list" && i.code == "required"));
    }

    #[test]
    fn a_new_version_copies_the_last_and_links_its_questions() {
        let q = questionnaire();
        let copy = copy_for_cycle(&q, 2015);
        assert_eq!((copy.cycle, copy.version), (2015, q.version + 1));
        assert_eq!(copy.questions().count(), q.questions().count());
        assert!(copy.questions().all(|c| c.counterpart.as_deref().is_some_and(|id| q.questions().any(|o| o.id == id))));
        assert!(copy.validate().is_empty());
    }
}
