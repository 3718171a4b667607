//! The Rio de Janeiro commitment (Third World Congress against the Sexual Exploitation of Children
//! and Adolescents, 2008): what a national plan should have, and how far each responding State's
//! last approved plan shows it in the registry.
//!
//! Each of the ten [`CRITERIA`] has a written rule over the registry; every answer carries the
//! records that decided it ([`Evidence`]). "Unknown" means the registry cannot tell, and four
//! criteria (gender strategies, social protection, operational plans, adequate resources) have no
//! structured field: a mention in a text gives at most "partial", since a mention is not proof.
//!
//! The plan's records are those that name the last approved plan (actions, contributions,
//! participation, protection, evaluations), the bodies whose `plans` name it and their members.
//! Records that name another plan, or leave their `plan` empty, are left out. Services have no
//! plan field: victim support counts the State's own (part II of the 2014 form asks about them
//! beside the last approved plan), but comprehensiveness does not, since they are not the plan's
//! content; laws are not read at all.
//!
//! The score has no hidden weights: 2 points per yes, 1 per partial, 0 per no, out of 2 per
//! criterion that is not unknown; a criterion the registry cannot answer neither helps nor hurts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::comparison::CYCLE;
use super::english_name;
use super::indicators::Evidence;
use crate::facts::{Action, Evaluation, EvaluationStatus, FocalPoint, Participation, Protection, Service};
use crate::period::Answer;
use crate::registry::{Body, Contribution, ContributionKind, Member, Organisation, Plan, PlanLinkKind, Sector};
use crate::state::StateCode;
use crate::Dataset;

pub use super::rio_rules::{Criterion, CRITERIA};

/// The keywords of the text rules, as the rules list them (`*`: a word beginning; otherwise a whole
/// word or phrase).
pub(crate) const GENDER: &[&str] = &["gender", "género", "gênero", "women", "woman", "mujer*", "mulher*", "femme*"];
pub(crate) const SOCIAL_PROTECTION: &[&str] = &[
    "social protection",
    "protección social",
    "proteção social",
    "protection sociale",
    "transfer*",
    "welfare",
    "bienestar",
    "social assistance",
    "asistencia social",
    "poverty",
    "pobreza",
];
const OPERATIONAL: &[&str] = &[
    "operational plan*",
    "operational programme*",
    "plan operativo",
    "planes operativos",
    "plano operativo",
    "plan opérationnel",
    "action matrix",
    "matriz de acción",
    "work plan*",
    "working plan*",
    "plan de trabajo",
    "plano de trabalho",
    "plan de travail",
    "annual plan*",
    "operating plan*",
    "implementation plan*",
];
const RESOURCES: &[&str] = &[
    "fund",
    "funds",
    "funded",
    "funding",
    "financ*",
    "budget*",
    "presupuest*",
    "orçament*",
    "resources",
    "recursos",
    "ressources",
];
const MONITORING: &[&str] = &[
    "monitor*",
    "follow-up",
    "follow up",
    "follows up",
    "followed up",
    "following up",
    "seguimiento",
    "suivi",
    "acompanhamento",
    "indicator*",
];

/// One criterion's answer for one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionResult {
    pub id: &'static str,
    pub value: Answer,
    pub evidence: Vec<Evidence>,
}

/// Points out of what could be judged: 2 per yes, 1 per partial; `possible` is 2 per criterion
/// that is not unknown; `percent` is `None` when nothing could be judged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub points: u32,
    pub possible: u32,
    pub percent: Option<f64>,
}

impl Score {
    pub fn of(results: &[CriterionResult]) -> Score {
        let (mut points, mut possible) = (0, 0);
        for r in results {
            points += match r.value {
                Answer::Yes => 2,
                Answer::Partial => 1,
                Answer::No | Answer::Unknown => 0,
            };
            possible += if r.value == Answer::Unknown { 0 } else { 2 };
        }
        let percent = (possible > 0).then(|| f64::from(points) * 100.0 / f64::from(possible));
        Score { points, possible, percent }
    }
}

/// One State's last approved plan against the commitment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub state: StateCode,
    pub state_name: String,
    /// The last approved plan's id; `None` when no plan is marked as such (every criterion is
    /// then unknown: there is no plan to assess).
    pub plan: Option<String>,
    /// In [`CRITERIA`] order.
    pub results: Vec<CriterionResult>,
    pub score: Score,
    /// The State's reply to the assessment, shown beside it.
    pub reply: Option<String>,
}

impl Assessment {
    /// The result of a criterion (by id).
    pub fn result(&self, id: &str) -> Option<&CriterionResult> {
        self.results.iter().find(|r| r.id == id)
    }
}

