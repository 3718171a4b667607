//! What changed in the registry between two readings (two cycles, two dates, a cycle and now),
//! for one State, one plan, one governing body or everything: shared by the pages and the API.
//! The computation is the domain's (`observa_domain::history::between`); this module picks the
//! records of a subject and the default interval.

use observa_domain::history::{AsOf, SourcedChange, Version};
use serde_json::Value;

use crate::{auth, AppState, WebError};

/// Whose changes: a State's records, a plan and what hangs on it, a body and its members.
pub enum Subject {
    All,
    State(String),
    Plan(String),
    Body(String),
}

impl Subject {
    fn holds(&self, table: &str, record: &Value) -> bool {
        let field = |name: &str| record.get(name).and_then(Value::as_str);
        match self {
            Subject::All => true,
            Subject::State(code) => field("state") == Some(code) || (table == "states" && field("code") == Some(code)),
            Subject::Plan(id) => (table == "plans" && field("id") == Some(id)) || field("plan") == Some(id),
            Subject::Body(id) => (table == "bodies" && field("id") == Some(id)) || field("body") == Some(id),
        }
    }
}

/// The registry's history, read once per request: every answer here works from it.
pub struct History(Vec<Version>);

impl History {
    pub fn read(app: &AppState) -> Result<History, WebError> {
        Ok(History(app.store.lock().expect("store lock").history(AsOf::Now).map_err(auth::internal)?))
    }

    /// The cycles the history has versions for, oldest first.
    pub fn cycles(&self) -> Vec<i32> {
        let mut cycles: Vec<i32> = self.0.iter().map(|v| v.cycle).collect();
        cycles.sort_unstable();
        cycles.dedup();
        cycles
    }

    /// The interval asked for; by default from the cycle before the newest one (the oldest when
    /// there is only one) to now. A value that is neither a cycle, a date nor `now` is a 400.
    pub fn interval(&self, from: Option<&str>, to: Option<&str>) -> Result<(AsOf, AsOf), WebError> {
        let parse = |name: &str, text: Option<&str>| -> Result<Option<AsOf>, WebError> {
            text.filter(|t| !t.is_empty())
                .map(|t| t.parse::<AsOf>().map_err(|e| WebError::BadRequest(format!("`{name}`: {e}"))))
                .transpose()
        };
        let to = parse("to", to)?.unwrap_or(AsOf::Now);
        let from = match parse("from", from)? {
            Some(from) => from,
            None => {
                let cycles = self.cycles();
                AsOf::Cycle(cycles.get(cycles.len().saturating_sub(2)).copied().unwrap_or(2014))
            }
        };
        Ok((from, to))
    }

    /// The changes of `subject` from `from` to `to`, each with its source. Who made a change (an
    /// account's e-mail) stays in the audit log: public answers say what established it, not who.
    pub fn between(&self, from: AsOf, to: AsOf, subject: &Subject) -> Result<Vec<SourcedChange>, WebError> {
        let mut found = observa_domain::history::between(&self.0, from, to, |t, r| subject.holds(t, r))
            .map_err(|e| auth::internal(observa_store::StoreError::Invalid(e)))?;
        for change in &mut found {
            change.actor.clear();
        }
        Ok(found)
    }
}
