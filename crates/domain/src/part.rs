//! One State's part of the registry: what accepting its answers reads, projects, validates and
//! diffs, so that an acceptance costs what that State's records cost, not what the whole
//! registry costs.
//!
//! The part holds the State, its records of every table that has a State, the regional
//! organisations (a State's answers may name them), the treaties, the documents of the State's
//! answers, and then, until nothing is missing, every record that what it holds refers to (a
//! plan linked from another State, the documents that source its records). So the part
//! validates exactly when the State's records do in the whole registry, and a change computed
//! on it touches only the State's records. Engines read it with a `fetch` of their own; the same
//! walk runs on a dataset in memory ([`Dataset::part`]), which the tests compare them with.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::dataset::TABLE_NAMES;
use crate::history::{key, records};
use crate::Dataset;

/// Which rows of a table to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    /// The rows whose `state` is this code.
    OfState(String),
    /// The rows without a State (regional organisations).
    Regional,
    /// Every row.
    All,
    /// The rows with these keys (`code` for States and treaties, `id` otherwise).
    Keys(Vec<String>),
    /// The documents of a State's answers to any cycle (`answers-<cycle>-<code>`).
    AnswerDocuments(String),
    /// The translations of the records with these keys.
    Translating(Vec<String>),
}

impl Rows {
    /// Whether `record` of `table` is one of these rows (what an engine's query selects).
    pub fn includes(&self, table: &str, record: &Value) -> bool {
        let state = record.get("state").and_then(Value::as_str);
        match self {
            Rows::OfState(code) => state == Some(code.as_str()),
            Rows::Regional => state.is_none(),
            Rows::All => true,
            Rows::Keys(keys) => keys.contains(&key(table, record)),
            Rows::Translating(keys) => {
                record.get("record").and_then(Value::as_str).is_some_and(|r| keys.iter().any(|k| k == r))
            }
            Rows::AnswerDocuments(code) => {
                let id = record.get("id").and_then(Value::as_str).unwrap_or_default();
                id.starts_with("answers-") && id.ends_with(&format!("-{}", code.to_lowercase()))
            }
        }
    }
}

/// The rows each table's part starts from.
fn first(table: &str, code: &str) -> Vec<Rows> {
    match table {
        "documents" => vec![Rows::AnswerDocuments(code.into())],
        "states" => vec![Rows::Keys(vec![code.into()])],
        "organisations" => vec![Rows::OfState(code.into()), Rows::Regional],
        "treaties" => vec![Rows::All],
        // Regional findings of the 2014 report: no State's answers change them.
        "swot" => vec![],
        // Translations follow their texts; an acceptance does not write them.
        "translations" => vec![],
        _ => vec![Rows::OfState(code.into())],
    }
}

