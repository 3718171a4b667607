//! Editing an action matrix item by item: add an objective, a line of action (with its focal
//! points), an action (lead, partners, dates, resources) or an indicator, change an item's title
//! or an action's details, remove an item. Written once for every matrix that is edited in a
//! form: a plan in design (`design::Draft`) and a real plan's matrix alike.
//!
//! [`apply`] changes the matrix only when the whole edit is valid; its errors name the item and
//! the field. It knows nothing of the registry: whether a lead is an organisation of the registry
//! is [`Matrix::check`]'s to say, after the edit, as for any other save.

use super::{Action, ActionStatus, Indicator, Line, Matrix, Objective, MAX_ITEMS};
use crate::facts::FocalPoint;
use crate::text::{self, Kind as TextKind};
use crate::PartialDate;

/// An action's own details, as a form gives them (an empty title keeps the action's title).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionFields {
    pub title: String,
    pub lead: Option<String>,
    pub partners: Vec<String>,
    pub start: Option<PartialDate>,
    pub target: Option<PartialDate>,
    pub resources: Option<String>,
}

/// One change to a matrix. An empty `id` on an addition gets the next free one (`o3`, `l7`, ...).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    AddObjective {
        id: String,
        title: String,
    },
    AddLine {
        objective: String,
        id: String,
        title: String,
        focal_points: Vec<FocalPoint>,
    },
    AddAction {
        line: String,
        id: String,
        fields: ActionFields,
    },
    /// An indicator of an objective (an outcome) or of an action (a process indicator).
    AddIndicator {
        under: String,
        indicator: Indicator,
    },
    /// Replaces an action's lead, partners, dates and resources (and its title, when given).
    SetAction {
        action: String,
        fields: ActionFields,
    },
    /// A new title for an objective, a line or an action, or a new name for an indicator.
    Retitle {
        id: String,
        title: String,
    },
    /// Removes an objective, a line, an action or an indicator, with what hangs under it.
    Remove {
        id: String,
    },
}

/// Applies `edit` to `matrix`; on error the matrix is unchanged and the message names the item
/// and the field.
pub fn apply(matrix: &mut Matrix, edit: &Edit) -> Result<(), String> {
    let mut next = matrix.clone();
    change(&mut next, edit)?;
    *matrix = next;
    Ok(())
}

fn change(m: &mut Matrix, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::AddObjective { id, title } => {
            let id = new_id(m, "objective", id, "o")?;
            long(&format!("objective `{id}`"), "title", title)?;
            bounded(m.objectives.len(), "objectives")?;
            m.objectives.push(Objective { id, title: title.trim().into(), lines: vec![], indicators: vec![] });
        }
        Edit::AddLine { objective, id, title, focal_points } => {
            let id = new_id(m, "line", id, "l")?;
            long(&format!("line `{id}`"), "title", title)?;
            bounded(m.objectives.iter().map(|o| o.lines.len()).sum(), "lines")?;
            let o =
                m.objectives.iter_mut().find(|o| o.id == *objective).ok_or_else(|| missing("objective", objective))?;
            let mut focal_points = focal_points.clone();
            focal_points.sort();
            focal_points.dedup();
            o.lines.push(Line { id, title: title.trim().into(), focal_points, actions: vec![] });
        }
        Edit::AddAction { line, id, fields } => {
            let id = new_id(m, "action", id, "a")?;
            long(&format!("action `{id}`"), "title", &fields.title)?;
            bounded(m.actions().count(), "actions")?;
            let mut action = Action {
                id,
                title: String::new(),
                lead: None,
                partners: vec![],
                start: None,
                target: None,
                status: ActionStatus::NotStarted,
                resources: None,
                source: String::new(),
                indicators: vec![],
                updates: vec![],
            };
            set_action(&mut action, fields)?;
            let l = m
                .objectives
                .iter_mut()
                .flat_map(|o| &mut o.lines)
                .find(|l| l.id == *line)
                .ok_or_else(|| missing("line", line))?;
            l.actions.push(action);
        }
        Edit::AddIndicator { under, indicator } => {
            let mut indicator = indicator.clone();
            indicator.id = new_id(m, "indicator", &indicator.id, "i")?;
            long(&format!("indicator `{}`", indicator.id), "name", &indicator.name)?;
            bounded(m.indicators().len(), "indicators")?;
            if let (Some(b), Some(t)) = (indicator.baseline, indicator.target) {
                if t.date <= b.date {
                    return Err(format!(
                        "indicator `{}`, target: its date must come after the baseline's",
                        indicator.id
                    ));
                }
            }
            if let Some(o) = m.objectives.iter_mut().find(|o| o.id == *under) {
                o.indicators.push(indicator);
            } else if let Some(a) = m.action_mut(under) {
                a.indicators.push(indicator);
            } else {
                return Err(missing("objective or action", under));
            }
        }
        Edit::SetAction { action, fields } => {
            let a = m.action_mut(action).ok_or_else(|| missing("action", action))?;
            set_action(a, fields)?;
        }
        Edit::Retitle { id, title } => retitle(m, id, title)?,
        Edit::Remove { id } => remove(m, id)?,
    }
    Ok(())
}

