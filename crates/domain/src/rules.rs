//! Treaty rules, encoded with the article they come from.
//!
//! Optional Protocol to the CRC on the sale of children, child prostitution and child
//! pornography (OPSC, adopted 25 May 2000):
//! - Art. 14(1): it enters into force three months after the tenth instrument of ratification
//!   or accession is deposited: 18 January 2002.
//! - Art. 14(2): for a State ratifying or acceding after that, one month after its own deposit.
//! - Art. 12(1): each State Party submits a report within two years of the Protocol's entry into
//!   force for it.
//!
//! These functions compute; the data keeps the source's own figures beside them, and
//! [`crate::checks`] says where the two differ and why.

use chrono::{Months, NaiveDate};
use serde::Serialize;

/// The general entry into force of the OPSC (art. 14(1)).
pub fn opsc_entry_into_force_general() -> NaiveDate {
    NaiveDate::from_ymd_opt(2002, 1, 18).expect("valid date")
}

/// A computed date and the rule that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computed {
    pub date: NaiveDate,
    pub rule: String,
}

/// When the OPSC entered into force for a State that deposited its instrument on `deposit`.
pub fn opsc_entry_into_force(deposit: NaiveDate) -> Computed {
    let general = opsc_entry_into_force_general();
    if deposit < general {
        Computed {
            date: general,
            rule: "OPSC art. 14(1): instrument deposited before the Protocol's entry into force on 2002-01-18".into(),
        }
    } else {
        // chrono clamps to the month's last day (31 Jan + 1 month = 28/29 Feb), as depositaries do.
        Computed {
            date: deposit + Months::new(1),
            rule: format!("OPSC art. 14(2): one month after the deposit on {deposit}"),
        }
    }
}

/// When the initial OPSC report is due, given the entry into force for the State.
pub fn opsc_initial_report_due(entry_into_force: NaiveDate) -> Computed {
    Computed {
        date: entry_into_force + Months::new(24),
        rule: format!("OPSC art. 12(1): two years after entry into force on {entry_into_force}"),
    }
}

/// Where a State stands with its initial report on a given date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ReportStanding {
    NotYetDue { days_left: i64 },
    Overdue { days: i64 },
    SubmittedOnTime,
    SubmittedLate { days: i64 },
}

/// Compares the due date with the report's submission (its general distribution date, the first
/// date the source gives for it) on `on`.
pub fn report_standing(
    due: NaiveDate,
    submitted: Option<NaiveDate>,
    on: NaiveDate,
) -> ReportStanding {
    match submitted.filter(|s| *s <= on) {
        Some(s) if s <= due => ReportStanding::SubmittedOnTime,
        Some(s) => ReportStanding::SubmittedLate {
            days: (s - due).num_days(),
        },
        None if on > due => ReportStanding::Overdue {
            days: (on - due).num_days(),
        },
        None => ReportStanding::NotYetDue {
            days_left: (due - on).num_days(),
        },
    }
}
