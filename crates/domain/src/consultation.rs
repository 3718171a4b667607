//! A State's answers to a cycle's questionnaire: the value of each question, the checks an answer
//! gets (against the question's type, and for completeness before it is submitted), the status of
//! a State's response in a cycle, and the pre-filling of a form from the registry through each
//! question's projection.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::questionnaire::{AnswerType, Question, Questionnaire};
use crate::{text, Dataset, PartialDate};

/// One question's answer: text (also dates, periods, yes/no/partial and choices, by their ids),
/// a list (the list of three), or the rows of a table (column id → text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
#[schema(as = AnswerValue)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
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

/// What is wrong with one answer. `code` keys the interface text (`issue-<code>`); `detail`
/// says where (row, column, item) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Issue {
    pub question: String,
    #[schema(schema_with = crate::schema::issue_code)]
    pub code: &'static str,
    pub detail: String,
}

/// The issues that refuse a save, whatever the channel (form, autosave, workbook, API): answers
/// that do not fit the questionnaire's structure, and text the text policy refuses
/// ([`crate::text`]). Nothing of such answers is saved.
const DRAFT_BLOCKING: [&str; 6] =
    ["unknown-question", "unknown-column", "wrong-shape", "too-many", "too-long", "bad-character"];

impl Issue {
    /// Whether the issue refuses a draft save. The others (`not-an-option`, `not-a-date`,
    /// `required`) are work in progress: a draft saves with them and shows them beside their
    /// questions; they only refuse a submission.
    pub fn blocks_draft(&self) -> bool {
        DRAFT_BLOCKING.contains(&self.code)
    }
}

/// The issues of `issues` that refuse a draft save.
pub fn draft_blocking(issues: &[Issue]) -> Vec<Issue> {
    issues.iter().filter(|i| i.blocks_draft()).cloned().collect()
}

/// The most rows a table answer may have.
pub const MAX_ROWS: usize = 500;

/// Checks answers against the questionnaire and the text policy. Every issue is returned; which
/// refuse a save is [`Issue::blocks_draft`]. `submitting` adds the completeness check (every
/// required question answered); a submission is refused by any issue.
pub fn check(q: &Questionnaire, answers: &Answers, submitting: bool) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut issue = |question: &str, code: &'static str, detail: String| {
        issues.push(Issue { question: question.to_string(), code, detail })
    };
    for id in answers.keys() {
        if !q.questions().any(|question| &question.id == id) {
            // The id is shown as the text policy allows, so a hostile id cannot reach a page raw.
            let shown: String = id.chars().filter(|c| text::allowed(*c, text::Kind::Name)).take(100).collect();
            issue(&shown, "unknown-question", format!("the questionnaire has no question `{shown}`"));
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
    let none = BTreeMap::new();
    match (question.kind, value) {
        (AnswerType::Table, Value::Rows(rows)) => {
            if rows.len() > MAX_ROWS {
                issue(id, "too-many", format!("{} rows; at most {MAX_ROWS}", rows.len()));
            }
            for (i, row) in rows.iter().enumerate().take(MAX_ROWS) {
                for (column, text) in row {
                    let place = format!("row {}, column `{column}`", i + 1);
                    match question.columns.iter().find(|c| &c.id == column) {
                        None => issue(id, "unknown-column", format!("row {}: no column `{column}`", i + 1)),
                        Some(c) => check_text(id, &place, c.kind, &none, text, issue),
                    }
                }
            }
        }
        (AnswerType::ListOfThree, Value::Items(items)) => {
            if items.len() > 3 {
                issue(id, "too-many", format!("{} items; at most 3", items.len()));
            }
            for (i, t) in items.iter().enumerate().take(3) {
                check_text(id, &format!("item {}", i + 1), AnswerType::ShortText, &question.options, t, issue)
            }
        }
        (AnswerType::Table | AnswerType::ListOfThree, _) | (_, Value::Items(_) | Value::Rows(_)) => {
            issue(id, "wrong-shape", "the answer does not have the question's shape".to_string())
        }
        (kind, Value::Text(text)) => check_text(id, "the answer", kind, &question.options, text, issue),
    }
}

/// The text policy's kind for an answer type.
fn text_kind(kind: AnswerType) -> text::Kind {
    match kind {
        AnswerType::LongText => text::Kind::Long,
        AnswerType::ShortText | AnswerType::ListOfThree | AnswerType::Table => text::Kind::Short,
        AnswerType::YesNoPartial | AnswerType::PartialDate | AnswerType::Period | AnswerType::Choice => {
            text::Kind::Name
        }
    }
}

fn check_text(
    id: &str,
    place: &str,
    kind: AnswerType,
    options: &BTreeMap<String, crate::questionnaire::Labels>,
    text: &str,
    issue: &mut impl FnMut(&str, &'static str, String),
) {
    if let Err(problem) = text::check(text, text_kind(kind)) {
        // A refused text is not quoted back: it may be what the policy keeps out of pages.
        return issue(id, problem.code(), format!("{place}: {problem}"));
    }
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    match kind {
        AnswerType::YesNoPartial if !YES_NO_PARTIAL.contains(&text) => {
            issue(id, "not-an-option", format!("{place}: `{text}` is not yes, no, partial or unknown"))
        }
        AnswerType::Choice if !options.contains_key(text) => {
            issue(id, "not-an-option", format!("{place}: `{text}` is not an option"))
        }
        AnswerType::PartialDate if PartialDate::parse_iso(text).is_err() => {
            issue(id, "not-a-date", format!("{place}: `{text}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        }
        _ => {}
    }
}

/// The answers a yes/no/partial question takes.
pub const YES_NO_PARTIAL: [&str; 4] = ["yes", "no", "partial", "unknown"];

/// Answers taken from the registry for a State, through each question's projection: a table
/// question gets one row per record of its columns' table; a single question the field of the
/// State's first record. Organisation ids become names. Questions that feed nothing stay empty.
/// Every value is one its question takes ([`as_answer`]), so the pre-filled answers pass
/// [`check`] and can be sent back unchanged through any channel.
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
    let none = BTreeMap::new();
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
                            let value = as_answer(c.kind, &none, text(field, record.get(field)));
                            (t == table).then_some((c.id.clone(), value))
                        })
                        .collect()
                })
                .collect();
            if !rows.is_empty() {
                answers.insert(question.id.clone(), Value::Rows(rows));
            }
        } else if let Some((table, field)) = question.projects_to.first().and_then(|p| p.split_once('.')) {
            let value = records(table).first().map(|r| text(field, r.get(field))).unwrap_or_default();
            let value = as_answer(question.kind, &question.options, value);
            if !value.is_empty() && question.kind != AnswerType::ListOfThree {
                answers.insert(question.id.clone(), Value::Text(value));
            }
        }
    }
    answers
}