fn set_action(a: &mut Action, f: &ActionFields) -> Result<(), String> {
    let at = format!("action `{}`", a.id);
    if !f.title.trim().is_empty() {
        long(&at, "title", &f.title)?;
        a.title = f.title.trim().into();
    }
    let resources = f.resources.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = resources {
        text::check(r, TextKind::Short).map_err(|p| format!("{at}, resources: {p}"))?;
    }
    if let (Some(s), Some(t)) = (f.start, f.target) {
        if t.latest() < s.earliest() {
            return Err(format!("{at}, target date: it comes before the start"));
        }
    }
    let lead = f.lead.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let mut partners: Vec<String> = f.partners.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    partners.dedup();
    for org in lead.iter().copied().chain(partners.iter().map(String::as_str)) {
        if !plain(org) {
            return Err(format!("{at}, lead or partners: `{}` is not an organisation id", shown(org)));
        }
    }
    a.lead = lead.map(String::from);
    a.partners = partners;
    a.start = f.start;
    a.target = f.target;
    a.resources = resources.map(String::from);
    Ok(())
}

fn retitle(m: &mut Matrix, id: &str, title: &str) -> Result<(), String> {
    for o in &mut m.objectives {
        if o.id == id {
            long(&format!("objective `{id}`"), "title", title)?;
            o.title = title.trim().into();
            return Ok(());
        }
        for i in &mut o.indicators {
            if i.id == id {
                long(&format!("indicator `{id}`"), "name", title)?;
                i.name = title.trim().into();
                return Ok(());
            }
        }
        for l in &mut o.lines {
            if l.id == id {
                long(&format!("line `{id}`"), "title", title)?;
                l.title = title.trim().into();
                return Ok(());
            }
            for a in &mut l.actions {
                if a.id == id {
                    long(&format!("action `{id}`"), "title", title)?;
                    a.title = title.trim().into();
                    return Ok(());
                }
                for i in &mut a.indicators {
                    if i.id == id {
                        long(&format!("indicator `{id}`"), "name", title)?;
                        i.name = title.trim().into();
                        return Ok(());
                    }
                }
            }
        }
    }
    Err(missing("item", id))
}

fn remove(m: &mut Matrix, id: &str) -> Result<(), String> {
    let before = ids(m).len();
    m.objectives.retain(|o| o.id != id);
    for o in &mut m.objectives {
        o.indicators.retain(|i| i.id != id);
        o.lines.retain(|l| l.id != id);
        for l in &mut o.lines {
            l.actions.retain(|a| a.id != id);
            for a in &mut l.actions {
                a.indicators.retain(|i| i.id != id);
            }
        }
    }
    if ids(m).len() == before {
        return Err(missing("item", id));
    }
    Ok(())
}

/// Every id of the matrix (objectives, lines, actions, indicators).
pub fn ids(m: &Matrix) -> Vec<&str> {
    let mut out = vec![];
    for o in &m.objectives {
        out.push(o.id.as_str());
        out.extend(o.indicators.iter().map(|i| i.id.as_str()));
        for l in &o.lines {
            out.push(l.id.as_str());
            for a in &l.actions {
                out.push(a.id.as_str());
                out.extend(a.indicators.iter().map(|i| i.id.as_str()));
            }
        }
    }
    out
}

/// The id asked for (plain and unused), or the next free `<prefix><n>` when none is asked for.
fn new_id(m: &Matrix, what: &str, asked: &str, prefix: &str) -> Result<String, String> {
    let used = ids(m);
    let asked = asked.trim();
    if asked.is_empty() {
        let n = (1..).find(|n| !used.contains(&format!("{prefix}{n}").as_str())).expect("a free number");
        return Ok(format!("{prefix}{n}"));
    }
    if !plain(asked) {
        return Err(format!("{what} `{}`, id: an id is 1 to 64 letters, digits, `-`, `_` or `.`", shown(asked)));
    }
    if used.contains(&asked) {
        return Err(format!("{what} `{asked}`, id: the id is used already in the matrix"));
    }
    Ok(asked.to_string())
}

fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

fn long(at: &str, field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{at}, {field}: it is empty"));
    }
    text::check(value.trim(), TextKind::Long).map_err(|p| format!("{at}, {field}: {p}"))
}

fn bounded(count: usize, what: &str) -> Result<(), String> {
    if count >= MAX_ITEMS {
        return Err(format!("the matrix has {MAX_ITEMS} {what} already"));
    }
    Ok(())
}

fn missing(what: &str, id: &str) -> String {
    format!("{what} `{}`: there is no such {what} in the matrix", shown(id))
}

fn shown(text: &str) -> String {
    super::shown(text)
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
