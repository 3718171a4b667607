//! Plans in design, the secretariat's technical assistance: starting a State's next plan from
//! its last one (carried over from the last plan's action matrix, or from the plan's registry
//! record when it has none) and editing the draft item by item (`domain::monitoring::edit`) or
//! renaming it. Each is one store transaction, audited; an edit on a stale version is refused and
//! nothing changes. Only the secretariat designs plans ([`Actor::may_review`]).

use chrono::NaiveDate;
use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::design::{self, Draft, Origin};
use observa_domain::monitoring::edit::{self, Edit};
use observa_domain::{text, Dataset};
use observa_store::Backend;

use crate::{Actor, Result, WorkflowError};

/// A change to a draft: its title, or one of its matrix's items.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Rename(String),
    Item(Edit),
}

/// Starts a draft of `state`'s next plan from its last plan, titled `title`; indicators carried
/// over start on `starts`. Returns the draft's id and how it was started.
pub fn start_draft(
    store: &mut dyn Backend,
    registry: &Dataset,
    actor: &Actor,
    (state, title): (&str, &str),
    starts: NaiveDate,
    focal_title: impl Fn(FocalPoint) -> String,
) -> Result<(i64, Origin)> {
    actor.require(actor.may_review(), "design a plan")?;
    let plan = design::last_plan(registry, state).ok_or_else(|| {
        WorkflowError::NotFound(format!("a last plan of {}", state.chars().take(8).collect::<String>()))
    })?;
    let title = checked_title(title)?;
    let draft = match store.matrix(&plan.id)? {
        Some((matrix, _)) => design::carry_over(&matrix, plan.state.as_str(), &title, starts),
        None => design::from_record(plan, registry, &title, focal_title),
    };
    refuse_issues(&draft, registry)?;
    let id = store.create_plan_draft(&draft, &actor.email)?;
    Ok((id, draft.origin))
}

/// Applies `change` to draft `id` on top of version `based_on`; returns the new version.
pub fn edit_draft(
    store: &mut dyn Backend,
    registry: &Dataset,
    actor: &Actor,
    id: i64,
    based_on: i64,
    change: &Change,
) -> Result<i64> {
    actor.require(actor.may_review(), "design a plan")?;
    let mut draft = store.plan_draft(id)?.ok_or_else(|| WorkflowError::NotFound(format!("plan draft {id}")))?;
    if draft.version != based_on {
        return Err(WorkflowError::Stale { current: draft.version });
    }
    match change {
        Change::Rename(title) => draft.title = checked_title(title)?,
        Change::Item(e) => edit::apply(&mut draft.body, e).map_err(|d| WorkflowError::invalid("design-refused", d))?,
    }
    refuse_issues(&draft, registry)?;
    Ok(store.save_plan_draft(&draft, based_on, &actor.email)?)
}

fn checked_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(WorkflowError::invalid("design-refused", "title: it is empty"));
    }
    text::check(title, text::Kind::Name)
        .map_err(|p| WorkflowError::invalid("design-refused", format!("title: {p}")))?;
    Ok(title.to_string())
}

/// A draft is held to the rules of any matrix (registry organisations, unique ids, texts).
fn refuse_issues(draft: &Draft, registry: &Dataset) -> Result<()> {
    let issues = draft.body.check(registry);
    if issues.is_empty() {
        return Ok(());
    }
    Err(WorkflowError::invalid("design-refused", issues.join("; ")))
}
