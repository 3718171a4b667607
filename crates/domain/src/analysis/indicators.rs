//! The indicators of the comparison of States: what each one asks, under which group it is shown,
//! and the rule that answers it for one State from that State's records.
//!
//! Every answer carries its evidence: the records that decided it, so a reader can check a cell
//! against the data. Absence is an answer too: "no" means the records were read and none
//! qualifies, "unknown" means the records cannot tell.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::{Action, Evaluation, EvaluationStatus, FocalPoint, Law, Participation, Service};
use crate::period::Answer;
use crate::registry::{Agreement, Body, Contribution, LocalExpression, LocalKind, Member, Organisation, Plan};
use crate::registry::{PlanKind, Sector};
use crate::state::StateCode;
use crate::Dataset;

/// The comparison's column groups: the five Stockholm focal points, then the plan's evaluation,
/// which the questionnaire asks about apart from them (part III).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    Coordination,
    Prevention,
    Protection,
    Recovery,
    Participation,
    Evaluation,
}

impl Group {
    /// The focal point the group stands for; `None` for the plan's evaluation.
    pub fn focal_point(self) -> Option<FocalPoint> {
        FocalPoint::ALL.into_iter().find(|f| Group::from(*f) == self)
    }
}

impl From<FocalPoint> for Group {
    fn from(f: FocalPoint) -> Self {
        match f {
            FocalPoint::Coordination => Group::Coordination,
            FocalPoint::Prevention => Group::Prevention,
            FocalPoint::Protection => Group::Protection,
            FocalPoint::Recovery => Group::Recovery,
            FocalPoint::Participation => Group::Participation,
        }
    }
}

/// One column of the comparison. Ids are stable: pages, reports and translations key on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub id: &'static str,
    pub group: Group,
}

const fn ind(id: &'static str, group: Group) -> Indicator {
    Indicator { id, group }
}

/// Every indicator, in display order (grouped, groups in the report's order).
pub const INDICATORS: [Indicator; 16] = [
    ind("specific-plan", Group::Coordination),
    ind("plan-in-force", Group::Coordination),
    ind("governing-body", Group::Coordination),
    ind("civil-society-in-body", Group::Coordination),
    ind("international-in-body", Group::Coordination),
    ind("local-expression", Group::Coordination),
    ind("agreements", Group::Coordination),
    ind("prevention-actions", Group::Prevention),
    ind("prevention-evaluated", Group::Prevention),
    ind("laws-with-dates", Group::Protection),
    ind("recovery-services", Group::Recovery),
    ind("services-evaluated", Group::Recovery),
    ind("children-heard", Group::Participation),
    ind("children-organisations", Group::Participation),
    ind("self-protection", Group::Participation),
    ind("plan-evaluated", Group::Evaluation),
];

/// A record that decided an answer: its table (as in [`crate::dataset::TABLE_NAMES`]) and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub table: &'static str,
    pub id: String,
}

/// One State's answer to one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub value: Answer,
    pub evidence: Vec<Evidence>,
}

/// One State's records, gathered once so that every indicator reads the same set.
pub(crate) struct StateRecords<'a> {
    plans: Vec<&'a Plan>,
    bodies: Vec<&'a Body>,
    members: Vec<&'a Member>,
    local: Vec<&'a LocalExpression>,
    agreements: Vec<&'a Agreement>,
    contributions: Vec<&'a Contribution>,
    actions: Vec<&'a Action>,
    laws: Vec<&'a Law>,
    services: Vec<&'a Service>,
    participation: Vec<&'a Participation>,
    evaluations: Vec<&'a Evaluation>,
    organisations: BTreeMap<&'a str, &'a Organisation>,
}

