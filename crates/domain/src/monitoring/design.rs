//! The Rio de Janeiro commitment's criteria computed from a plan in design: the secretariat's
//! technical assistance to a State drafting its next plan.
//!
//! A [`Draft`] is the next plan's action matrix while it is written. [`carry_over`] starts it
//! from the last plan's matrix: objectives, lines, actions and indicators keep their ids and
//! texts, leads, partners, focal points and resources; every action is "not started" again and
//! loses its status updates and its dates (the old calendar is not the new plan's); every
//! indicator loses its baseline and target (values of the old plan: the new plan sets its own)
//! and its first period becomes the new plan's start. [`from_record`] starts it from the plan's
//! registry record when the last plan has no matrix: one objective per Stockholm focal point under
//! which the plan has actions recorded, each with one line of that focal point holding those
//! actions (their organisations of the registry as partners); a plan without recorded actions
//! gives one objective named after the plan.
//!
//! [`checklist`] answers nine of the commitment's criteria (those of
//! `analysis::rio_rules::CRITERIA` but "comprehensive", which needs the whole registry) from the
//! draft alone, each with what in the draft satisfies it (the item, its id and the field), or
//! nothing. The published rules:
//!
//! - **inter-sectoral**: the actions' leads and partners include two distinct organisations of
//!   State sectors (state, local government, legislative, judicial), or one and an organisation of
//!   another sector; the evidence is every such lead and partner.
//! - **all-stakeholders** (civil society): a lead or partner of an action is an organisation of
//!   the civil-society sector in the registry.
//! - **gender-strategies**: an indicator is disaggregated by sex, or a title (objective, line,
//!   action), an action's resources or an indicator's name mentions one of [`GENDER`].
//! - **social-protection**: a title, resources or indicator name mentions one of
//!   [`SOCIAL_PROTECTION`].
//! - **operational-plans**: an action has both a start and a target date.
//! - **adequate-resources**: an action states its resources (the `resources` text).
//! - **monitoring-evaluation**: an indicator has both a baseline and a target.
//! - **responsible-actors**: an action names its lead institution.
//! - **victim-support**: a line serves the recovery and reintegration focal point, or a title,
//!   resources or indicator name mentions one of [`VICTIMS`].
//!
//! Keywords match case-insensitively at the start of a word and end one, unless they end with `*`
//! (a word beginning), as in the Rio assessment of the registry.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Action, ActionStatus, Line, Matrix, Objective};
use crate::analysis::rio::{mentions, GENDER as RIO_GENDER, SOCIAL_PROTECTION as RIO_SOCIAL};
use crate::analysis::rio_rules::CRITERIA;
use crate::facts::FocalPoint;
use crate::registry::{Plan, Sector};
use crate::Dataset;

/// The gender keywords: the Rio assessment's, and girls in the four languages.
pub const GENDER: &[&str] = &[
    "gender", "género", "gênero", "women", "woman", "mujer*", "mulher*", "femme*", "girls", "niñas", "meninas",
    "filles",
];
/// The social-protection keywords: the Rio assessment's, and their Portuguese and French forms.
pub const SOCIAL_PROTECTION: &[&str] =
    &["assistência social", "assistance sociale", "bem-estar", "pauvreté", "transferência*", "cash transfer*"];
/// The victims' support keywords, in the four languages.
pub const VICTIMS: &[&str] = &[
    "victim*",
    "víctima*",
    "vítima*",
    "victime*",
    "survivor*",
    "sobreviviente*",
    "sobrevivente*",
    "recovery",
    "recuperación",
    "recuperação",
    "rétablissement",
    "reintegration",
    "reintegración",
    "reintegração",
    "réinsertion",
    "réintégration",
];

/// How a draft was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// From the last plan's action matrix.
    Matrix,
    /// From the last plan's registry record (it had no matrix).
    Record,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Matrix => "matrix",
            Origin::Record => "record",
        }
    }

    pub fn parse(code: &str) -> Option<Origin> {
        [Origin::Matrix, Origin::Record].into_iter().find(|o| o.code() == code)
    }
}

/// A State's next plan while it is written. `body.plan` is the plan it was based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// 0 until stored.
    pub id: i64,
    pub state: String,
    pub title: String,
    pub based_on: String,
    pub origin: Origin,
    pub body: Matrix,
    /// 0 until stored; each save adds one.
    pub version: i64,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_by: String,
    #[serde(default)]
    pub updated_at: String,
}

