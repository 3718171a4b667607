//! Plan monitoring: a plan's action matrix (objectives, lines of action tagged with the Stockholm
//! focal points they serve, actions with a lead institution and partners from the registry) and
//! its indicators (process or outcome, baseline, target, direction, reporting frequency), the
//! reporting schedule and its windows ([`schedule`]), progress reports and the on-track rule
//! ([`progress`]), the dashboards' figures ([`dashboard`]) and the Rio de Janeiro checklist of a
//! plan in design ([`design`]).
//!
//! The matrix is one value per plan, kept whole and versioned by the store: it is small (a plan
//! has tens to a few hundred indicators) and always read whole. Reports are many (one per
//! indicator and period), so they are rows of their own.

pub mod dashboard;
pub mod design;
pub mod edit;
pub mod progress;
pub mod schedule;
pub mod synthetic;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::facts::FocalPoint;
use crate::text::{self, Kind as TextKind};
use crate::{Dataset, PartialDate};

pub use progress::{Judgement, ProgressReport, ReportKey, Track};
pub use schedule::{Frequency, Period};

/// Days after a period's end until it locks, unless the plan says otherwise.
pub const DEFAULT_LOCK_DAYS: u32 = 60;

/// The most objectives, lines, actions or indicators a matrix may hold (a hostile upload cannot
/// make a page or a schedule unbounded).
pub const MAX_ITEMS: usize = 2_000;

/// A plan's action matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ActionMatrix)]
pub struct Matrix {
    /// The registry plan this matrix follows.
    pub plan: String,
    /// Days after a period's end until reporting on it locks.
    #[serde(default = "default_lock_days")]
    pub lock_days: u32,
    pub objectives: Vec<Objective>,
}

fn default_lock_days() -> u32 {
    DEFAULT_LOCK_DAYS
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MatrixObjective)]
pub struct Objective {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub lines: Vec<Line>,
    /// Outcome indicators of the objective as a whole.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// A line of action (a strategic line, an axis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MatrixLine)]
pub struct Line {
    pub id: String,
    pub title: String,
    /// The Stockholm focal points the line serves.
    #[serde(default)]
    pub focal_points: Vec<FocalPoint>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MatrixAction)]
pub struct Action {
    pub id: String,
    pub title: String,
    /// The lead institution: an organisation of the registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// Partner institutions: organisations of the registry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<PartialDate>,
    #[serde(default)]
    pub status: ActionStatus,
    /// The resources the plan assigns, as written ("USD 120,000 from the national budget").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
    /// Where the action is written down (the plan's document, a page).
    #[serde(default)]
    pub source: String,
    /// Process indicators of the action.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Each change of status, with its note, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<ActionUpdate>,
}

/// A status change of an action, as its reporter explained it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ActionUpdate)]
pub struct ActionUpdate {
    pub status: ActionStatus,
    pub note: String,
    pub on: NaiveDate,
    pub by: String,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    #[default]
    NotStarted,
    InProgress,
    Completed,
    Discontinued,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::NotStarted, ActionStatus::InProgress, ActionStatus::Completed, ActionStatus::Discontinued];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not-started",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Completed => "completed",
            ActionStatus::Discontinued => "discontinued",
        }
    }

    pub fn parse(code: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    /// Whether the plan did what it said (workshops held, protocols approved).
    Process,
    /// What changed for children (reports investigated, victims assisted).
    Outcome,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Disaggregation {
    Sex,
    AgeBand,
    Region,
}

/// A value on a date: a baseline or a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = IndicatorPoint)]
pub struct Point {
    pub value: f64,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MonitoringIndicator)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub kind: IndicatorKind,
    /// What a value counts or measures ("workshops", "% of reports investigated").
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Point>,
    pub direction: Direction,
    pub frequency: Frequency,
    /// The first day of the first reporting period.
    pub starts: NaiveDate,
    /// Where the values come from (a ministry's statistics, the commission's records).
    #[serde(default)]
    pub data_source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disaggregation: Vec<Disaggregation>,
}

impl Indicator {
    /// The last day reported on: the target's date, else five years after the start.
    pub fn ends(&self) -> NaiveDate {
        self.target.map(|t| t.date).unwrap_or_else(|| {
            self.starts.checked_add_months(chrono::Months::new(60)).unwrap_or(self.starts) - chrono::Days::new(1)
        })
    }
}

/// Where an indicator hangs in the matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed<'a> {
    pub objective: &'a Objective,
    pub line: Option<&'a Line>,
    pub action: Option<&'a Action>,
    pub indicator: &'a Indicator,
}

impl Placed<'_> {
    /// The focal points the indicator serves: its line's (an objective's indicator serves every
    /// line of the objective).
    pub fn focal_points(&self) -> BTreeSet<FocalPoint> {
        match self.line {
            Some(line) => line.focal_points.iter().copied().collect(),
            None => self.objective.lines.iter().flat_map(|l| l.focal_points.iter().copied()).collect(),
        }
    }
}

impl Matrix {
    /// An empty matrix for `plan`.
    pub fn new(plan: &str) -> Matrix {
        Matrix { plan: plan.into(), lock_days: DEFAULT_LOCK_DAYS, objectives: vec![] }
    }

