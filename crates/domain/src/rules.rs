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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ReportStanding {
    NotYetDue { days_left: i64 },
    Overdue { days: i64 },
    SubmittedOnTime,
    SubmittedLate { days: i64 },
}

/// Compares the due date with the report's submission (its general distribution date, the first
/// date the source gives for it) on `on`.
pub fn report_standing(due: NaiveDate, submitted: Option<NaiveDate>, on: NaiveDate) -> ReportStanding {
    match submitted.filter(|s| *s <= on) {
        Some(s) if s <= due => ReportStanding::SubmittedOnTime,
        Some(s) => ReportStanding::SubmittedLate { days: (s - due).num_days() },
        None if on > due => ReportStanding::Overdue { days: (on - due).num_days() },
        None => ReportStanding::NotYetDue { days_left: (due - on).num_days() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Cases from Appendix 2 (deposit dates as printed in Appendix 3).
    #[test]
    fn entry_into_force_and_due_dates_follow_articles_14_and_12() {
        // Panama deposited on 9 February 2001, before the Protocol's own entry into force.
        let pa = opsc_entry_into_force(d(2001, 2, 9));
        assert_eq!(pa.date, d(2002, 1, 18));
        assert!(pa.rule.contains("14(1)"));
        assert_eq!(opsc_initial_report_due(pa.date).date, d(2004, 1, 18));
        // Chile deposited on 6 February 2003: one month later, then two years.
        let cl = opsc_entry_into_force(d(2003, 2, 6));
        assert_eq!(cl.date, d(2003, 3, 6));
        assert!(cl.rule.contains("14(2)"));
        let due = opsc_initial_report_due(cl.date);
        assert_eq!(due.date, d(2005, 3, 6));
        assert!(due.rule.contains("12(1)"));
        // Ecuador deposited on 30 January 2004: 29 February 2004 (leap year), due 28 February 2006.
        let ec = opsc_entry_into_force(d(2004, 1, 30));
        assert_eq!(ec.date, d(2004, 2, 29));
        assert_eq!(opsc_initial_report_due(ec.date).date, d(2006, 2, 28));
        // A deposit on the day of entry into force counts as after it.
        assert_eq!(opsc_entry_into_force(d(2002, 1, 18)).date, d(2002, 2, 18));
    }

    #[test]
    fn standing_says_overdue_late_or_on_time() {
        let due = d(2005, 3, 6);
        assert_eq!(
            report_standing(due, Some(d(2007, 7, 6)), d(2014, 9, 30)),
            ReportStanding::SubmittedLate { days: 852 }
        );
        assert_eq!(report_standing(due, Some(d(2005, 1, 1)), d(2014, 9, 30)), ReportStanding::SubmittedOnTime);
        assert_eq!(report_standing(due, None, d(2005, 3, 16)), ReportStanding::Overdue { days: 10 });
        assert_eq!(report_standing(due, None, d(2005, 3, 1)), ReportStanding::NotYetDue { days_left: 5 });
        // A distribution after the reference date is not yet known on that date.
        assert_eq!(report_standing(due, Some(d(2010, 1, 1)), d(2006, 1, 1)), ReportStanding::Overdue { days: 301 });
    }
}
