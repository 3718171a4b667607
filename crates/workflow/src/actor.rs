//! Who may do what in the consultation, one function per permission: the secretariat
//! (analysts and administrators) reviews, opens cycles and queues reminders; a liaison officer
//! answers, comments and attaches for the States of their account only; administrators alone
//! manage accounts and every account's API tokens.

use observa_domain::account::{Account, Role};
use observa_domain::editorial::AnnotationKind;
use observa_domain::StateCode;

use crate::{Result, WorkflowError};

/// The person an operation acts for, as their account says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub email: String,
    pub role: Role,
    /// The States a liaison officer answers for (empty for the secretariat).
    pub states: Vec<StateCode>,
}

impl From<&Account> for Actor {
    fn from(a: &Account) -> Self {
        Actor { email: a.email.clone(), role: a.role, states: a.states.clone() }
    }
}

impl Actor {
    /// Analysts and administrators.
    pub fn is_secretariat(&self) -> bool {
        matches!(self.role, Role::Analyst | Role::Administrator)
    }

    fn liaison_of(&self, state: &str) -> bool {
        self.role == Role::Liaison && self.states.iter().any(|s| s.as_str() == state)
    }

    fn acts_for(&self, state: &str) -> bool {
        self.role.is_scoped() && self.states.iter().any(|s| s.as_str() == state)
    }

    /// Entering and reading a State's plan monitoring (its matrices, progress reports before
    /// approval, evidence that is not public): the State's plan coordinators and liaison
    /// officers, and the secretariat (technical assistance).
    pub fn may_report(&self, state: &str) -> bool {
        self.is_secretariat() || self.acts_for(state)
    }

    /// Approving or returning progress reports and reopening periods: the secretariat.
    pub fn may_approve(&self) -> bool {
        self.is_secretariat()
    }

    /// Reading and saving a State's answers, and submitting them: its liaison officers and the
    /// secretariat.
    pub fn may_answer(&self, state: &str) -> bool {
        self.is_secretariat() || self.liaison_of(state)
    }

    /// Commenting on a State's answers (a reviewer's note or an officer's reply): whoever may
    /// answer them.
    pub fn may_comment(&self, state: &str) -> bool {
        self.may_answer(state)
    }

    /// Attaching documents to a State's answers and reading them: whoever may answer them.
    pub fn may_attach(&self, state: &str) -> bool {
        self.may_answer(state)
    }

    /// Returning or accepting a response, and seeing every State's status: the secretariat.
    pub fn may_review(&self) -> bool {
        self.is_secretariat()
    }

    /// Opening a cycle and queueing reminders: the secretariat.
    pub fn may_run_cycles(&self) -> bool {
        self.is_secretariat()
    }

    /// Writing the report's editorial blocks: the secretariat.
    pub fn may_edit_editorial(&self) -> bool {
        self.is_secretariat()
    }

    /// Annotating `subject`: whoever writes the editorial text anything (SWOT themes are part of
    /// it); a liaison officer only their own State's Rio reply.
    pub fn may_annotate(&self, kind: AnnotationKind, subject: &str) -> bool {
        self.may_edit_editorial() || (kind == AnnotationKind::RioReply && self.liaison_of(subject))
    }

    /// Adding or correcting the translation of a registry text: the secretariat, whose analysts
    /// review what the curators or the States wrote.
    pub fn may_translate(&self) -> bool {
        self.is_secretariat()
    }

    /// Managing accounts and reading the audit log: administrators.
    pub fn may_administer(&self) -> bool {
        self.role == Role::Administrator
    }

    /// Seeing and revoking every account's API tokens (everyone else, their own only):
    /// whoever administers accounts.
    pub fn may_manage_every_token(&self) -> bool {
        self.may_administer()
    }

    /// `Ok` when `allowed`, else [`WorkflowError::Forbidden`] naming `what` was refused.
    pub fn require(&self, allowed: bool, what: &'static str) -> Result<()> {
        if allowed {
            Ok(())
        } else {
            Err(WorkflowError::Forbidden { email: self.email.clone(), what })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, states: &[&str]) -> Actor {
        let states = states.iter().map(|s| s.parse().unwrap()).collect();
        Actor { email: "x@example.org".into(), role, states }
    }

    #[test]
    fn a_liaison_officer_acts_for_their_own_states_only() {
        let cl = actor(Role::Liaison, &["CL"]);
        assert!(cl.may_answer("CL") && cl.may_comment("CL") && cl.may_attach("CL"));
        assert!(!cl.may_answer("PE") && !cl.may_comment("PE") && !cl.may_attach("PE"));
        assert!(!cl.may_review() && !cl.may_run_cycles() && !cl.may_edit_editorial() && !cl.may_administer());
        assert!(!cl.may_manage_every_token());
        assert!(cl.may_annotate(AnnotationKind::RioReply, "CL"));
        assert!(cl.may_report("CL") && !cl.may_report("PE") && !cl.may_approve());
        assert!(!cl.may_annotate(AnnotationKind::RioReply, "PE"));
        assert!(!cl.may_annotate(AnnotationKind::SwotTheme, "CL"));
    }

    #[test]
    fn a_plan_coordinator_reports_on_their_own_state_s_plans_and_answers_nothing() {
        let co = actor(Role::Coordinator, &["PY"]);
        assert!(co.may_report("PY") && !co.may_report("CL") && !co.may_approve());
        assert!(!co.may_answer("PY") && !co.may_comment("PY") && !co.may_review() && !co.may_translate());
        assert!(!co.may_annotate(AnnotationKind::RioReply, "PY"));
        assert!(actor(Role::Analyst, &[]).may_approve() && actor(Role::Analyst, &[]).may_report("PY"));
    }

    #[test]
    fn the_secretariat_reviews_everything_and_only_administrators_administer() {
        for role in [Role::Analyst, Role::Administrator] {
            let a = actor(role, &[]);
            assert!(a.may_answer("PE") && a.may_review() && a.may_run_cycles() && a.may_edit_editorial());
            assert!(a.may_annotate(AnnotationKind::SwotTheme, "any"));
            assert_eq!(a.may_administer(), role == Role::Administrator);
            assert_eq!(a.may_manage_every_token(), role == Role::Administrator, "an analyst sees their own tokens");
        }
    }

    #[test]
    fn a_liaison_officer_without_states_answers_for_none_and_a_refusal_names_the_operation() {
        let none = actor(Role::Liaison, &[]);
        assert!(!none.may_answer("CL") && !none.may_comment("CL"));
        let refused = none.require(none.may_review(), "review");
        assert_eq!(refused, Err(WorkflowError::Forbidden { email: "x@example.org".into(), what: "review" }));
        assert_eq!(none.require(true, "review"), Ok(()));
    }
}