    /// Every indicator with where it hangs, in the matrix's order.
    pub fn indicators(&self) -> Vec<Placed<'_>> {
        let mut out = vec![];
        for objective in &self.objectives {
            for indicator in &objective.indicators {
                out.push(Placed { objective, line: None, action: None, indicator });
            }
            for line in &objective.lines {
                for action in &line.actions {
                    for indicator in &action.indicators {
                        out.push(Placed { objective, line: Some(line), action: Some(action), indicator });
                    }
                }
            }
        }
        out
    }

    pub fn indicator(&self, id: &str) -> Option<Placed<'_>> {
        self.indicators().into_iter().find(|p| p.indicator.id == id)
    }

    /// Every action with its line.
    pub fn actions(&self) -> impl Iterator<Item = (&Line, &Action)> {
        self.objectives.iter().flat_map(|o| &o.lines).flat_map(|l| l.actions.iter().map(move |a| (l, a)))
    }

    pub fn action_mut(&mut self, id: &str) -> Option<&mut Action> {
        self.objectives.iter_mut().flat_map(|o| &mut o.lines).flat_map(|l| &mut l.actions).find(|a| a.id == id)
    }

    /// What is wrong with the matrix against the registry, each naming the item and field: the
    /// plan must exist, ids must be unique and plain, leads and partners must be organisations
    /// of the registry, texts must pass the text policy, an indicator's target must come after
    /// its baseline and its start, and the sizes are bounded.
    pub fn check(&self, registry: &Dataset) -> Vec<String> {
        let mut issues = vec![];
        if !registry.plans.iter().any(|p| p.id == self.plan) {
            issues.push(format!("plan `{}` is not in the registry", shown(&self.plan)));
        }
        if self.lock_days > 366 {
            issues.push(format!("lock_days: {} is more than a year", self.lock_days));
        }
        let counts = [
            self.objectives.len(),
            self.objectives.iter().map(|o| o.lines.len()).sum(),
            self.actions().count(),
            self.indicators().len(),
        ];
        if counts.iter().any(|n| *n > MAX_ITEMS) {
            issues.push(format!("the matrix has more than {MAX_ITEMS} objectives, lines, actions or indicators"));
            return issues;
        }
        let mut ids = BTreeSet::new();
        let mut id = |issues: &mut Vec<String>, what: &str, id: &str| {
            if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                issues.push(format!("{what} `{}`: an id is 1 to 64 letters, digits, `-`, `_` or `.`", shown(id)));
            } else if !ids.insert(id.to_string()) {
                issues.push(format!("{what} `{id}`: the id is used twice in the matrix"));
            }
        };
        let texts = |issues: &mut Vec<String>, at: &str, field: &str, value: &str, kind: TextKind| {
            if let Err(problem) = text::check(value, kind) {
                issues.push(format!("{at}, {field}: {problem}"));
            }
        };
        let known = |org: &str| registry.organisations.iter().any(|o| o.id == org);
        for o in &self.objectives {
            id(&mut issues, "objective", &o.id);
            texts(&mut issues, &o.id, "title", &o.title, TextKind::Long);
            for line in &o.lines {
                id(&mut issues, "line", &line.id);
                texts(&mut issues, &line.id, "title", &line.title, TextKind::Long);
                for a in &line.actions {
                    id(&mut issues, "action", &a.id);
                    texts(&mut issues, &a.id, "title", &a.title, TextKind::Long);
                    texts(&mut issues, &a.id, "source", &a.source, TextKind::Short);
                    texts(&mut issues, &a.id, "resources", a.resources.as_deref().unwrap_or(""), TextKind::Short);
                    for org in a.lead.iter().chain(&a.partners) {
                        if !known(org) {
                            issues.push(format!("{}: `{}` is not an organisation of the registry", a.id, shown(org)));
                        }
                    }
                    if let (Some(s), Some(t)) = (a.start, a.target) {
                        if t.latest() < s.earliest() {
                            issues.push(format!("{}: the target date comes before the start", a.id));
                        }
                    }
                }
            }
        }
        for p in self.indicators() {
            let i = p.indicator;
            id(&mut issues, "indicator", &i.id);
            texts(&mut issues, &i.id, "name", &i.name, TextKind::Long);
            texts(&mut issues, &i.id, "unit", &i.unit, TextKind::Name);
            texts(&mut issues, &i.id, "data_source", &i.data_source, TextKind::Short);
            if i.ends() < i.starts {
                issues.push(format!("{}: the target date comes before the first period", i.id));
            }
            if let (Some(b), Some(t)) = (i.baseline, i.target) {
                if t.date <= b.date {
                    issues.push(format!("{}: the target date must come after the baseline's", i.id));
                }
            }
            for point in i.baseline.iter().chain(&i.target) {
                if !point.value.is_finite() {
                    issues.push(format!("{}: a baseline or target is not a number", i.id));
                }
            }
        }
        issues
    }
}

/// At most 80 characters of a value, for an issue's text.
fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(80).collect()
}

#[cfg(test)]
pub(crate) mod tests;