impl<'a> StateRecords<'a> {
    pub(crate) fn of(ds: &'a Dataset, state: &StateCode) -> Self {
        fn mine<'a, T>(rows: &'a [T], state: &StateCode, of: impl Fn(&T) -> &StateCode) -> Vec<&'a T> {
            rows.iter().filter(|r| of(r) == state).collect()
        }
        StateRecords {
            plans: mine(&ds.plans, state, |r| &r.state),
            bodies: mine(&ds.bodies, state, |r| &r.state),
            members: mine(&ds.members, state, |r| &r.state),
            local: mine(&ds.local_expressions, state, |r| &r.state),
            agreements: mine(&ds.agreements, state, |r| &r.state),
            contributions: mine(&ds.contributions, state, |r| &r.state),
            actions: mine(&ds.actions, state, |r| &r.state),
            laws: mine(&ds.laws, state, |r| &r.state),
            services: mine(&ds.services, state, |r| &r.state),
            participation: mine(&ds.participation, state, |r| &r.state),
            evaluations: mine(&ds.evaluations, state, |r| &r.state),
            organisations: ds.organisations.iter().map(|o| (o.id.as_str(), o)).collect(),
        }
    }

    /// Answers one indicator (by its id) for this State.
    pub(crate) fn answer(&self, indicator: &str, on: chrono::NaiveDate) -> Cell {
        let last = self.plans.iter().find(|p| p.last_approved).copied();
        match indicator {
            "specific-plan" => self.specific_plan(last),
            "plan-in-force" => match last {
                Some(p) => cell(p.validity.in_force_on(on, p.adopted.date()), ev("plans", [p], |p| &p.id)),
                // Plans listed but none marked as the one analysed: which one counts is not known.
                None if !self.plans.is_empty() => cell(Answer::Unknown, ev("plans", &self.plans, |p| &p.id)),
                None => cell(Answer::No, vec![]),
            },
            "governing-body" => exists("bodies", &self.bodies, |b| &b.id),
            "civil-society-in-body" if self.bodies.is_empty() => cell(Answer::Unknown, vec![]),
            "civil-society-in-body" => {
                let civil: Vec<_> =
                    self.members.iter().filter(|m| self.sector(m) == Some(Sector::CivilSociety)).collect();
                yes_or_no(ev("members", civil, |m| &m.id), || ev("bodies", &self.bodies, |b| &b.id))
            }
            "international-in-body" => {
                let intl = self.members.iter().filter(|m| self.sector(m) == Some(Sector::International));
                let mut found = ev("members", intl, |m| &m.id);
                found.extend(ev("contributions", &self.contributions, |c| &c.id));
                yes_or_no(found, || ev("bodies", &self.bodies, |b| &b.id))
            }
            "local-expression" => self.local_expression(),
            "agreements" => exists("agreements", &self.agreements, |a| &a.id),
            "prevention-actions" => exists("actions", self.prevention(), |a| &a.id),
            "prevention-evaluated" => {
                evaluated(self.prevention().into_iter().map(|a| (a.impact_evaluation, "actions", a.id.as_str())))
            }
            "laws-with-dates" => self.laws_with_dates(),
            "recovery-services" => exists("services", &self.services, |s| &s.id),
            "services-evaluated" => evaluated(self.services.iter().map(|s| (s.evaluation, "services", s.id.as_str()))),
            "children-heard" => self.participation(|p| p.children_heard),
            "children-organisations" => self.participation(|p| p.organisations_in_actions),
            "self-protection" => self.participation(|p| p.self_protection),
            "plan-evaluated" => evaluated(self.evaluations.iter().map(|e| (e.status, "evaluations", e.id.as_str()))),
            other => panic!("`{other}` is not an indicator; expected one of INDICATORS"),
        }
    }

    /// Yes when the plan analysed is specific; partial when only an earlier one was (the State
    /// had a specific plan and moved to a broader instrument).
    fn specific_plan(&self, last: Option<&Plan>) -> Cell {
        let specific: Vec<&Plan> = self.plans.iter().copied().filter(|p| p.kind == PlanKind::SpecificSec).collect();
        match last {
            Some(p) if p.kind == PlanKind::SpecificSec => cell(Answer::Yes, ev("plans", [p], |p| &p.id)),
            Some(p) if !specific.is_empty() => {
                cell(Answer::Partial, ev("plans", specific.iter().copied().chain([p]), |p| &p.id))
            }
            // With no plan marked as analysed, any specific plan counts, as on the portal's map.
            None if !specific.is_empty() => cell(Answer::Yes, ev("plans", specific, |p| &p.id)),
            _ => cell(Answer::No, ev("plans", &self.plans, |p| &p.id)),
        }
    }

    fn local_expression(&self) -> Cell {
        let bodies = self.bodies.iter().filter(|b| matches!(b.local_expression, Answer::Yes | Answer::Partial));
        let mut found = ev("bodies", bodies, |b| &b.id);
        let (planned, actual): (Vec<&&LocalExpression>, Vec<_>) =
            self.local.iter().partition(|l| l.kind == LocalKind::Planned);
        found.extend(ev("local_expressions", actual, |l| &l.id));
        if !found.is_empty() {
            cell(Answer::Yes, found)
        } else if !planned.is_empty() {
            cell(Answer::Partial, ev("local_expressions", planned, |l| &l.id))
        } else {
            cell(Answer::No, ev("bodies", &self.bodies, |b| &b.id))
        }
    }

    /// The evidence of a partial or negative answer is the undated laws: what keeps it from yes.
    fn laws_with_dates(&self) -> Cell {
        let undated: Vec<&Law> = self.laws.iter().copied().filter(|l| l.date.is_none()).collect();
        if self.laws.is_empty() {
            cell(Answer::No, vec![])
        } else if undated.is_empty() {
            cell(Answer::Yes, ev("laws", &self.laws, |l| &l.id))
        } else if undated.len() < self.laws.len() {
            cell(Answer::Partial, ev("laws", undated, |l| &l.id))
        } else {
            cell(Answer::No, ev("laws", undated, |l| &l.id))
        }
    }

    /// The first participation record decides (the data has one per State, about the plan analysed).
    fn participation(&self, field: impl Fn(&Participation) -> Answer) -> Cell {
        match self.participation.first() {
            Some(p) => cell(field(p), ev("participation", [p], |p| &p.id)),
            None => cell(Answer::Unknown, vec![]),
        }
    }

    fn prevention(&self) -> Vec<&'a Action> {
        self.actions.iter().copied().filter(|a| a.focal_point == FocalPoint::Prevention).collect()
    }

    fn sector(&self, member: &Member) -> Option<Sector> {
        self.organisations.get(member.organisation.as_str()).map(|o| o.sector)
    }
}