/// The part of the registry that belongs to State `code`, read through `fetch` (`table`, which
/// rows → those rows as the registry's JSON, in the registry's order).
pub fn part<E>(
    code: &str,
    mut fetch: impl FnMut(&'static str, &Rows) -> Result<Vec<Value>, E>,
    invalid: impl Fn(String) -> E,
) -> Result<Dataset, E> {
    let mut tables: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
    for table in TABLE_NAMES {
        let rows = tables.entry(table).or_default();
        for which in first(table, code) {
            rows.extend(fetch(table, &which)?);
        }
    }
    let mut asked: BTreeSet<(&'static str, String)> = BTreeSet::new();
    loop {
        let dataset = read(&tables).map_err(&invalid)?;
        let missing: Vec<(&'static str, Vec<String>)> = dataset
            .references()
            .into_iter()
            .map(|(table, ids)| (table, ids.into_iter().filter(|id| asked.insert((table, id.clone()))).collect()))
            .filter(|(_, ids): &(_, Vec<String>)| !ids.is_empty())
            .collect();
        if missing.is_empty() {
            // What is still missing is missing from the registry too: validation says so. The
            // translations of the texts held come last: an acceptance replaces those of the
            // texts it changes.
            let held: BTreeSet<String> = tables
                .iter()
                .filter(|(table, _)| **table != "translations")
                .flat_map(|(table, rows)| rows.iter().map(|r| key(table, r)))
                .collect();
            let rows = fetch("translations", &Rows::Translating(held.into_iter().collect()))?;
            tables.insert("translations", rows);
            return read(&tables).map_err(&invalid);
        }
        for (table, ids) in missing {
            let rows = fetch(table, &Rows::Keys(ids))?;
            tables.entry(table).or_default().extend(rows);
        }
    }
}

fn read(tables: &BTreeMap<&'static str, Vec<Value>>) -> Result<Dataset, String> {
    let object: Map<String, Value> =
        tables.iter().map(|(table, rows)| (table.to_string(), Value::Array(rows.clone()))).collect();
    serde_json::from_value(Value::Object(object)).map_err(|e| format!("the registry does not read: {e}"))
}

impl Dataset {
    /// State `code`'s part of this dataset, as an engine reads it (see the module's text).
    pub fn part(&self, code: &str) -> Result<Dataset, String> {
        let all = records(self)?;
        part(
            code,
            |table, which| {
                let rows = all.iter().find(|(t, _)| *t == table).map(|(_, rows)| rows.as_slice()).unwrap_or_default();
                Ok(rows.iter().filter(|r| which.includes(table, r)).cloned().collect())
            },
            |message| message,
        )
    }

    /// The keys this dataset refers to but does not hold, by table: the checks of
    /// [`Dataset::validate`] that reach another record.
    pub fn references(&self) -> BTreeMap<&'static str, BTreeSet<String>> {
        let mut wanted: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        let mut want = |table: &'static str, id: &str| {
            wanted.entry(table).or_default().insert(id.to_string());
        };
        let states = self.organisations.iter().filter_map(|o| o.state.as_ref());
        let states = states
            .chain(self.plans.iter().map(|r| &r.state))
            .chain(self.bodies.iter().map(|r| &r.state))
            .chain(self.members.iter().map(|r| &r.state))
            .chain(self.local_expressions.iter().map(|r| &r.state))
            .chain(self.agreements.iter().map(|r| &r.state))
            .chain(self.contributions.iter().map(|r| &r.state))
            .chain(self.actions.iter().map(|r| &r.state))
            .chain(self.laws.iter().map(|r| &r.state))
            .chain(self.services.iter().map(|r| &r.state))
            .chain(self.participation.iter().map(|r| &r.state))
            .chain(self.protection.iter().map(|r| &r.state))
            .chain(self.evaluations.iter().map(|r| &r.state))
            .chain(self.responses.iter().map(|r| &r.state))
            .chain(self.ratifications.iter().map(|r| &r.state))
            .chain(self.reports.iter().map(|r| &r.state));
        for s in states {
            want("states", s.as_str());
        }
        let plans = self.plans.iter().flat_map(|p| p.links.iter().map(|l| l.plan.as_str()));
        let plans = plans
            .chain(self.bodies.iter().flat_map(|b| b.plans.iter().map(String::as_str)))
            .chain(self.contributions.iter().filter_map(|c| c.plan.as_deref()))
            .chain(self.actions.iter().filter_map(|a| a.plan.as_deref()))
            .chain(self.participation.iter().filter_map(|p| p.plan.as_deref()))
            .chain(self.protection.iter().filter_map(|p| p.plan.as_deref()))
            .chain(self.evaluations.iter().filter_map(|p| p.plan.as_deref()));
        for id in plans {
            want("plans", id);
        }
        for id in self
            .members
            .iter()
            .map(|m| m.body.as_str())
            .chain(self.local_expressions.iter().filter_map(|l| l.body.as_deref()))
        {
            want("bodies", id);
        }
        let organisations = self.members.iter().map(|m| m.organisation.as_str());
        let organisations = organisations
            .chain(self.contributions.iter().map(|c| c.organisation.as_str()))
            .chain(self.actions.iter().flat_map(|a| a.organisations.iter().map(String::as_str)))
            .chain(self.services.iter().flat_map(|s| s.organisations.iter().map(String::as_str)));
        for id in organisations {
            want("organisations", id);
        }
        for id in self.laws.iter().flat_map(|l| l.amends.iter()) {
            want("laws", id);
        }
        for id in self.ratifications.iter().map(|r| &r.treaty).chain(self.reports.iter().map(|r| &r.treaty)) {
            want("treaties", id.as_str());
        }
        let documents = self.plans.iter().map(|p| &p.source.doc);
        let documents = documents
            .chain(self.laws.iter().map(|l| &l.source.doc))
            .chain(self.bodies.iter().map(|b| &b.source.doc))
            .chain(self.actions.iter().map(|a| &a.source.doc))
            .chain(self.services.iter().map(|s| &s.source.doc))
            .chain(self.treaties.iter().map(|t| &t.source.doc));
        for id in documents {
            want("documents", id);
        }
        // Keep only what is not held.
        let all = records(self).unwrap_or_default();
        let held = |table: &str| -> BTreeSet<String> {
            let rows = all.iter().find(|(t, _)| *t == table).map(|(_, rows)| rows.as_slice()).unwrap_or_default();
            rows.iter().map(|r| key(table, r)).collect()
        };
        wanted
            .into_iter()
            .map(|(table, ids)| {
                let held = held(table);
                (table, ids.into_iter().filter(|id| !held.contains(id)).collect::<BTreeSet<_>>())
            })
            .filter(|(_, ids)| !ids.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::consultation::{prefill, Value as Answer};
    use crate::history::diff;
    use crate::projection::project;
    use crate::questionnaire::Questionnaire;

    #[test]
    fn every_state_s_part_validates_and_an_acceptance_computed_on_it_is_the_one_computed_on_the_whole() {
        let q = Questionnaire::parse("2014.toml", include_str!("../../../data/questionnaires/2014.toml")).unwrap();
        let mut whole = crate::analysis::bundled();
        whole.normalise();
        for state in whole.states.iter().map(|s| s.code.to_string()) {
            let part = whole.part(&state).unwrap();
            assert_eq!(part.validate(), vec![], "{state}'s part validates");
            assert!(part.plans.len() < whole.plans.len(), "{state}'s part is not the whole registry");
            let mut answers = prefill(&q, &whole, &state);
            answers.insert("plans.changes".into(), Answer::Text(format!("Changes reported by {state}.")));
            let on_part = project(&q, &answers, &part, 2015, &state);
            let on_whole = project(&q, &answers, &whole, 2015, &state);
            // A new record's number counts the table it is added to (the part's or the whole's):
            // the ids differ there and only there.
            let same = |a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
                numbered(&format!("{a:?}")) == numbered(&format!("{b:?}"))
            };
            assert!(
                same(&on_part.changes, &on_whole.changes),
                "{state}: {:?} / {:?}",
                on_part.changes,
                on_whole.changes
            );
            assert!(
                same(&on_part.skipped, &on_whole.skipped),
                "{state}: {:?} / {:?}",
                on_part.skipped,
                on_whole.skipped
            );
            let from_part = diff(&part, &on_part.dataset).unwrap();
            let from_whole = diff(&whole, &on_whole.dataset).unwrap();
            assert!(same(&from_part, &from_whole), "{state}: the same record changes");
            assert!(!from_part.is_empty(), "{state}: the answers change something");
        }
    }

    /// The text with the number of each new record's id (`-2015-<n>`) left out.
    fn numbered(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("-2015-") {
            out.push_str(&rest[..i + 6]);
            rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_digit());
            out.push('N');
        }
        out + rest
    }

    #[test]
    fn a_record_another_state_s_record_refers_to_is_read_with_its_own_references() {
        let mut whole = crate::analysis::bundled();
        whole.normalise();
        let (cl, ar) = ("CL", "AR");
        let other = whole.plans.iter().position(|p| p.state.as_str() == ar).expect("Argentina has a plan");
        let other_id = whole.plans[other].id.clone();
        let mine = whole.plans.iter().position(|p| p.state.as_str() == cl).expect("Chile has a plan");
        let kind = crate::registry::PlanLinkKind::Includes;
        whole.plans[mine].links.push(crate::registry::PlanLink { kind, plan: other_id.clone() });
        assert_eq!(whole.validate(), vec![]);
        let part = whole.part(cl).unwrap();
        assert!(part.plans.iter().any(|p| p.id == other_id), "the linked plan is read");
        assert!(part.states.iter().any(|s| s.code.as_str() == ar), "and the State it belongs to");
        assert_eq!(part.validate(), vec![]);
    }
}