/// Assesses the last approved plan of every State that answered the [`CYCLE`] consultation, by
/// English name; `replies` maps a State code to the State's reply.
pub fn rio_assessment(ds: &Dataset, replies: &BTreeMap<String, String>) -> Vec<Assessment> {
    let mut states: Vec<&StateCode> = ds.responses.iter().filter(|r| r.cycle == CYCLE).map(|r| &r.state).collect();
    states.sort_by_key(|s| english_name(ds, s));
    states.dedup();
    states
        .into_iter()
        .map(|state| {
            let plan = ds.plans.iter().find(|p| &p.state == state && p.last_approved);
            let results: Vec<CriterionResult> = match plan {
                Some(plan) => {
                    let records = PlanRecords::of(ds, plan);
                    CRITERIA.iter().map(|c| records.assess(c.id)).collect()
                }
                None => CRITERIA.iter().map(|c| result(c.id, Answer::Unknown, vec![])).collect(),
            };
            Assessment {
                state: state.clone(),
                state_name: english_name(ds, state).to_string(),
                plan: plan.map(|p| p.id.clone()),
                score: Score::of(&results),
                results,
                reply: replies.get(state.as_str()).cloned(),
            }
        })
        .collect()
}

/// The plan's records (see the module documentation), gathered once for every criterion.
struct PlanRecords<'a> {
    plan: &'a Plan,
    /// Plans of the State recorded as making this one operational.
    operational: Vec<&'a Plan>,
    bodies: Vec<&'a Body>,
    members: Vec<&'a Member>,
    actions: Vec<&'a Action>,
    contributions: Vec<&'a Contribution>,
    services: Vec<&'a Service>,
    participation: Vec<&'a Participation>,
    protection: Vec<&'a Protection>,
    evaluations: Vec<&'a Evaluation>,
    organisations: BTreeMap<&'a str, &'a Organisation>,
}

impl<'a> PlanRecords<'a> {
    fn of(ds: &'a Dataset, plan: &'a Plan) -> Self {
        let state = &plan.state;
        let of_plan = |p: &Option<String>| p.as_deref() == Some(plan.id.as_str());
        let bodies: Vec<&Body> =
            ds.bodies.iter().filter(|b| &b.state == state && b.plans.iter().any(|p| p == &plan.id)).collect();
        let body_ids: BTreeSet<&str> = bodies.iter().map(|b| b.id.as_str()).collect();
        PlanRecords {
            plan,
            operational: ds
                .plans
                .iter()
                .filter(|p| &p.state == state)
                .filter(|p| p.links.iter().any(|l| l.kind == PlanLinkKind::MakesOperational && l.plan == plan.id))
                .collect(),
            members: ds.members.iter().filter(|m| &m.state == state && body_ids.contains(m.body.as_str())).collect(),
            bodies,
            actions: ds.actions.iter().filter(|r| &r.state == state && of_plan(&r.plan)).collect(),
            contributions: ds.contributions.iter().filter(|r| &r.state == state && of_plan(&r.plan)).collect(),
            services: ds.services.iter().filter(|r| &r.state == state).collect(),
            participation: ds.participation.iter().filter(|r| &r.state == state && of_plan(&r.plan)).collect(),
            protection: ds.protection.iter().filter(|r| &r.state == state && of_plan(&r.plan)).collect(),
            evaluations: ds.evaluations.iter().filter(|r| &r.state == state && of_plan(&r.plan)).collect(),
            organisations: ds.organisations.iter().map(|o| (o.id.as_str(), o)).collect(),
        }
    }

    fn assess(&self, criterion: &'static str) -> CriterionResult {
        match criterion {
            "comprehensive" => self.comprehensive(),
            "inter-sectoral" => self.inter_sectoral(),
            "all-stakeholders" => self.all_stakeholders(),
            "gender-strategies" => mentioned(criterion, self.texts_mentioning(GENDER)),
            "social-protection" => mentioned(criterion, self.texts_mentioning(SOCIAL_PROTECTION)),
            "operational-plans" if !self.operational.is_empty() => {
                let adopted: Vec<_> = self.operational.iter().filter(|p| p.adopted.date().is_some()).collect();
                if adopted.is_empty() {
                    result(criterion, Answer::Partial, ev("plans", &self.operational, |p| &p.id))
                } else {
                    result(criterion, Answer::Yes, ev("plans", adopted, |p| &p.id))
                }
            }
            "operational-plans" => mentioned(criterion, self.texts_mentioning(OPERATIONAL)),
            "adequate-resources" => {
                let funding = self.contributions.iter().filter(|c| c.kinds.contains(&ContributionKind::Funding));
                let mut found = ev("contributions", funding, |c| &c.id);
                found.extend(self.texts_mentioning(RESOURCES));
                mentioned(criterion, found)
            }
            "monitoring-evaluation" => self.monitoring_evaluation(),
            "responsible-actors" => self.responsible_actors(),
            "victim-support" => self.victim_support(),
            other => panic!("`{other}` is not a criterion; expected one of CRITERIA"),
        }
    }

