//! Where a State's response stands and what each status lets change: the transitions of the
//! consultation, decided here and only written by the store (which checks that the response is
//! still the one decided on).
//!
//! ```text
//! not-started ─save─► draft ─submit─► submitted ─return─► returned ─save─► draft
//!                      ▲  └─save─┘               └─accept─► accepted (final)
//! ```
//!
//! Progress reports on a plan's indicators follow the same steps ("approved" is `accepted`),
//! and one more: the secretariat may reopen an approved report, which makes it `returned`.

use observa_domain::consultation::Status;

use crate::{Result, WorkflowError};

/// What someone does to a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The liaison officers save answers (form, autosave, workbook, API).
    Save,
    /// They send the saved answers for review.
    Submit,
    /// The secretariat sends them back with a comment.
    Return,
    /// The secretariat accepts them into the registry (a progress report: approves it).
    Accept,
    /// The secretariat sends an approved progress report back to be corrected (consultation
    /// responses, once accepted, are final).
    Reopen,
}

/// The status after `step` from `from`, or why the step is not possible. Submitting a response
/// never saved is refused by the caller (there is nothing to submit), not here.
pub fn next(from: Status, step: Step) -> Result<Status> {
    use Status::*;
    let to = match (step, from) {
        (Step::Save, NotStarted | Draft | Returned) => Draft,
        (Step::Submit, Draft | Returned) => Submitted,
        (Step::Return, Submitted) => Returned,
        (Step::Accept, Submitted) => Accepted,
        (Step::Reopen, Accepted) => Returned,
        _ => return Err(WorkflowError::NotEditable { status: from }),
    };
    Ok(to)
}

/// Whether the liaison officers may still change the answers (what the form shows as editable,
/// and what reminders and overdue count as open).
pub fn open(status: Status) -> bool {
    next(status, Step::Save).is_ok()
}

/// Whether the secretariat may decide on the response.
pub fn decidable(status: Status) -> bool {
    next(status, Step::Accept).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn answers_change_until_submitted_and_again_once_returned() {
        for from in [NotStarted, Draft, Returned] {
            assert_eq!(next(from, Step::Save), Ok(Draft), "{from:?}");
            assert!(open(from));
        }
        for from in [Submitted, Accepted] {
            assert_eq!(next(from, Step::Save), Err(WorkflowError::NotEditable { status: from }));
            assert!(!open(from));
        }
    }

    #[test]
    fn only_a_submitted_response_is_returned_or_accepted_and_accepted_is_final() {
        assert_eq!(next(Submitted, Step::Return), Ok(Returned));
        assert_eq!(next(Submitted, Step::Accept), Ok(Accepted));
        for from in [NotStarted, Draft, Returned, Accepted] {
            assert!(next(from, Step::Return).is_err() && next(from, Step::Accept).is_err(), "{from:?}");
        }
        for step in [Step::Save, Step::Submit, Step::Return, Step::Accept] {
            assert!(next(Accepted, step).is_err(), "{step:?}");
        }
        assert!(decidable(Submitted) && !decidable(Returned));
    }

    #[test]
    fn a_draft_or_a_returned_response_is_submitted_but_not_a_submitted_one() {
        assert_eq!(next(Draft, Step::Submit), Ok(Submitted));
        assert_eq!(next(Returned, Step::Submit), Ok(Submitted));
        assert!(next(Submitted, Step::Submit).is_err());
    }
}
