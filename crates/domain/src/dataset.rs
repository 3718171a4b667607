//! The whole registry as one value: what is loaded from data files, stored, and exported.
//!
//! [`Dataset`] holds one vector per table. [`Dataset::normalise`] fills in what data files may
//! leave implicit (record ids, a member's body and State); [`Dataset::validate`] checks that
//! every reference resolves, every record is well-formed and every text follows the text policy
//! ([`crate::text`]: names one line of at most 1,000 characters, other text at most 16,000, no
//! control or invisible characters), and names the record and field.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::facts::*;
use crate::registry::*;
use crate::source::{Correction, Disagreement, Document};
use crate::state::{State, StateCode};
use crate::text;
use crate::translation::Translation;
use crate::treaty::{Ratification, Report, Treaty, TREATY_CODES};

/// Calls `$callback! { table: Record, ... }` with every table of the registry, in export and
/// dependency order (a table only references earlier ones). The one list of tables: the
/// [`Dataset`] and the data-file shape in [`crate::datafile`] are both generated from it.
macro_rules! with_tables {
    ($callback:ident) => {
        $callback! {
            documents: Document,
            states: State,
            organisations: Organisation,
            plans: Plan,
            bodies: Body,
            members: Member,
            local_expressions: LocalExpression,
            agreements: Agreement,
            contributions: Contribution,
            actions: Action,
            laws: Law,
            services: Service,
            participation: Participation,
            protection: Protection,
            evaluations: Evaluation,
            responses: Response,
            swot: SwotItem,
            treaties: Treaty,
            ratifications: Ratification,
            reports: Report,
            corrections: Correction,
            disagreements: Disagreement,
            translations: Translation,
        }
    };
}
pub(crate) use with_tables;

macro_rules! define_dataset {
    ($($table:ident: $record:ty),* $(,)?) => {
        /// Every table of the registry, one vector each.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Dataset {
            $( #[serde(default)] pub $table: Vec<$record>, )*
        }

        /// The table names, in export and dependency order (a table only references earlier ones).
        pub const TABLE_NAMES: &[&str] = &[$(stringify!($table)),*];

        impl Dataset {
            /// Adds another dataset's records (used to merge data files).
            pub fn extend(&mut self, other: Dataset) {
                $( self.$table.extend(other.$table); )*
            }
        }
    };
}
with_tables!(define_dataset);

/// A record's stable key without serialising it (`domain::history::key` gives the same from
/// its JSON): `id`, a State's or treaty's `code`, or the natural key of ratifications and reports.
pub trait Keyed {
    fn key(&self) -> String;
}

macro_rules! keyed_by_id {
    ($($record:ty),* $(,)?) => { $( impl Keyed for $record { fn key(&self) -> String { self.id.clone() } } )* };
}
keyed_by_id!(
    Document,
    Organisation,
    Plan,
    Body,
    Member,
    LocalExpression,
    Agreement,
    Contribution,
    Action,
    Law,
    Service,
    Participation,
    Protection,
    Evaluation,
    Response,
    SwotItem,
    Correction,
    Disagreement,
    Translation
);

impl Keyed for State {
    fn key(&self) -> String {
        self.code.to_string()
    }
}

impl Keyed for Treaty {
    fn key(&self) -> String {
        self.code.clone()
    }
}

impl Keyed for Ratification {
    fn key(&self) -> String {
        format!("{}/{}", self.state, self.treaty)
    }
}

impl Keyed for Report {
    fn key(&self) -> String {
        format!("{}/{}/{}", self.state, self.treaty, self.sequence)
    }
}

macro_rules! define_text_check {
    ($($table:ident: $record:ty),* $(,)?) => {
        impl Dataset {
            /// Every text of every record against the text policy, each problem naming the
            /// table, the record and the field.
            fn check_texts(&self, report: &mut impl FnMut(String, String)) {
                $( for (i, record) in self.$table.iter().enumerate() {
                    if let Ok(value) = serde_json::to_value(record) {
                        text::check_record(stringify!($table), i, &value, report);
                    }
                } )*
            }
        }
    };
}
with_tables!(define_text_check);

