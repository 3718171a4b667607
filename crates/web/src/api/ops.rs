//! The consultation's operations as the API calls them, in the shape of the workflow crate's
//! (`observa_workflow`: an [`Actor`], the store, one [`WorkflowError`]).
//!
//! A stand-in until that crate is on this branch: when it is, this module goes and
//! `super::workflow` says `use observa_workflow as ops` (and takes `SignedIn<Role>` for
//! [`super::workflow::Caller`]); the handlers do not change.

use observa_domain::account::{Account, Role};
use observa_domain::consultation::Status;
use observa_domain::questionnaire::Questionnaire;
use observa_domain::StateCode;
use observa_store::{Attachment, Backend, StoreError};

use crate::{AppState, WebError};

/// The person an operation acts for.
#[derive(Debug, Clone)]
pub struct Actor {
    pub email: String,
    pub role: Role,
    pub states: Vec<StateCode>,
}

impl From<&Account> for Actor {
    fn from(a: &Account) -> Self {
        Actor { email: a.email.clone(), role: a.role, states: a.states.clone() }
    }
}

impl Actor {
    pub fn is_secretariat(&self) -> bool {
        self.role.is_secretariat()
    }

    /// Reading, saving, commenting on and attaching to a State's answers.
    pub fn may_answer(&self, state: &str) -> bool {
        self.is_secretariat() || self.states.iter().any(|s| s.as_str() == state)
    }

    /// Returning, accepting, opening cycles, editing the report's text.
    pub fn may_review(&self) -> bool {
        self.is_secretariat()
    }

    fn require(&self, allowed: bool, what: &'static str) -> Result<()> {
        if allowed {
            Ok(())
        } else {
            Err(WorkflowError::Forbidden { email: self.email.clone(), what })
        }
    }
}

/// Why an operation did not happen; nothing was written.
#[derive(Debug)]
pub enum WorkflowError {
    NotFound(String),
    Forbidden { email: String, what: &'static str },
    Stale { current: i64 },
    NotEditable { status: Status },
    CycleOpen { year: i32 },
    Invalid { key: &'static str, detail: String },
    Storage(String),
}

pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;

impl From<StoreError> for WorkflowError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { current, .. } => WorkflowError::Stale { current },
            StoreError::Invalid(detail) => WorkflowError::Invalid { key: "workflow-invalid", detail },
            other => WorkflowError::Storage(other.to_string()),
        }
    }
}

impl From<WebError> for WorkflowError {
    fn from(e: WebError) -> Self {
        match e {
            WebError::NotFound(m) => WorkflowError::NotFound(m),
            WebError::Conflict(detail) | WebError::BadRequest(detail) => {
                WorkflowError::Invalid { key: "workflow-invalid", detail }
            }
            other => WorkflowError::Storage(other.to_string()),
        }
    }
}

/// A cycle by year.
pub fn find_cycle(store: &dyn Backend, year: i32) -> Result<observa_domain::consultation::Cycle> {
    Ok(crate::responses::find_cycle(store, year)?)
}

/// Opens cycle `year` with the questionnaire of cycle `from` and `deadline` (in `year` or the next).
pub fn open_cycle(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    from: i32,
    deadline: chrono::NaiveDate,
) -> Result<Questionnaire> {
    actor.require(actor.may_review(), "open a cycle")?;
    let source = find_cycle(store, from).map_err(|_| WorkflowError::Invalid {
        key: "workflow-no-source-cycle",
        detail: format!("no cycle {from} to copy the questionnaire from"),
    })?;
    let years = year..=year + 1;
    if !(1990..=2100).contains(&year) || year <= from || !years.contains(&chrono::Datelike::year(&deadline)) {
        let detail = format!("{year} from {from}, deadline {deadline}: a later year, its deadline in it or the next");
        return Err(WorkflowError::Invalid { key: "cycles-open-rule", detail });
    }
    if find_cycle(store, year).is_ok() {
        return Err(WorkflowError::CycleOpen { year });
    }
    let questionnaire = observa_domain::consultation::copy_for_cycle(&source.questionnaire, year);
    store.open_cycle(year, &questionnaire, deadline, &actor.email)?;
    Ok(questionnaire)
}

/// A comment on question `question` (or `general`) of a State's answers.
pub fn comment(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    question: &str,
    body: &str,
) -> Result<()> {
    actor.require(actor.may_answer(state), "comment on these answers")?;
    let cycle = find_cycle(store, year)?;
    if question != "general" && !cycle.questionnaire.questions().any(|q| q.id == question) {
        return Err(WorkflowError::Invalid {
            key: "workflow-no-question",
            detail: format!("no question `{question}`"),
        });
    }
    if body.trim().is_empty() {
        return Err(WorkflowError::Invalid { key: "workflow-comment-empty", detail: "an empty comment".into() });
    }
    Ok(store.add_comment(year, state, question, body.trim(), &actor.email)?)
}

/// Returns a submitted response with `comment` (required) saying what to change.
pub fn return_response(store: &mut dyn Backend, actor: &Actor, year: i32, state: &str, comment: &str) -> Result<()> {
    actor.require(actor.may_review(), "return a response")?;
    if comment.trim().is_empty() {
        return Err(WorkflowError::Invalid { key: "review-return-needs-comment", detail: String::new() });
    }
    submitted(store, year, state)?;
    store.add_comment(year, state, "general", comment.trim(), &actor.email)?;
    Ok(store.review(year, state, Status::Returned, comment.trim(), &actor.email)?)
}

/// Accepts a submitted response: its answers are projected into the registry and the portal
/// refreshed (this stand-in takes the application for the page's own accept).
pub fn accept(app: &AppState, actor: &Actor, year: i32, state: &str, comment: &str) -> Result<()> {
    actor.require(actor.may_review(), "accept a response")?;
    submitted(&**app.store.lock().expect("store lock"), year, state)?;
    Ok(crate::pages::review::accept(app, year, state, comment, &actor.email)?)
}

fn submitted(store: &dyn Backend, year: i32, state: &str) -> Result<()> {
    find_cycle(store, year)?;
    match store.draft(year, state)? {
        None => Err(WorkflowError::NotEditable { status: Status::NotStarted }),
        Some(d) if d.status != Status::Submitted => Err(WorkflowError::NotEditable { status: d.status }),
        Some(_) => Ok(()),
    }
}

/// Stores a document (already recognised by its content) attached to a State's answers.
pub fn attach(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    file: &Attachment,
    content: &[u8],
) -> Result<i64> {
    actor.require(actor.may_answer(state), "attach documents to these answers")?;
    find_cycle(store, year)?;
    Ok(store.attach(year, state, file, content, &actor.email)?)
}

/// One attached document and its content.
pub fn attachment(
    store: &dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    id: i64,
) -> Result<(Attachment, Vec<u8>)> {
    actor.require(actor.may_answer(state), "read documents attached to these answers")?;
    store.attachment(year, state, id)?.ok_or_else(|| WorkflowError::NotFound(format!("no attachment {id}")))
}
