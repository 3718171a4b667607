//! Deadlines: which responses are overdue, and which liaison officers are due a reminder. The
//! wording of a reminder is the caller's (it is in the reader's language); who gets one and when
//! is decided here.

use observa_domain::consultation::{Cycle, Draft, Status};
use observa_store::{Backend, Message};

use crate::{status, Actor, Result};

/// How close to the deadline reminders start.
pub const REMINDER_DAYS: i64 = 14;

/// Whether a response in `status` is overdue on `today`: past the deadline and still open.
pub fn overdue(cycle: &Cycle, status: Status, today: chrono::NaiveDate) -> bool {
    today > cycle.deadline && status::open(status)
}

/// The status of `state` among a cycle's drafts (not started when it has none).
pub fn status_of(drafts: &[Draft], state: &str) -> Status {
    drafts.iter().find(|d| d.state == state).map_or(Status::NotStarted, |d| d.status)
}

/// One reminder due: to one liaison officer of a State whose response is still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub state: String,
    pub status: Status,
    pub to: String,
}

/// The reminders due on `today` for the answering `states`: one for each enabled liaison officer
/// of each State whose response is still open, from [`REMINDER_DAYS`] before the deadline on.
pub fn reminders_due(
    store: &dyn Backend,
    cycle: &Cycle,
    states: &[&str],
    today: chrono::NaiveDate,
) -> Result<Vec<Reminder>> {
    if (cycle.deadline - today).num_days() > REMINDER_DAYS {
        return Ok(Vec::new());
    }
    let drafts = store.drafts(cycle.year)?;
    let mut due = Vec::new();
    for state in states {
        let status = status_of(&drafts, state);
        if !status::open(status) {
            continue;
        }
        for to in store.liaisons(state)? {
            due.push(Reminder { state: state.to_string(), status, to });
        }
    }
    Ok(due)
}

/// Queues the reminders due (worded by `word`) in the outbox, in one transaction; how many.
pub fn queue_reminders(
    store: &mut dyn Backend,
    actor: &Actor,
    year: i32,
    states: &[&str],
    today: chrono::NaiveDate,
    word: impl Fn(&Reminder) -> Message,
) -> Result<usize> {
    actor.require(actor.may_run_cycles(), "queue reminders")?;
    let cycle = crate::find_cycle(store, year)?;
    let messages: Vec<Message> = reminders_due(store, &cycle, states, today)?.iter().map(word).collect();
    Ok(store.queue(&messages, &actor.email)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(deadline: &str) -> Cycle {
        let questionnaire = observa_domain::questionnaire::Questionnaire {
            id: "q".into(),
            version: 1,
            cycle: 2015,
            copied_from: None,
            title: Default::default(),
            parts: vec![],
            source: Default::default(),
        };
        let deadline = deadline.parse().unwrap();
        Cycle { year: 2015, questionnaire, deadline, opened_at: String::new(), opened_by: String::new() }
    }

    #[test]
    fn a_response_is_overdue_after_the_deadline_while_it_is_open() {
        let c = cycle("2015-06-30");
        let after: chrono::NaiveDate = "2015-07-01".parse().unwrap();
        assert!(overdue(&c, Status::Draft, after) && overdue(&c, Status::Returned, after));
        assert!(overdue(&c, Status::NotStarted, after));
        assert!(!overdue(&c, Status::Submitted, after) && !overdue(&c, Status::Accepted, after));
        assert!(!overdue(&c, Status::Draft, c.deadline), "the deadline day itself is not late");
    }
}