/// One thing wrong with a dataset: which record, which field, what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Gives `id` a value from the State, the table and the position when the data left it empty.
fn fill_ids<'a, T: 'a>(
    items: impl Iterator<Item = &'a mut T>,
    table: &str,
    key: impl Fn(&mut T) -> (&mut String, String),
) {
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        let (id, scope) = key(item);
        let n = counters.entry(scope.clone()).or_default();
        *n += 1;
        if id.is_empty() {
            *id = format!("{}-{table}-{n}", scope.to_lowercase());
        }
    }
}

impl Dataset {
    /// Moves nested members into their table and fills implicit ids. Idempotent.
    pub fn normalise(&mut self) {
        for body in &mut self.bodies {
            for (i, mut m) in std::mem::take(&mut body.members).into_iter().enumerate() {
                m.body = body.id.clone();
                if m.state.is_empty() {
                    m.state = body.state.clone();
                }
                if m.id.is_empty() {
                    m.id = format!("{}-m{}", body.id, i + 1);
                }
                self.members.push(m);
            }
        }
        let scope = |s: &StateCode| s.as_str().to_string();
        fill_ids(self.local_expressions.iter_mut(), "local", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.agreements.iter_mut(), "agreement", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.contributions.iter_mut(), "contribution", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.actions.iter_mut(), "action", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.laws.iter_mut(), "law", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.services.iter_mut(), "service", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.participation.iter_mut(), "participation", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.protection.iter_mut(), "protection", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.evaluations.iter_mut(), "evaluation", |r| (&mut r.id, scope(&r.state)));
        fill_ids(self.responses.iter_mut(), "response", |r| (&mut r.id, scope(&r.state)));
        let scope_opt = |s: &Option<StateCode>| s.as_ref().map_or("region".to_string(), scope);
        fill_ids(self.corrections.iter_mut(), "correction", |r| (&mut r.id, scope_opt(&r.state)));
        fill_ids(self.disagreements.iter_mut(), "disagreement", |r| (&mut r.id, scope_opt(&r.state)));
    }

    pub fn state(&self, code: &str) -> Option<&State> {
        self.states.iter().find(|s| s.code.as_str() == code)
    }

    /// Every problem found; empty when the dataset is sound.
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut report = |place: String, message: String| problems.push(Problem { place, message });

        let states: BTreeSet<&str> = self.states.iter().map(|s| s.code.as_str()).collect();
        let plans: BTreeSet<&str> = self.plans.iter().map(|p| p.id.as_str()).collect();
        let bodies: BTreeSet<&str> = self.bodies.iter().map(|b| b.id.as_str()).collect();
        let orgs: BTreeSet<&str> = self.organisations.iter().map(|o| o.id.as_str()).collect();
        let laws: BTreeSet<&str> = self.laws.iter().map(|l| l.id.as_str()).collect();
        let docs: BTreeSet<&str> = self.documents.iter().map(|d| d.id.as_str()).collect();
        let treaties: BTreeSet<&str> = self.treaties.iter().map(|t| t.code.as_str()).collect();

        let check_state = |place: &str, code: &StateCode, report: &mut dyn FnMut(String, String)| {
            if !states.contains(code.as_str()) {
                report(format!("{place}.state"), format!("`{code}` is not a State of the dataset"));
            }
        };
        let check_ref =
            |place: String, kind: &str, id: &str, set: &BTreeSet<&str>, report: &mut dyn FnMut(String, String)| {
                if !set.contains(id) {
                    report(place, format!("no {kind} has the id `{id}`"));
                }
            };

