//! The consultation's one home: where a response stands and what may change in each status
//! ([`status`]), who may do what ([`actor`]), where a form starts from ([`start`]), deadlines and
//! reminders ([`deadline`]; monitoring reminders: [`reminders`]), the one validation policy of
//! every channel ([`answers`]) and every operation (open a cycle, save, submit, comment, return,
//! accept, attach, translate a text), each one store transaction returning [`WorkflowError`].
//!
//! No HTTP and no SQL: operations take the storage traits (`&mut dyn Backend`), so the web form,
//! the workbook upload, the API and the command line all call the same function and get the same
//! verdict.

pub mod actor;
pub mod answers;
pub mod cycle;
pub mod deadline;
pub mod design;
pub mod monitoring;
pub mod reminders;
pub mod review;
pub mod start;
pub mod status;
pub mod translate;

pub use actor::Actor;
pub use answers::{save_answers, submit, Saved};
pub use cycle::{attach, open_cycle};
pub use review::{accept, comment, return_response, Accepted};
pub use start::{find_cycle, last_accepted, response};
pub use translate::translate;

use observa_domain::consultation::{Issue, Status};
use observa_store::StoreError;

/// Why an operation did not happen. Nothing was written in every case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// No such cycle, State, response or attachment.
    #[error("not found: {0}")]
    NotFound(String),
    /// The actor may not do this (`what` names the operation, for the audit of refusals).
    #[error("{email} may not {what}")]
    Forbidden { email: String, what: &'static str },
    /// The response changed since the version the caller started from; `current` is the
    /// stored version.
    #[error("the response changed since that version (now version {current})")]
    Stale { current: i64 },
    /// The answers were refused by the validation policy (nothing saved, or not submitted).
    #[error("{} issue(s) in the answers", issues.len())]
    Refused { issues: Vec<Issue> },
    /// The response's status does not allow the operation.
    #[error("the response is {} and cannot be changed that way", status.code())]
    NotEditable { status: Status },
    /// The cycle is open already.
    #[error("cycle {year} is open already")]
    CycleOpen { year: i32 },
    /// An argument the workflow refuses: `key` is the interface text's key (all four languages),
    /// `detail` says which value, in English.
    #[error("{key}: {detail}")]
    Invalid { key: &'static str, detail: String },
    /// The store failed; the message is for the log only, never for a visitor.
    #[error("storage: {0}")]
    Storage(String),
}

impl WorkflowError {
    pub(crate) fn invalid(key: &'static str, detail: impl Into<String>) -> WorkflowError {
        WorkflowError::Invalid { key, detail: detail.into() }
    }
}

impl From<StoreError> for WorkflowError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { current, .. } => WorkflowError::Stale { current },
            // The store's own refusals of values (a comment's length, a cycle open already) are
            // arguments the caller can fix.
            StoreError::Invalid(detail) => WorkflowError::Invalid { key: "workflow-invalid", detail },
            other => WorkflowError::Storage(other.to_string()),
        }
    }
}

pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;
