//! Progress reports and the published rules read from them: the on-track rule (the latest
//! approved value against the straight line from baseline to target) and the check that asks for
//! confirmation of a value far outside an indicator's history. A report's status is the
//! consultation's (`draft → submitted → accepted`, or `returned`), moved by the same
//! transitions in the workflow crate; "approved" is its `accepted`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Direction, Indicator};
use crate::consultation::Status;
use crate::Lang;

/// Which report: a plan's indicator in the period starting on `period`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportKey {
    pub plan: String,
    pub indicator: String,
    pub period: NaiveDate,
}

/// One indicator's report for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressReport {
    #[serde(flatten)]
    pub key: ReportKey,
    /// The period's last day.
    pub period_end: NaiveDate,
    #[schema(value_type = String)]
    pub status: Status,
    /// The value; `None` with `no_data` saying why.
    pub value: Option<f64>,
    pub no_data: Option<String>,
    /// Values by sex, age band or region (`sex:female`, `age:12-17`, `region:north`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub breakdown: BTreeMap<String, f64>,
    /// What happened in the period, in the reporter's language.
    pub narrative: String,
    pub lang: Lang,
    /// Submitted after the period's due date.
    pub late: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
}

impl ProgressReport {
    pub fn approved(&self) -> bool {
        self.status == Status::Accepted
    }

    /// Submitted or approved: what makes a period count as reported.
    pub fn reported(&self) -> bool {
        matches!(self.status, Status::Submitted | Status::Accepted)
    }
}

/// The on-track rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Track {
    OnTrack,
    OffTrack,
    NoData,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::OnTrack, Track::OffTrack, Track::NoData];

    pub fn code(self) -> &'static str {
        match self {
            Track::OnTrack => "on-track",
            Track::OffTrack => "off-track",
            Track::NoData => "no-data",
        }
    }
}

/// What the rule compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Judgement {
    pub track: Track,
    /// The latest approved value and its period's last day.
    pub latest: Option<(NaiveDate, f64)>,
    /// Where the straight line from baseline to target stands on that day.
    pub expected: Option<f64>,
}

/// The on-track rule, as published on every dashboard: take the approved value of the latest
/// period; on its last day, the expected value lies on the straight line from the baseline
/// (value and date) to the target (value and date), held at the baseline before it and at the
/// target after it. The indicator is on track when the value is at least the expected value
/// (at most, when down is better); with no approved value, or no baseline or target to draw
/// the line, there is no data to judge.
pub fn judge(indicator: &Indicator, approved: &[(NaiveDate, f64)]) -> Judgement {
    let latest = approved.iter().copied().max_by_key(|(day, _)| *day);
    let (Some((day, value)), Some(b), Some(t)) = (latest, indicator.baseline, indicator.target) else {
        return Judgement { track: Track::NoData, latest, expected: None };
    };
    let span = (t.date - b.date).num_days().max(1) as f64;
    let share = ((day - b.date).num_days() as f64 / span).clamp(0.0, 1.0);
    let expected = b.value + (t.value - b.value) * share;
    let on_track = match indicator.direction {
        Direction::Up => value >= expected,
        Direction::Down => value <= expected,
    };
    let track = if on_track { Track::OnTrack } else { Track::OffTrack };
    Judgement { track, latest, expected: Some(expected) }
}

/// Whether `value` is far outside what the indicator has shown: below the lowest or above the
/// highest of its earlier values, baseline and target by more than their whole range (or by
/// more than the largest of them, when they are all equal). With fewer than two references
/// nothing is unusual. The reporter is asked to confirm; the value is never changed.
pub fn unusual(value: f64, earlier: &[f64], indicator: &Indicator) -> bool {
    let refs: Vec<f64> = earlier
        .iter()
        .copied()
        .chain(indicator.baseline.map(|b| b.value))
        .chain(indicator.target.map(|t| t.value))
        .filter(|v| v.is_finite())
        .collect();
    if refs.len() < 2 {
        return false;
    }
    let low = refs.iter().copied().fold(f64::INFINITY, f64::min);
    let high = refs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let range = if high > low { high - low } else { high.abs().max(1.0) };
    value < low - range || value > high + range
}

/// The categories a breakdown may use for each disaggregation: fixed for sex and age band (the
/// bands of the Committee's reporting guidelines for children), any region name for region.
pub fn categories(d: super::Disaggregation) -> &'static [&'static str] {
    match d {
        super::Disaggregation::Sex => &["female", "male"],
        super::Disaggregation::AgeBand => &["0-5", "6-11", "12-17"],
        super::Disaggregation::Region => &[],
    }
}

/// The prefix of a breakdown key (`sex:female`, `age:12-17`, `region:Norte`).
pub fn prefix(d: super::Disaggregation) -> &'static str {
    match d {
        super::Disaggregation::Sex => "sex",
        super::Disaggregation::AgeBand => "age",
        super::Disaggregation::Region => "region",
    }
}

/// What is wrong with a report's breakdown for `indicator`: a key of a disaggregation the
/// indicator does not have, an unknown category, a value that is not a number; `None` when fine.
pub fn breakdown_problem(indicator: &Indicator, breakdown: &BTreeMap<String, f64>) -> Option<String> {
    for (key, value) in breakdown {
        let (p, category) = key.split_once(':').unwrap_or((key, ""));
        let Some(d) = indicator.disaggregation.iter().copied().find(|d| prefix(*d) == p) else {
            return Some(format!("`{key}`: indicator {} is not disaggregated by `{p}`", indicator.id));
        };
        let fixed = categories(d);
        if category.trim().is_empty() || (!fixed.is_empty() && !fixed.contains(&category)) {
            return Some(format!("`{key}`: not a category of `{p}` ({})", fixed.join(", ")));
        }
        if !value.is_finite() {
            return Some(format!("`{key}`: not a number"));
        }
    }
    None
}
