//! Where a State's response stands and where a new form starts from: its saved draft, or else its
//! last accepted answers of an earlier cycle (each question reading its counterpart), or else the
//! registry through each question's projection.

use observa_domain::consultation::{prefill, Answers, Cycle, Draft, Status};
use observa_domain::Dataset;
use observa_store::Backend;

use crate::{Actor, Result, WorkflowError};

/// A cycle by year.
pub fn find_cycle(store: &dyn Backend, year: i32) -> Result<Cycle> {
    store
        .cycles()?
        .into_iter()
        .find(|c| c.year == year)
        .ok_or_else(|| WorkflowError::NotFound(format!("no consultation cycle {year}")))
}

/// The cycle and the State's response to it, for someone who may read it: the saved draft, or a
/// fresh one (version 0, not started) with the answers a new form starts from. `registry` is
/// where pre-filled answers come from and which States answer (OAS members).
pub fn response(
    store: &dyn Backend,
    registry: &Dataset,
    actor: &Actor,
    year: i32,
    state: &str,
) -> Result<(Cycle, Draft)> {
    actor.require(actor.may_answer(state), "read these answers")?;
    let cycle = find_cycle(store, year)?;
    if registry.state(state).is_none_or(|s| !s.code.is_oas_member()) {
        return Err(WorkflowError::NotFound(format!("no State `{state}`")));
    }
    let draft = match store.draft(year, state)? {
        Some(draft) => draft,
        None => Draft {
            cycle: year,
            state: state.to_string(),
            status: Status::NotStarted,
            answers: starting_answers(store, &cycle, registry, state)?,
            version: 0,
            updated_at: String::new(),
            updated_by: String::new(),
        },
    };
    Ok((cycle, draft))
}

/// The State's last accepted answers of a cycle before `cycle`, keyed by `cycle`'s question ids
/// (each question reading its counterpart): what a new form starts from, and what a review
/// compares with.
pub fn last_accepted(store: &dyn Backend, cycle: &Cycle, state: &str) -> Result<Option<Answers>> {
    // `cycles()` is newest first: the first accepted one found is the last.
    for earlier in store.cycles()?.into_iter().filter(|c| c.year < cycle.year) {
        if let Some(accepted) = store.draft(earlier.year, state)?.filter(|d| d.status == Status::Accepted) {
            let answers = cycle
                .questionnaire
                .questions()
                .filter_map(|q| {
                    let old_id = q.counterpart.as_deref().unwrap_or(&q.id);
                    accepted.answers.get(old_id).map(|a| (q.id.clone(), a.clone()))
                })
                .collect();
            return Ok(Some(answers));
        }
    }
    Ok(None)
}

/// What a new form starts from: the last accepted answers, or else the registry through the
/// questionnaire's projections.
fn starting_answers(store: &dyn Backend, cycle: &Cycle, registry: &Dataset, state: &str) -> Result<Answers> {
    Ok(match last_accepted(store, cycle, state)? {
        Some(answers) => answers,
        None => prefill(&cycle.questionnaire, registry, state),
    })
}