/// A registry value as a question of `kind` takes it, or blank. The registry says "not known"
/// and "not yet" in words where the form says it with a blank: an evaluation's `unknown` status
/// is no option of the evaluation questions (done, in progress, planned, not done), and a plan's
/// adoption `pending-approval`, `to-be-submitted` or `unknown` is no date (the questionnaire asks
/// to leave the date of a plan in preparation blank). Any other value the question's type or the
/// text policy would refuse is left blank for the officer to give, rather than proposed and then
/// refused.
fn as_answer(kind: AnswerType, options: &BTreeMap<String, crate::questionnaire::Labels>, value: String) -> String {
    let value = value.trim();
    let fits = match kind {
        AnswerType::Choice => options.contains_key(value),
        AnswerType::YesNoPartial => YES_NO_PARTIAL.contains(&value),
        AnswerType::PartialDate => PartialDate::parse_iso(value).is_ok(),
        _ => true,
    };
    if value.is_empty() || !fits || text::check(value, text_kind(kind)).is_err() {
        return String::new();
    }
    value.to_string()
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
    fn every_state_s_prefilled_answers_pass_the_check_unchanged() {
        let (q, mut ds) = (copy_for_cycle(&questionnaire(), 2015), crate::analysis::bundled());
        ds.normalise();
        let states: Vec<String> =
            ds.states.iter().filter(|s| s.code.is_oas_member()).map(|s| s.code.to_string()).collect();
        assert_eq!(states.len(), 35);
        for state in &states {
            let issues = check(&q, &prefill(&q, &ds, state), false);
            assert!(draft_blocking(&issues).is_empty(), "{state}: {issues:?}");
            assert!(issues.is_empty(), "{state}: what the server proposes it accepts: {issues:?}");
        }
    }

    #[test]
    fn bad_characters_and_long_text_block_a_draft_and_say_where() {
        let q = questionnaire();
        let mut a = Answers::new();
        a.insert("plans.changes".into(), Value::Text("\u{1}".repeat(5_600)));
        a.insert("coordination.body".into(), Value::Text("x".repeat(2_001)));
        a.insert(
            "plans.list".into(),
            Value::Rows(vec![BTreeMap::new(), BTreeMap::from([("name".into(), "a\u{202e}b".into())])]),
        );
        a.insert("opinion.strengths".into(), Value::Items(vec!["ok".into(), "\u{0}".into()]));
        a.insert("plans.no_new_plan".into(), Value::Text("line one\nline two\ttabbed".into()));
        a.insert("coordination.local".into(), Value::Text("maybe".into()));
        let issues = check(&q, &a, false);
        let find = |id: &str| issues.iter().find(|i| i.question == id).unwrap_or_else(|| panic!("{id}: {issues:?}"));
        assert_eq!(find("plans.changes").code, "bad-character");
        assert!(find("plans.changes").detail.contains("U+0001"), "{:?}", find("plans.changes"));
        assert_eq!(find("coordination.body").code, "too-long");
        assert!(find("plans.list").detail.starts_with("row 2, column `name`"), "{:?}", find("plans.list"));
        assert!(find("opinion.strengths").detail.starts_with("item 2"), "{:?}", find("opinion.strengths"));
        assert!(issues.iter().all(|i| i.question != "plans.no_new_plan"), "narratives have lines and tabs");
        assert_eq!(draft_blocking(&issues).len(), 4, "{issues:?}");
        assert!(!find("coordination.local").blocks_draft(), "a value that is not an option only blocks submission");
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
