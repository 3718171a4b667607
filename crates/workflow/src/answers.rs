//! Saving and submitting answers, under the one validation policy of every channel (the web
//! form and its autosave, the workbook upload, the API):
//!
//! - answers that break the questionnaire's structure (an unknown question or column, a wrong
//!   shape, too many rows or items) or the text policy (too long, a control or invisible
//!   character) are **refused**: nothing is saved and the issues say where
//!   ([`WorkflowError::Refused`]);
//! - the other issues (a value that is not an option or a date, a required question
//!   unanswered) are work in progress: the answers **are saved** and the issues come back with
//!   them ([`Saved::issues`]);
//! - a **submission** is refused by any issue, including the required questions.
//!
//! Which issue is which is `observa_domain::consultation::Issue::blocks_draft`.

use observa_domain::consultation::{check, draft_blocking, Answers, Issue, Status};
use observa_domain::questionnaire::Questionnaire;
use observa_domain::Dataset;
use observa_store::{Backend, Expected};

use crate::status::{next, Step};
use crate::{response, Actor, Result, WorkflowError};

/// A save that happened: the new version, and the issues saved with the answers (none of them
/// blocks a draft; each blocks a submission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub version: i64,
    pub issues: Vec<Issue>,
}

/// The policy's verdict on answers about to be saved: the issues they are saved with, or
/// [`WorkflowError::Refused`] with the issues that refuse them.
pub fn draft_verdict(q: &Questionnaire, answers: &Answers) -> Result<Vec<Issue>> {
    let issues = check(q, answers, false);
    let blocking = draft_blocking(&issues);
    if blocking.is_empty() {
        Ok(issues)
    } else {
        Err(WorkflowError::Refused { issues: blocking })
    }
}

/// Saves a State's answers on top of version `based_on`, whatever the channel: the one place the
/// policy above is applied. A stale `based_on` is [`WorkflowError::Stale`]; a response that is
/// submitted or accepted is [`WorkflowError::NotEditable`].
pub fn save_answers(
    store: &mut dyn Backend,
    registry: &Dataset,
    actor: &Actor,
    year: i32,
    state: &str,
    answers: &Answers,
    based_on: i64,
) -> Result<Saved> {
    let (cycle, draft) = response(store, registry, actor, year, state)?;
    let issues = draft_verdict(&cycle.questionnaire, answers)?;
    if draft.version != based_on {
        return Err(WorkflowError::Stale { current: draft.version });
    }
    next(draft.status, Step::Save)?;
    let expected = Expected { version: draft.version, status: draft.status };
    let version = store.save_draft(year, state, answers, expected, &actor.email)?;
    Ok(Saved { version, issues })
}

/// Submits version `version` of a State's answers: true when this call made the submission,
/// false when that version was submitted already (a repeat changes nothing). Any issue refuses
/// it ([`WorkflowError::Refused`], with every issue, required questions included).
pub fn submit(
    store: &mut dyn Backend,
    registry: &Dataset,
    actor: &Actor,
    year: i32,
    state: &str,
    version: i64,
) -> Result<bool> {
    let (cycle, draft) = response(store, registry, actor, year, state)?;
    if draft.version != version {
        return Err(WorkflowError::Stale { current: draft.version });
    }
    if draft.version == 0 {
        return Err(WorkflowError::invalid("workflow-nothing-saved", format!("{year}/{state}")));
    }
    // Retries of a submission that went through answer as the first did.
    if matches!(draft.status, Status::Submitted | Status::Accepted) {
        return Ok(false);
    }
    next(draft.status, Step::Submit)?;
    let issues = check(&cycle.questionnaire, &draft.answers, true);
    if !issues.is_empty() {
        return Err(WorkflowError::Refused { issues });
    }
    let expected = Expected { version, status: draft.status };
    if store.submit(year, state, expected, &actor.email)? {
        return Ok(true);
    }
    // The store has a submission of this version although the response is open again: it was
    // submitted and returned. A new submission needs a new save.
    Err(WorkflowError::invalid("workflow-resubmit", format!("version {version}")))
}