impl Draft {
    fn new(state: &str, title: &str, based_on: &str, origin: Origin, body: Matrix) -> Draft {
        Draft {
            id: 0,
            state: state.into(),
            title: title.into(),
            based_on: based_on.into(),
            origin,
            body,
            version: 0,
            created_by: String::new(),
            created_at: String::new(),
            updated_by: String::new(),
            updated_at: String::new(),
        }
    }
}

/// The State's last plan: the one marked as its last approved plan.
pub fn last_plan<'a>(registry: &'a Dataset, state: &str) -> Option<&'a Plan> {
    registry.plans.iter().find(|p| p.state.as_str() == state && p.last_approved)
}

/// A draft carried over from the last plan's matrix (see the module's docs); indicators' first
/// periods start on `starts`.
pub fn carry_over(last: &Matrix, state: &str, title: &str, starts: NaiveDate) -> Draft {
    let mut body = last.clone();
    for o in &mut body.objectives {
        for i in &mut o.indicators {
            (i.baseline, i.target, i.starts) = (None, None, starts);
        }
        for a in o.lines.iter_mut().flat_map(|l| &mut l.actions) {
            (a.status, a.start, a.target) = (ActionStatus::NotStarted, None, None);
            a.updates.clear();
            for i in &mut a.indicators {
                (i.baseline, i.target, i.starts) = (None, None, starts);
            }
        }
    }
    Draft::new(state, title, &last.plan, Origin::Matrix, body)
}

/// A draft from the last plan's registry record (see the module's docs); `focal_title` names an
/// objective after its focal point, in the draft's language.
pub fn from_record(plan: &Plan, registry: &Dataset, title: &str, focal_title: impl Fn(FocalPoint) -> String) -> Draft {
    let mut body = Matrix::new(&plan.id);
    let known = |org: &String| registry.organisations.iter().any(|o| o.id == *org);
    for fp in FocalPoint::ALL {
        let actions: Vec<Action> = registry
            .actions
            .iter()
            .filter(|a| a.plan.as_deref() == Some(plan.id.as_str()) && a.focal_point == fp)
            .map(|a| Action {
                id: a.id.clone(),
                title: a.name.clone(),
                lead: None,
                partners: a.organisations.iter().filter(|o| known(o)).cloned().collect(),
                start: None,
                target: None,
                status: ActionStatus::NotStarted,
                resources: None,
                source: format!("actions/{}", a.id),
                indicators: vec![],
                updates: vec![],
            })
            .collect();
        if actions.is_empty() {
            continue;
        }
        let n = body.objectives.len() + 1;
        let line = Line { id: format!("l{n}"), title: focal_title(fp), focal_points: vec![fp], actions };
        body.objectives.push(Objective {
            id: format!("o{n}"),
            title: focal_title(fp),
            lines: vec![line],
            indicators: vec![],
        });
    }
    if body.objectives.is_empty() {
        body.objectives.push(Objective {
            id: "o1".into(),
            title: plan.name.clone(),
            lines: vec![],
            indicators: vec![],
        });
    }
    Draft::new(plan.state.as_str(), title, &plan.id, Origin::Record, body)
}

/// What kind of item satisfies a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Item {
    Objective,
    Line,
    Action,
    Indicator,
}

/// One thing in the draft that satisfies a criterion: the item, its id, the field and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    pub item: Item,
    pub id: String,
    /// `lead`, `partner`, `title`, `name`, `resources`, `dates`, `baseline-target`,
    /// `focal-points`, `disaggregation`.
    pub field: &'static str,
    pub value: String,
}

/// One criterion of the commitment against the draft; nothing found means not met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub met: bool,
    pub found: Vec<Found>,
}

