//! Monitoring reminders: who is due one (each plan coordinator and liaison officer of a State
//! whose plans have indicator reports due or overdue) and queueing them once a day. What "due"
//! and "overdue" mean is the schedule's (`domain::monitoring::schedule::urgency`, counted per
//! plan by `dashboard::plan`); the wording is the caller's, in the reader's language.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use observa_domain::monitoring::dashboard;
use observa_store::{Backend, Message};

use crate::{Actor, Result};

/// One monitoring reminder due: to one coordinator or liaison officer of one State.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringReminder {
    pub state: String,
    pub to: String,
    /// The State's plans with reports due or overdue, by id.
    pub plans: Vec<String>,
    /// Unreported periods due within the schedule's window, and past their due date.
    pub due: usize,
    pub overdue: usize,
}

/// What one State's plans have to report: the plans, and their periods due and overdue.
#[derive(Default)]
struct Due {
    plans: Vec<String>,
    due: usize,
    overdue: usize,
}

/// What each State's plans have due and overdue on `today`, only States with something to report.
fn states_due(store: &dyn Backend, today: NaiveDate) -> Result<BTreeMap<String, Due>> {
    let mut out: BTreeMap<String, Due> = BTreeMap::new();
    for (state, matrix) in store.matrices()? {
        let figures = dashboard::plan(&matrix, &store.periods(&matrix.plan)?, &store.progress(&matrix.plan)?, today);
        if figures.due + figures.overdue == 0 {
            continue;
        }
        let entry = out.entry(state).or_default();
        entry.plans.push(matrix.plan.clone());
        entry.due += figures.due;
        entry.overdue += figures.overdue;
    }
    Ok(out)
}

/// The reminders due on `today`: one for each enabled coordinator or liaison officer account
/// scoped to a State whose plans have reports due or overdue.
pub fn monitoring_reminders_due(store: &dyn Backend, today: NaiveDate) -> Result<Vec<MonitoringReminder>> {
    let states = states_due(store, today)?;
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let accounts = store.accounts()?;
    let mut out = Vec::new();
    for (state, Due { plans, due, overdue }) in states {
        let officers = accounts
            .iter()
            .filter(|a| a.role.is_scoped() && !a.disabled && a.states.iter().any(|s| s.as_str() == state));
        for a in officers {
            out.push(MonitoringReminder {
                state: state.clone(),
                to: a.email.clone(),
                plans: plans.clone(),
                due,
                overdue,
            });
        }
    }
    Ok(out)
}

/// The key that makes a reminder once a day: one message per person, State and day, whatever
/// its wording or how many times the secretariat presses the button (or how many servers do).
pub fn reminder_key(today: NaiveDate, reminder: &MonitoringReminder) -> String {
    format!("monitoring/{today}/{}/{}", reminder.state, reminder.to)
}

/// Queues the monitoring reminders due on `today` (worded by `word`) in the outbox, in one
/// transaction, skipping those queued already today ([`reminder_key`]); how many were queued.
pub fn queue_monitoring_reminders(
    store: &mut dyn Backend,
    actor: &Actor,
    today: NaiveDate,
    word: impl Fn(&MonitoringReminder) -> Message,
) -> Result<usize> {
    actor.require(actor.may_approve(), "queue monitoring reminders")?;
    let messages: Vec<(String, Message)> =
        monitoring_reminders_due(store, today)?.iter().map(|r| (reminder_key(today, r), word(r))).collect();
    Ok(store.queue_once(&messages, &actor.email)?)
}
