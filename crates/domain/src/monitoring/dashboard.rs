//! The dashboards' figures, computed from approved values only: per plan, each indicator's
//! series and verdict, fulfilment per focal point, actions by status and reports due and
//! overdue; per State, whether it monitors its plan at all, which focal points its indicators
//! cover and how many of them have approved data from the last year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::progress::{judge, Judgement, ProgressReport, Track};
use super::schedule::{urgency, Period, Urgency};
use super::{ActionStatus, Indicator, Matrix};
use crate::facts::FocalPoint;

/// One indicator on a plan's dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub objective: String,
    pub action: Option<String>,
    pub focal_points: Vec<FocalPoint>,
    pub indicator: Indicator,
    pub judgement: Judgement,
    /// Approved values by their period's last day, oldest first.
    pub series: Vec<(NaiveDate, f64)>,
    pub due: usize,
    pub overdue: usize,
}

/// Fulfilment of one focal point: of its indicators, how many are on track and how many have
/// data at all.
#[derive(Debug, Clone, Serialize)]
pub struct Fulfilment {
    pub focal_point: FocalPoint,
    pub indicators: usize,
    pub on_track: usize,
    pub with_data: usize,
}

/// A plan's dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct PlanFigures {
    pub indicators: Vec<IndicatorRow>,
    pub tracks: BTreeMap<Track, usize>,
    pub focal_points: Vec<Fulfilment>,
    pub actions: BTreeMap<ActionStatus, usize>,
    pub due: usize,
    pub overdue: usize,
}

/// The dashboard of a plan from its matrix, its periods and its reports (every status: only
/// approved values count, only submitted or approved ones make a period reported), on `today`.
pub fn plan(matrix: &Matrix, periods: &[Period], reports: &[ProgressReport], today: NaiveDate) -> PlanFigures {
    let mut approved: BTreeMap<&str, Vec<(NaiveDate, f64)>> = BTreeMap::new();
    let mut reported: BTreeSet<(&str, NaiveDate)> = BTreeSet::new();
    for r in reports {
        if r.reported() {
            reported.insert((r.key.indicator.as_str(), r.key.period));
        }
        if let (true, Some(v)) = (r.approved(), r.value) {
            approved.entry(r.key.indicator.as_str()).or_default().push((r.period_end, v));
        }
    }
    let mut urgencies: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in periods {
        let u = urgency(p, reported.contains(&(p.indicator.as_str(), p.start)), today);
        let entry = urgencies.entry(p.indicator.as_str()).or_default();
        match u {
            Some(Urgency::Due) => entry.0 += 1,
            Some(Urgency::Overdue) => entry.1 += 1,
            None => {}
        }
    }
    let indicators: Vec<IndicatorRow> = matrix
        .indicators()
        .into_iter()
        .map(|p| {
            let mut series = approved.remove(p.indicator.id.as_str()).unwrap_or_default();
            series.sort_by_key(|(day, _)| *day);
            let (due, overdue) = urgencies.get(p.indicator.id.as_str()).copied().unwrap_or_default();
            IndicatorRow {
                objective: p.objective.title.clone(),
                action: p.action.map(|a| a.title.clone()),
                focal_points: p.focal_points().into_iter().collect(),
                indicator: p.indicator.clone(),
                judgement: judge(p.indicator, &series),
                series,
                due,
                overdue,
            }
        })
        .collect();
    let mut tracks: BTreeMap<Track, usize> = Track::ALL.iter().map(|t| (*t, 0)).collect();
    for row in &indicators {
        *tracks.entry(row.judgement.track).or_default() += 1;
    }
    let focal_points = FocalPoint::ALL
        .iter()
        .map(|fp| {
            let rows: Vec<_> = indicators.iter().filter(|r| r.focal_points.contains(fp)).collect();
            Fulfilment {
                focal_point: *fp,
                indicators: rows.len(),
                on_track: rows.iter().filter(|r| r.judgement.track == Track::OnTrack).count(),
                with_data: rows.iter().filter(|r| r.judgement.track != Track::NoData).count(),
            }
        })
        .collect();
    let mut actions: BTreeMap<ActionStatus, usize> = ActionStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for (_, a) in matrix.actions() {
        *actions.entry(a.status).or_default() += 1;
    }
    let due = indicators.iter().map(|r| r.due).sum();
    let overdue = indicators.iter().map(|r| r.overdue).sum();
    PlanFigures { indicators, tracks, focal_points, actions, due, overdue }
}

/// One State's line on the regional dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct StateFigures {
    pub state: String,
    pub plan: String,
    /// The plan has a matrix with at least one indicator.
    pub monitors: bool,
    pub indicators: usize,
    /// The focal points at least one indicator serves.
    pub focal_points: Vec<FocalPoint>,
    /// Indicators with an approved value for a period that ended within the last year.
    pub with_recent_data: usize,
    /// `with_recent_data` as a share of `indicators`, in per cent (0 without indicators).
    pub recent_share: f64,
}

/// The regional figures of each State's followed plan, from its matrix and the last day of each
/// indicator's latest approved period (`latest`: indicator id → day), on `today`.
pub fn state(state: &str, matrix: &Matrix, latest: &BTreeMap<String, NaiveDate>, today: NaiveDate) -> StateFigures {
    let placed = matrix.indicators();
    let year_ago = today - Days::new(365);
    let recent = placed.iter().filter(|p| latest.get(&p.indicator.id).is_some_and(|d| *d > year_ago)).count();
    let focal_points: BTreeSet<FocalPoint> = placed.iter().flat_map(|p| p.focal_points()).collect();
    StateFigures {
        state: state.into(),
        plan: matrix.plan.clone(),
        monitors: !placed.is_empty(),
        indicators: placed.len(),
        focal_points: focal_points.into_iter().collect(),
        with_recent_data: recent,
        recent_share: if placed.is_empty() { 0.0 } else { 100.0 * recent as f64 / placed.len() as f64 },
    }
}