        duplicates("documents", self.documents.iter().map(|d| d.id.as_str()), &mut report);
        duplicates("states", self.states.iter().map(|s| s.code.as_str()), &mut report);
        duplicates("organisations", self.organisations.iter().map(|o| o.id.as_str()), &mut report);
        duplicates("plans", self.plans.iter().map(|p| p.id.as_str()), &mut report);
        duplicates("bodies", self.bodies.iter().map(|b| b.id.as_str()), &mut report);
        duplicates("members", self.members.iter().map(|m| m.id.as_str()), &mut report);
        duplicates("laws", self.laws.iter().map(|l| l.id.as_str()), &mut report);
        duplicates("actions", self.actions.iter().map(|a| a.id.as_str()), &mut report);
        duplicates("services", self.services.iter().map(|s| s.id.as_str()), &mut report);
        duplicates("swot", self.swot.iter().map(|s| s.id.as_str()), &mut report);
        duplicates("treaties", self.treaties.iter().map(|t| t.code.as_str()), &mut report);
        let rat_keys: Vec<String> = self.ratifications.iter().map(|r| format!("{}/{}", r.state, r.treaty)).collect();
        duplicates("ratifications", rat_keys.iter().map(String::as_str), &mut report);
        let rep_keys: Vec<String> =
            self.reports.iter().map(|r| format!("{}/{}/{}", r.state, r.treaty, r.sequence)).collect();
        duplicates("reports", rep_keys.iter().map(String::as_str), &mut report);