/// The nine criteria, in the commitment's order (see the module's docs for each rule).
pub fn checklist(draft: &Matrix, registry: &Dataset) -> Vec<Check> {
    CRITERIA
        .iter()
        .filter(|c| c.id != "comprehensive")
        .map(|c| {
            let found = match c.id {
                "inter-sectoral" => inter_sectoral(draft, registry),
                "all-stakeholders" => organisations(draft, registry, |s| s == Sector::CivilSociety),
                "gender-strategies" => {
                    let mut found = texts(draft, &[RIO_GENDER, GENDER]);
                    found.extend(
                        draft
                            .indicators()
                            .iter()
                            .filter(|p| p.indicator.disaggregation.contains(&super::Disaggregation::Sex))
                            .map(|p| found_at(Item::Indicator, &p.indicator.id, "disaggregation", "sex")),
                    );
                    found
                }
                "social-protection" => texts(draft, &[RIO_SOCIAL, SOCIAL_PROTECTION]),
                "operational-plans" => draft
                    .actions()
                    .filter_map(|(_, a)| {
                        Some(found_at(Item::Action, &a.id, "dates", &format!("{} – {}", a.start?, a.target?)))
                    })
                    .collect(),
                "adequate-resources" => draft
                    .actions()
                    .filter_map(|(_, a)| Some(found_at(Item::Action, &a.id, "resources", a.resources.as_deref()?)))
                    .collect(),
                "monitoring-evaluation" => draft
                    .indicators()
                    .iter()
                    .filter_map(|p| {
                        let (b, t) = (p.indicator.baseline?, p.indicator.target?);
                        let value = format!("{} ({}) → {} ({})", b.value, b.date, t.value, t.date);
                        Some(found_at(Item::Indicator, &p.indicator.id, "baseline-target", &value))
                    })
                    .collect(),
                "responsible-actors" => draft
                    .actions()
                    .filter_map(|(_, a)| Some(found_at(Item::Action, &a.id, "lead", a.lead.as_deref()?)))
                    .collect(),
                "victim-support" => {
                    let mut found: Vec<Found> = draft
                        .objectives
                        .iter()
                        .flat_map(|o| &o.lines)
                        .filter(|l| l.focal_points.contains(&FocalPoint::Recovery))
                        .map(|l| found_at(Item::Line, &l.id, "focal-points", "recovery"))
                        .collect();
                    found.extend(texts(draft, &[VICTIMS]));
                    found
                }
                _ => vec![],
            };
            Check { id: c.id, met: !found.is_empty(), found }
        })
        .collect()
}

fn found_at(item: Item, id: &str, field: &'static str, value: &str) -> Found {
    let value: String = value.chars().take(160).collect();
    Found { item, id: id.into(), field, value }
}

/// Every lead and partner whose registry organisation's sector passes `sector`.
fn organisations(draft: &Matrix, registry: &Dataset, sector: impl Fn(Sector) -> bool) -> Vec<Found> {
    let of = |org: &str| registry.organisations.iter().find(|o| o.id == org).map(|o| o.sector);
    let mut found = vec![];
    for (_, a) in draft.actions() {
        let named = a.lead.iter().map(|o| ("lead", o)).chain(a.partners.iter().map(|o| ("partner", o)));
        for (field, org) in named {
            if of(org).is_some_and(&sector) {
                found.push(found_at(Item::Action, &a.id, field, org));
            }
        }
    }
    found
}

fn inter_sectoral(draft: &Matrix, registry: &Dataset) -> Vec<Found> {
    let is_state =
        |s: Sector| matches!(s, Sector::State | Sector::LocalGovernment | Sector::Legislative | Sector::Judicial);
    let state = organisations(draft, registry, is_state);
    let other = organisations(draft, registry, |s| !is_state(s));
    let distinct = |f: &[Found]| f.iter().map(|f| f.value.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    if distinct(&state) >= 2 || (!state.is_empty() && !other.is_empty()) {
        state.into_iter().chain(other).collect()
    } else {
        vec![]
    }
}

/// The titles, resources and indicator names that mention a keyword of `lists`.
fn texts(draft: &Matrix, lists: &[&[&str]]) -> Vec<Found> {
    let hit = |t: &str| lists.iter().any(|kw| mentions(t, kw));
    let mut found = vec![];
    let mut check = |item: Item, id: &str, field: &'static str, text: &str| {
        if hit(text) {
            found.push(found_at(item, id, field, text));
        }
    };
    for o in &draft.objectives {
        check(Item::Objective, &o.id, "title", &o.title);
        for l in &o.lines {
            check(Item::Line, &l.id, "title", &l.title);
            for a in &l.actions {
                check(Item::Action, &a.id, "title", &a.title);
                check(Item::Action, &a.id, "resources", a.resources.as_deref().unwrap_or(""));
            }
        }
    }
    for p in draft.indicators() {
        check(Item::Indicator, &p.indicator.id, "name", &p.indicator.name);
    }
    found
}

#[cfg(test)]
#[path = "design_tests.rs"]
mod tests;
