//! The reporting schedule, the one home of its dates: an indicator's periods follow from its
//! frequency, first day and end; each period opens on its first day, is due on its last, and
//! locks `lock_days` after it (then only a reopening by the secretariat lets anyone enter a
//! value). A report submitted after the due date is late. Changing a schedule keeps every period
//! that is past or has a report and regenerates only the future, unreported ones.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Indicator;

/// How often an indicator is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    /// One period from the first day to the end (an evaluation, a law adopted).
    Once,
}

impl Frequency {
    pub const ALL: [Frequency; 5] =
        [Frequency::Monthly, Frequency::Quarterly, Frequency::HalfYearly, Frequency::Yearly, Frequency::Once];

    /// The months a period lasts (`None`: once).
    pub fn months(self) -> Option<u32> {
        match self {
            Frequency::Monthly => Some(1),
            Frequency::Quarterly => Some(3),
            Frequency::HalfYearly => Some(6),
            Frequency::Yearly => Some(12),
            Frequency::Once => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYearly => "half-yearly",
            Frequency::Yearly => "yearly",
            Frequency::Once => "once",
        }
    }

    /// A code, or the months as a plan's workbook writes them (`1`, `3`, `6`, `12`, `once`).
    pub fn parse(text: &str) -> Option<Frequency> {
        let t = text.trim().to_lowercase();
        Frequency::ALL.into_iter().find(|f| f.code() == t).or(match t.as_str() {
            "1" => Some(Frequency::Monthly),
            "3" => Some(Frequency::Quarterly),
            "6" => Some(Frequency::HalfYearly),
            "12" => Some(Frequency::Yearly),
            "0" => Some(Frequency::Once),
            _ => None,
        })
    }
}

/// The most periods one indicator has (monthly for fifty years).
pub const MAX_PERIODS: usize = 600;

/// One reporting period of one indicator, both days included.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = ReportingPeriod)]
pub struct Period {
    pub indicator: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// The day a report is due: the period's last.
    pub fn due(&self) -> NaiveDate {
        self.end
    }

    /// The last day a value may be entered without a reopening.
    pub fn locks_after(&self, lock_days: u32) -> NaiveDate {
        self.end + Days::new(u64::from(lock_days))
    }

    fn overlaps(&self, other: &Period) -> bool {
        self.indicator == other.indicator && self.start <= other.end && other.start <= self.end
    }
}

/// An indicator's periods, in order: calendar periods `frequency` long counted from the month of
/// its first day, the first starting on that day and the last cut at the indicator's end; at
/// most [`MAX_PERIODS`].
pub fn periods(indicator: &Indicator) -> Vec<Period> {
    let (first, last) = (indicator.starts, indicator.ends());
    let period = |start, end| Period { indicator: indicator.id.clone(), start, end };
    let Some(months) = indicator.frequency.months() else {
        return vec![period(first, last)];
    };
    // Periods follow calendar months from the first day's month: a first day in mid-month
    // makes a shorter first period, never periods that end on the 30th one month and the 29th
    // the next.
    let anchor = first.with_day(1).unwrap_or(first);
    let mut out = vec![];
    let mut n = 0;
    while out.len() < MAX_PERIODS {
        let Some(start) = anchor.checked_add_months(Months::new(months * n)) else { break };
        if start > last {
            break;
        }
        let next = anchor.checked_add_months(Months::new(months * (n + 1))).unwrap_or(NaiveDate::MAX);
        out.push(period(start.max(first), (next - Days::new(1)).min(last)));
        n += 1;
    }
    out
}

/// The periods after a schedule change: every stored period that is past on `today` or has a
/// report is kept as it is; the future ones without a report give way to the new schedule's
/// periods that overlap nothing kept. (A new indicator's past periods overlap nothing, so they
/// are there to report on, late.)
pub fn regenerate(
    stored: &[Period],
    reported: &BTreeSet<(String, NaiveDate)>,
    new: &[Period],
    today: NaiveDate,
) -> Vec<Period> {
    let kept: Vec<Period> = stored
        .iter()
        .filter(|p| p.due() < today || reported.contains(&(p.indicator.clone(), p.start)))
        .cloned()
        .collect();
    let added = new.iter().filter(|p| !kept.iter().any(|k| k.overlaps(p))).cloned();
    let mut out: Vec<Period> = kept.iter().cloned().chain(added).collect();
    out.sort();
    out
}

/// Whether a value may be entered for a period on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Window {
    /// Before the period's first day.
    NotOpen,
    Open,
    /// More than `lock_days` after the period: only a reopening lets a value in.
    Locked,
    /// Locked, but reopened by the secretariat until the given day.
    Reopened(NaiveDate),
}

impl Window {
    pub fn accepts_entries(self) -> bool {
        matches!(self, Window::Open | Window::Reopened(_))
    }
}

/// The window of `period` on `today` for a plan locking `lock_days` after each period, given
/// the last day of its latest reopening, if any.
pub fn window(period: &Period, lock_days: u32, reopened_until: Option<NaiveDate>, today: NaiveDate) -> Window {
    if today < period.start {
        Window::NotOpen
    } else if today <= period.locks_after(lock_days) {
        Window::Open
    } else {
        match reopened_until {
            Some(until) if today <= until => Window::Reopened(until),
            _ => Window::Locked,
        }
    }
}

/// A report submitted on `submitted` for `period` is late when it comes after the due date.
pub fn late(period: &Period, submitted: NaiveDate) -> bool {
    submitted > period.due()
}

/// How far ahead a period counts as due.
pub const DUE_SOON_DAYS: u64 = 30;

/// Where an unreported period stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Past its due date and unreported.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`] and unreported.
    Due,
}

/// The urgency of `period` on `today` when `reported` says whether a report was submitted.
pub fn urgency(period: &Period, reported: bool, today: NaiveDate) -> Option<Urgency> {
    if reported || today < period.start {
        None
    } else if period.due() < today {
        Some(Urgency::Overdue)
    } else if period.due() <= today + Days::new(DUE_SOON_DAYS) {
        Some(Urgency::Due)
    } else {
        None
    }
}