        for s in &self.states {
            if !s.code.is_oas_member() {
                report(format!("states.{}", s.code), "not an OAS member State".into());
            }
        }
        for t in &self.treaties {
            if !TREATY_CODES.contains(&t.code.as_str()) {
                report(
                    format!("treaties.{}", t.code),
                    format!("unknown treaty code; expected one of {TREATY_CODES:?}"),
                );
            }
        }
        for o in &self.organisations {
            if let Some(s) = &o.state {
                check_state(&format!("organisations.{}", o.id), s, &mut report);
            }
        }
        for p in &self.plans {
            let place = format!("plans.{}", p.id);
            check_state(&place, &p.state, &mut report);
            for l in &p.links {
                check_ref(format!("{place}.links"), "plan", &l.plan, &plans, &mut report);
            }
            if let Err(e) = p.validity.check() {
                report(format!("{place}.validity"), e);
            }
        }
        let mut last_approved: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in self.plans.iter().filter(|p| p.last_approved) {
            last_approved.entry(p.state.as_str()).or_default().push(&p.id);
        }
        for (state, ids) in last_approved.iter().filter(|(_, ids)| ids.len() > 1) {
            report(format!("plans ({state})"), format!("more than one plan is marked last_approved: {ids:?}"));
        }
        for b in &self.bodies {
            let place = format!("bodies.{}", b.id);
            check_state(&place, &b.state, &mut report);
            for p in &b.plans {
                check_ref(format!("{place}.plans"), "plan", p, &plans, &mut report);
            }
            if !b.members.is_empty() {
                report(place, "members must be normalised into the members table".into());
            }
        }
        for m in &self.members {
            let place = format!("members.{}", m.id);
            check_state(&place, &m.state, &mut report);
            check_ref(format!("{place}.body"), "body", &m.body, &bodies, &mut report);
            check_ref(format!("{place}.organisation"), "organisation", &m.organisation, &orgs, &mut report);
        }
        for l in &self.local_expressions {
            check_state(&format!("local_expressions.{}", l.id), &l.state, &mut report);
            if let Some(b) = &l.body {
                check_ref(format!("local_expressions.{}.body", l.id), "body", b, &bodies, &mut report);
            }
        }
        for a in &self.agreements {
            check_state(&format!("agreements.{}", a.id), &a.state, &mut report);
        }
        for c in &self.contributions {
            let place = format!("contributions.{}", c.id);
            check_state(&place, &c.state, &mut report);
            check_ref(format!("{place}.organisation"), "organisation", &c.organisation, &orgs, &mut report);
            if let Some(p) = &c.plan {
                check_ref(format!("{place}.plan"), "plan", p, &plans, &mut report);
            }
        }
        for a in &self.actions {
            let place = format!("actions.{}", a.id);
            check_state(&place, &a.state, &mut report);
            for o in &a.organisations {
                check_ref(format!("{place}.organisations"), "organisation", o, &orgs, &mut report);
            }
            if let Some(p) = &a.plan {
                check_ref(format!("{place}.plan"), "plan", p, &plans, &mut report);
            }
        }
        for l in &self.laws {
            let place = format!("laws.{}", l.id);
            check_state(&place, &l.state, &mut report);
            for a in &l.amends {
                check_ref(format!("{place}.amends"), "law", a, &laws, &mut report);
            }
        }
        for s in &self.services {
            let place = format!("services.{}", s.id);
            check_state(&place, &s.state, &mut report);
            for o in &s.organisations {
                check_ref(format!("{place}.organisations"), "organisation", o, &orgs, &mut report);
            }
        }
        let plan_refs = self
            .participation
            .iter()
            .map(|p| (format!("participation.{}", p.id), &p.state, &p.plan))
            .chain(self.protection.iter().map(|p| (format!("protection.{}", p.id), &p.state, &p.plan)))
            .chain(self.evaluations.iter().map(|p| (format!("evaluations.{}", p.id), &p.state, &p.plan)));
        for (place, state, plan) in plan_refs {
            check_state(&place, state, &mut report);
            if let Some(p) = plan {
                check_ref(format!("{place}.plan"), "plan", p, &plans, &mut report);
            }
        }
        for r in &self.responses {
            check_state(&format!("responses.{}", r.id), &r.state, &mut report);
        }
        for r in &self.ratifications {
            let place = format!("ratifications.{}/{}", r.state, r.treaty);
            check_state(&place, &r.state, &mut report);
            check_ref(format!("{place}.treaty"), "treaty", &r.treaty, &treaties, &mut report);
            if r.status.is_party() != r.date.is_some() && r.status != crate::treaty::RatificationStatus::Signature {
                report(place, format!("status {:?} and date {:?} do not go together", r.status, r.date));
            }
        }
        for r in &self.reports {
            let place = format!("reports.{}/{}/{}", r.state, r.treaty, r.sequence);
            check_state(&place, &r.state, &mut report);
            check_ref(format!("{place}.treaty"), "treaty", &r.treaty, &treaties, &mut report);
        }
        let sources = self
            .plans
            .iter()
            .map(|p| (format!("plans.{}", p.id), &p.source))
            .chain(self.laws.iter().map(|l| (format!("laws.{}", l.id), &l.source)))
            .chain(self.bodies.iter().map(|b| (format!("bodies.{}", b.id), &b.source)))
            .chain(self.actions.iter().map(|a| (format!("actions.{}", a.id), &a.source)))
            .chain(self.services.iter().map(|s| (format!("services.{}", s.id), &s.source)))
            .chain(self.treaties.iter().map(|t| (format!("treaties.{}", t.code), &t.source)));
        for (place, source) in sources {
            check_ref(format!("{place}.source.doc"), "document", &source.doc, &docs, &mut report);
        }
        duplicates("translations", self.translations.iter().map(|t| t.id.as_str()), &mut report);
        crate::translation::check(self, &mut report);
        self.check_texts(&mut report);
        problems
    }
}

fn duplicates<'a>(table: &str, ids: impl Iterator<Item = &'a str>, report: &mut impl FnMut(String, String)) {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.is_empty() {
            report(table.to_string(), "a record has an empty id".into());
        } else if !seen.insert(id) {
            report(format!("{table}.{id}"), "the id is used twice".into());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_field_is_checked_and_the_record_and_field_are_named() {
        let mut ds = crate::analysis::bundled();
        assert_eq!(ds.validate(), vec![], "the bundled data follows the text policy");
        let id = ds.plans[0].id.clone();
        ds.plans[0].name = "n".repeat(20 * 1024 * 1024);
        ds.plans[1].summary = Some("a\u{1}b".into());
        ds.laws[0].title = "two\nlines".into();
        let problems: Vec<String> = ds.validate().iter().map(ToString::to_string).collect();
        assert!(problems.iter().any(|p| p.starts_with(&format!("plans.{id}.name: ")) && p.contains("at most 1000")));
        let second = format!("plans.{}.summary: character U+0001", ds.plans[1].id);
        assert!(problems.iter().any(|p| p.starts_with(&second)), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains(".title: character U+000A")), "{problems:?}");
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