fn cell(value: Answer, evidence: Vec<Evidence>) -> Cell {
    Cell { value, evidence }
}

fn ev<'r, T: 'r>(
    table: &'static str,
    rows: impl IntoIterator<Item = &'r T>,
    id: impl Fn(&T) -> &String,
) -> Vec<Evidence> {
    rows.into_iter().map(|r| Evidence { table, id: id(r).clone() }).collect()
}

fn exists<'r, T: 'r>(table: &'static str, rows: impl IntoIterator<Item = &'r T>, id: impl Fn(&T) -> &String) -> Cell {
    yes_or_no(ev(table, rows, id), Vec::new)
}

/// Yes with what was found, or no with what was read and did not qualify.
fn yes_or_no(found: Vec<Evidence>, read: impl FnOnce() -> Vec<Evidence>) -> Cell {
    if found.is_empty() {
        cell(Answer::No, read())
    } else {
        cell(Answer::Yes, found)
    }
}

/// One rule for every "was it evaluated" question: the most advanced status decides; "no" needs
/// every record to say not done, because one record of unknown status may hide an evaluation.
fn evaluated<'r>(records: impl Iterator<Item = (EvaluationStatus, &'static str, &'r str)>) -> Cell {
    let records: Vec<_> = records.collect();
    let with = |wanted: &[EvaluationStatus]| -> Vec<Evidence> {
        let hits = records.iter().filter(|(s, _, _)| wanted.contains(s));
        hits.map(|(_, table, id)| Evidence { table, id: id.to_string() }).collect()
    };
    let done = with(&[EvaluationStatus::Done]);
    let under_way = with(&[EvaluationStatus::InProgress, EvaluationStatus::Planned]);
    let not_done = with(&[EvaluationStatus::NotDone]);
    if !done.is_empty() {
        cell(Answer::Yes, done)
    } else if !under_way.is_empty() {
        cell(Answer::Partial, under_way)
    } else if !records.is_empty() && not_done.len() == records.len() {
        cell(Answer::No, not_done)
    } else {
        cell(Answer::Unknown, with(&[EvaluationStatus::Unknown]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_the_focal_points_then_the_evaluation() {
        for f in FocalPoint::ALL {
            assert_eq!(Group::from(f).focal_point(), Some(f));
        }
        assert_eq!(Group::Evaluation.focal_point(), None);
        let ids: std::collections::BTreeSet<&str> = INDICATORS.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), INDICATORS.len(), "indicator ids are unique");
        assert!(INDICATORS.windows(2).all(|w| w[0].group <= w[1].group), "each group is contiguous");
    }

    #[test]
    fn the_evaluation_rule_takes_the_most_advanced_status() {
        use EvaluationStatus::*;
        let rule = |statuses: &[EvaluationStatus]| {
            let ids: Vec<String> = (0..statuses.len()).map(|i| format!("a{i}")).collect();
            evaluated(statuses.iter().zip(&ids).map(|(s, id)| (*s, "actions", id.as_str())))
        };
        let done = rule(&[NotDone, Done, Unknown, Planned]);
        assert_eq!((done.value, done.evidence.len(), done.evidence[0].id.as_str()), (Answer::Yes, 1, "a1"));
        assert_eq!(rule(&[NotDone, InProgress]).value, Answer::Partial);
        assert_eq!(rule(&[Planned]).value, Answer::Partial);
        assert_eq!(rule(&[NotDone, NotDone]).value, Answer::No);
        assert_eq!(rule(&[NotDone, Unknown]).value, Answer::Unknown);
        assert_eq!(rule(&[]), Cell { value: Answer::Unknown, evidence: vec![] });
    }
}