    fn comprehensive(&self) -> CriterionResult {
        let actions = |f: FocalPoint| ev("actions", self.actions.iter().filter(|a| a.focal_point == f), |a| &a.id);
        let mut covered = 0;
        let mut evidence = Vec::new();
        for focal_point in FocalPoint::ALL {
            let mut found = actions(focal_point);
            match focal_point {
                FocalPoint::Coordination => found.extend(ev("bodies", &self.bodies, |b| &b.id)),
                FocalPoint::Prevention => {}
                FocalPoint::Protection => {
                    let provisions = self.protection.iter().filter(|p| p.plan_provisions.is_some());
                    found.extend(ev("protection", provisions, |p| &p.id));
                }
                FocalPoint::Recovery => {}
                FocalPoint::Participation => {
                    let some = |a: Answer| matches!(a, Answer::Yes | Answer::Partial);
                    let answered = self.participation.iter().filter(|p| {
                        some(p.children_heard) || some(p.organisations_in_actions) || some(p.self_protection)
                    });
                    found.extend(ev("participation", answered, |p| &p.id));
                }
            }
            covered += usize::from(!found.is_empty());
            evidence.extend(found);
        }
        let value = match covered {
            4.. => Answer::Yes,
            2..=3 => Answer::Partial,
            1 => Answer::No,
            0 => Answer::Unknown,
        };
        result("comprehensive", value, evidence)
    }

    fn inter_sectoral(&self) -> CriterionResult {
        if self.members.is_empty() {
            return result("inter-sectoral", Answer::Unknown, ev("bodies", &self.bodies, |b| &b.id));
        }
        let is_state =
            |s: Sector| matches!(s, Sector::State | Sector::LocalGovernment | Sector::Legislative | Sector::Judicial);
        let mut state_orgs = BTreeSet::new();
        let mut other_orgs = BTreeSet::new();
        for m in &self.members {
            match self.sector(m) {
                Some(s) if is_state(s) => state_orgs.insert(m.organisation.as_str()),
                Some(_) => other_orgs.insert(m.organisation.as_str()),
                None => false,
            };
        }
        let yes = state_orgs.len() >= 2 || (!state_orgs.is_empty() && !other_orgs.is_empty());
        let value = if yes { Answer::Yes } else { Answer::No };
        result("inter-sectoral", value, ev("members", &self.members, |m| &m.id))
    }

    fn all_stakeholders(&self) -> CriterionResult {
        let civil = |org: &str| self.organisations.get(org).map(|o| o.sector) == Some(Sector::CivilSociety);
        let naming: Vec<&&Action> = self.actions.iter().filter(|a| !a.organisations.is_empty()).collect();
        let mut found = ev("members", self.members.iter().filter(|m| civil(&m.organisation)), |m| &m.id);
        found.extend(ev("actions", naming.iter().filter(|a| a.organisations.iter().any(|o| civil(o))), |a| &a.id));
        if !found.is_empty() {
            result("all-stakeholders", Answer::Yes, found)
        } else if self.members.is_empty() && naming.is_empty() {
            result("all-stakeholders", Answer::Unknown, vec![])
        } else {
            let mut read = ev("bodies", &self.bodies, |b| &b.id);
            read.extend(ev("actions", naming, |a| &a.id));
            result("all-stakeholders", Answer::No, read)
        }
    }

    fn monitoring_evaluation(&self) -> CriterionResult {
        let with = |wanted: &[EvaluationStatus]| {
            ev("evaluations", self.evaluations.iter().filter(|e| wanted.contains(&e.status)), |e| &e.id)
        };
        let id = "monitoring-evaluation";
        let under_way = with(&[EvaluationStatus::Done, EvaluationStatus::InProgress]);
        if !under_way.is_empty() {
            return result(id, Answer::Yes, under_way);
        }
        let mut partial = with(&[EvaluationStatus::Planned]);
        partial.extend(self.own_texts_mentioning(MONITORING));
        let not_done = with(&[EvaluationStatus::NotDone]);
        if !partial.is_empty() {
            result(id, Answer::Partial, partial)
        } else if !self.evaluations.is_empty() && not_done.len() == self.evaluations.len() {
            result(id, Answer::No, not_done)
        } else {
            result(id, Answer::Unknown, with(&[EvaluationStatus::Unknown]))
        }
    }

