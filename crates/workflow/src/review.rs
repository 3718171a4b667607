//! The secretariat's review and its thread: comments on any question (a reviewer's note or an
//! officer's reply), returning a response with a comment (status and comment in one
//! transaction), and accepting it (the decision, the answers projected into the registry record
//! by record, and the acceptance's comments in one transaction).

use observa_domain::consultation::Answers;
use observa_domain::projection::project;
use observa_domain::text;
use observa_store::{Backend, Expected, NewComment};

use crate::status::{next, Step};
use crate::{find_cycle, Actor, Result, WorkflowError};

/// The longest comment kept.
pub const MAX_COMMENT: usize = 5_000;

/// The question a comment about the whole response is filed under.
pub const GENERAL: &str = "general";

/// A comment's text as kept (trimmed), or why it is refused: empty when `required`, over
/// [`MAX_COMMENT`] characters, or refused by the text policy.
pub(crate) fn comment_text(body: &str, required: bool) -> Result<String> {
    let body = body.replace("\r\n", "\n").trim().to_string();
    if required && body.is_empty() {
        return Err(WorkflowError::invalid("review-return-needs-comment", ""));
    }
    if body.chars().count() > MAX_COMMENT {
        return Err(WorkflowError::invalid("workflow-comment-too-long", format!("at most {MAX_COMMENT} characters")));
    }
    text::check(&body, text::Kind::Long)
        .map_err(|problem| WorkflowError::invalid("workflow-comment-refused", problem.to_string()))?;
    Ok(body)
}

/// Adds a comment on question `question` (or [`GENERAL`]) of a State's answers to a cycle.
pub fn comment(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    question: &str,
    body: &str,
) -> Result<()> {
    actor.require(actor.may_comment(state), "comment on these answers")?;
    let cycle = find_cycle(store, year)?;
    if question != GENERAL && !cycle.questionnaire.questions().any(|q| q.id == question) {
        let shown: String = question.chars().filter(|c| text::allowed(*c, text::Kind::Name)).take(100).collect();
        return Err(WorkflowError::invalid("workflow-no-question", shown));
    }
    let body = comment_text(body, true).map_err(|e| match e {
        WorkflowError::Invalid { key: "review-return-needs-comment", detail } => {
            WorkflowError::Invalid { key: "workflow-comment-empty", detail }
        }
        other => other,
    })?;
    Ok(store.add_comment(year, state, question, &body, &actor.email)?)
}

/// Returns a submitted response to its liaison officers with `comment` (required) saying what to
/// change: the status and the comment are written in one transaction, or neither.
pub fn return_response(store: &mut dyn Backend, actor: &Actor, year: i32, state: &str, comment: &str) -> Result<()> {
    actor.require(actor.may_review(), "return a response")?;
    let body = comment_text(comment, true)?;
    let draft = submitted(store, year, state)?;
    next(draft.status, Step::Return)?;
    let comment = NewComment { question: GENERAL.into(), body, author: actor.email.clone() };
    let expected = Expected { version: draft.version, status: draft.status };
    Ok(store.return_response(year, state, expected, &comment)?)
}

/// What an acceptance projected into the registry and what it kept only in the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub projected: Vec<String>,
    pub skipped: Vec<String>,
}

/// The author of the acceptance note that lists what was projected.
pub const SYSTEM: &str = "observa";

/// Accepts a submitted response: projects its answers onto the State's part of the registry as
/// stored (`observa_domain::projection::project`, `observa_domain::part`), refuses the
/// acceptance if the result does not validate, and writes the decision, the record-level changes and the thread's comments (the
/// reviewer's `comment`, if any, and a note of what was and was not projected) in one
/// transaction. The caller refreshes whatever it shows of the registry afterwards.
pub fn accept(store: &mut dyn Backend, actor: &Actor, year: i32, state: &str, comment: &str) -> Result<Accepted> {
    actor.require(actor.may_review(), "accept a response")?;
    let body = comment_text(comment, false)?;
    let cycle = find_cycle(store, year)?;
    let draft = submitted(store, year, state)?;
    next(draft.status, Step::Accept)?;
    // The State's part of the registry as stored, not a view of it that may lag behind:
    // projecting onto a stale view would undo what was accepted since. The part holds every
    // record the State's records refer to, so it validates as the whole registry would for the
    // State, and the acceptance costs what the State's records cost.
    let registry = store.load_part(state)?;
    let projection = project(&cycle.questionnaire, &draft.answers, &registry, year, state);
    if let Some(problem) = projection.dataset.validate().first() {
        return Err(WorkflowError::invalid("workflow-projection-invalid", problem.to_string()));
    }
    let changes = observa_domain::history::diff(&registry, &projection.dataset)
        .map_err(|m| WorkflowError::invalid("workflow-projection-invalid", m))?;
    let comments: Vec<NewComment> =
        [(body, actor.email.as_str()), (note(&projection.changes, &projection.skipped), SYSTEM)]
            .into_iter()
            .filter(|(body, _)| !body.is_empty())
            .map(|(body, author)| NewComment { question: GENERAL.into(), body, author: author.into() })
            .collect();
    let expected = Expected { version: draft.version, status: draft.status };
    store.accept(year, state, expected, &changes, &comments, &actor.email)?;
    Ok(Accepted { projected: projection.changes, skipped: projection.skipped })
}

/// The acceptance's note for the thread, cut to fit a comment.
fn note(projected: &[String], skipped: &[String]) -> String {
    let mut note = format!("Projected into the registry: {}.", projected.join("; "));
    if !skipped.is_empty() {
        note.push_str(&format!(" Not projected (kept in the answers): {}.", skipped.join("; ")));
    }
    note.chars().take(MAX_COMMENT - 100).collect()
}

/// The State's saved response to a cycle; one never saved cannot be decided on.
fn submitted(store: &dyn Backend, year: i32, state: &str) -> Result<observa_domain::consultation::Draft> {
    let status = observa_domain::consultation::Status::NotStarted;
    store.draft(year, state)?.ok_or(WorkflowError::NotEditable { status })
}

/// The answers a review compares with: the State's last accepted ones before this cycle.
pub fn previous(store: &dyn Backend, actor: &Actor, year: i32, state: &str) -> Result<Answers> {
    actor.require(actor.may_review(), "review a response")?;
    let cycle = find_cycle(store, year)?;
    Ok(crate::last_accepted(store, &cycle, state)?.unwrap_or_default())
}
