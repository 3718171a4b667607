//! Opening a cycle (its questionnaire copied from an earlier cycle's, with a deadline) and
//! attaching documents to a State's answers.

use chrono::Datelike;
use observa_domain::consultation::copy_for_cycle;
use observa_domain::questionnaire::Questionnaire;
use observa_store::{Attachment, Backend};

use crate::{find_cycle, Actor, Result, WorkflowError};

/// Opens cycle `year` with the questionnaire of cycle `from` copied (each question linked to its
/// counterpart) and `deadline`, which falls in `year` or the next; returns the questionnaire.
pub fn open_cycle(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    from: i32,
    deadline: chrono::NaiveDate,
) -> Result<Questionnaire> {
    actor.require(actor.may_run_cycles(), "open a cycle")?;
    let source = find_cycle(store, from)
        .map_err(|_| WorkflowError::invalid("workflow-no-source-cycle", format!("cycle {from}")))?;
    let years = year..=year + 1;
    if !(1990..=2100).contains(&year) || year <= from || !years.contains(&deadline.year()) {
        return Err(WorkflowError::invalid("cycles-open-rule", format!("{year} from {from}, deadline {deadline}")));
    }
    if find_cycle(store, year).is_ok() {
        return Err(WorkflowError::CycleOpen { year });
    }
    let questionnaire = copy_for_cycle(&source.questionnaire, year);
    store.open_cycle(year, &questionnaire, deadline, &actor.email)?;
    Ok(questionnaire)
}

/// Stores a document (already recognised by its content) attached to a State's answers to an
/// open cycle; its id.
pub fn attach(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    file: &Attachment,
    content: &[u8],
) -> Result<i64> {
    actor.require(actor.may_attach(state), "attach documents to these answers")?;
    find_cycle(store, year)?;
    Ok(store.attach(year, state, file, content, &actor.email)?)
}

/// One attached document and its content, for someone who may read it.
pub fn attachment(
    store: &dyn Backend,
    actor: &Actor,
    year: i32,
    state: &str,
    id: i64,
) -> Result<(Attachment, Vec<u8>)> {
    actor.require(actor.may_attach(state), "read documents attached to these answers")?;
    store.attachment(year, state, id)?.ok_or_else(|| WorkflowError::NotFound(format!("no attachment {id}")))
}