    fn responsible_actors(&self) -> CriterionResult {
        let id = "responsible-actors";
        let stated = self.members.iter().filter(|m| m.functions.is_some() || !m.components.is_empty());
        let stated = ev("members", stated, |m| &m.id);
        if self.members.is_empty() {
            result(id, Answer::Unknown, ev("bodies", &self.bodies, |b| &b.id))
        } else if stated.len() == self.members.len() {
            result(id, Answer::Yes, stated)
        } else if !stated.is_empty() {
            result(id, Answer::Partial, stated)
        } else {
            result(id, Answer::No, ev("bodies", &self.bodies, |b| &b.id))
        }
    }

    fn victim_support(&self) -> CriterionResult {
        let recovery = self.actions.iter().filter(|a| a.focal_point == FocalPoint::Recovery);
        let mut found = ev("services", &self.services, |s| &s.id);
        found.extend(ev("actions", recovery, |a| &a.id));
        if !found.is_empty() {
            result("victim-support", Answer::Yes, found)
        } else if !self.actions.is_empty() {
            result("victim-support", Answer::No, ev("actions", &self.actions, |a| &a.id))
        } else {
            result("victim-support", Answer::Unknown, vec![])
        }
    }

    /// The records among the plan's texts (the fields the text rules list) that mention a keyword.
    fn texts_mentioning(&self, keywords: &[&str]) -> Vec<Evidence> {
        let mut found = self.own_texts_mentioning(keywords);
        let hit = |texts: &[Option<&String>]| texts.iter().flatten().any(|t| mentions(t, keywords));
        let actions =
            self.actions.iter().filter(|a| hit(&[Some(&a.name), a.summary.as_ref(), a.target_population.as_ref()]));
        found.extend(ev("actions", actions, |a| &a.id));
        found
    }

    /// The same, among the texts of the plan, its governing bodies and their members only.
    fn own_texts_mentioning(&self, keywords: &[&str]) -> Vec<Evidence> {
        let hit = |texts: &[Option<&String>]| texts.iter().flatten().any(|t| mentions(t, keywords));
        let p = self.plan;
        let mut found = Vec::new();
        let mut plan_texts =
            vec![Some(&p.name), p.acronym.as_ref(), p.summary.as_ref(), p.changes_from_previous.as_ref()];
        plan_texts.extend(p.translations.values().map(Some));
        if hit(&plan_texts) {
            found.push(Evidence { table: "plans", id: p.id.clone() });
        }
        let bodies = self.bodies.iter().filter(|b| {
            hit(&[
                Some(&b.name),
                b.acronym.as_ref(),
                b.legal_basis.as_ref(),
                b.summary.as_ref(),
                b.rights_perspective.as_ref(),
            ])
        });
        found.extend(ev("bodies", bodies, |b| &b.id));
        let members = self.members.iter().filter(|m| {
            let mut texts = vec![m.functions.as_ref()];
            texts.extend(m.components.iter().map(Some));
            hit(&texts)
        });
        found.extend(ev("members", members, |m| &m.id));
        found
    }

    fn sector(&self, member: &Member) -> Option<Sector> {
        self.organisations.get(member.organisation.as_str()).map(|o| o.sector)
    }
}

/// The text rules' answer: partial with the mentions, unknown without (never yes, never no).
fn mentioned(id: &'static str, found: Vec<Evidence>) -> CriterionResult {
    let value = if found.is_empty() { Answer::Unknown } else { Answer::Partial };
    result(id, value, found)
}

/// Whether `text` mentions a keyword, case-insensitively: the keyword starts a word, and ends one
/// unless it ends with `*` (a word beginning: `financ*` matches "financial", "financiamiento").
pub(crate) fn mentions(text: &str, keywords: &[&str]) -> bool {
    let text = text.to_lowercase();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    keywords.iter().any(|kw| {
        let (word, prefix) = match kw.strip_suffix('*') {
            Some(w) => (w, true),
            None => (*kw, false),
        };
        text.match_indices(word).any(|(at, _)| {
            boundary(text[..at].chars().next_back()) && (prefix || boundary(text[at + word.len()..].chars().next()))
        })
    })
}

fn result(id: &'static str, value: Answer, evidence: Vec<Evidence>) -> CriterionResult {
    CriterionResult { id, value, evidence }
}

/// The evidence of some records: their table and ids.
fn ev<R>(table: &'static str, rows: impl IntoIterator<Item = R>, id: impl Fn(&R) -> &String) -> Vec<Evidence> {
    rows.into_iter().map(|r| Evidence { table, id: id(&r).clone() }).collect()
}

#[cfg(test)]
#[path = "rio_tests.rs"]
mod tests;
