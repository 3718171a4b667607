//! Cross-source checks: the OPSC reporting view computed by the rules, compared with what the
//! source prints, and the curation report (every correction and every disagreement).
//!
//! Nothing here picks a winner silently: each flag names both values and the reason.

use chrono::NaiveDate;
use serde::Serialize;

use crate::dataset::Dataset;
use crate::rules::{opsc_entry_into_force, opsc_initial_report_due, report_standing, Computed, ReportStanding};
use crate::source::{Correction, Disagreement};
use crate::treaty::{Ratification, Report};

/// The date of the source's own update (Appendix 3, note 74: "Update at September 2014"). Dates
/// after it cannot have been known when the tables were compiled.
pub fn seed_update_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 9, 30).expect("valid")
}

/// A disagreement found by a rule or by comparing two sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Flag {
    pub code: &'static str,
    pub message: String,
}

/// One OPSC report row with the values the rules compute beside the source's own.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportingItem {
    #[serde(flatten)]
    pub report: Report,
    /// The deposit date the computation starts from, and which appendix gave it.
    #[schema(value_type = Option<crate::date::PartialDate>)]
    pub deposit: Option<NaiveDate>,
    pub deposit_basis: Option<&'static str>,
    #[schema(value_type = Option<crate::date::PartialDate>, required = true)]
    pub entry_into_force: Option<NaiveDate>,
    pub entry_into_force_rule: Option<String>,
    #[schema(value_type = Option<crate::date::PartialDate>, required = true)]
    pub initial_report_due: Option<NaiveDate>,
    pub initial_report_due_rule: Option<String>,
    /// Where the initial report stands on `as_of` (the distribution date stands in for the
    /// submission, which the source does not give).
    pub standing: Option<ReportStanding>,
    #[schema(value_type = crate::date::PartialDate)]
    pub as_of: NaiveDate,
    pub flags: Vec<Flag>,
}

fn opsc_ratification<'a>(ds: &'a Dataset, state: &str) -> Option<&'a Ratification> {
    ds.ratifications.iter().find(|r| r.state.as_str() == state && r.treaty == "OPSC")
}

/// Computes the OPSC reporting view for every Appendix 2 row.
pub fn reporting(ds: &Dataset, as_of: NaiveDate) -> Vec<ReportingItem> {
    ds.reports.iter().filter(|r| r.treaty == "OPSC").map(|r| reporting_item(ds, r, as_of)).collect()
}

fn reporting_item(ds: &Dataset, report: &Report, as_of: NaiveDate) -> ReportingItem {
    let mut flags = Vec::new();
    let mut flag = |code, message: String| flags.push(Flag { code, message });
    let a3 = opsc_ratification(ds, report.state.as_str());
    let a3_party = a3.filter(|r| r.status.is_party());
    let a2_date = report.source_ratification.and_then(|d| d.to_date());

    if report.sequence == 1 {
        match (a3_party.and_then(|r| r.date), report.source_ratification) {
            (Some(a), Some(b)) if a != b => flag(
                "ratification-date-differs",
                format!("Appendix 3 gives {a} for the OPSC, Appendix 2 gives {b}; the rules use Appendix 3"),
            ),
            (None, Some(b)) => flag(
                "party-status-differs",
                format!("Appendix 2 gives a ratification on {b}, Appendix 3 shows no ratification or accession"),
            ),
            (Some(a), None) => flag(
                "ratification-missing",
                format!("Appendix 3 shows the State a party since {a}; Appendix 2 gives no date"),
            ),
            _ => {}
        }
    }
    let (deposit, basis) = match (a3_party.and_then(|r| r.date).and_then(|d| d.to_date()), a2_date) {
        (Some(d), _) => (Some(d), Some("Appendix 3")),
        (None, Some(d)) => (Some(d), Some("Appendix 2")),
        _ => (None, None),
    };
    let eif: Option<Computed> = deposit.filter(|_| report.sequence == 1).map(opsc_entry_into_force);
    let due: Option<Computed> = eif.as_ref().map(|e| opsc_initial_report_due(e.date));

    if let (Some(due), Some(printed)) = (&due, report.source_due) {
        if printed.to_date() != Some(due.date) {
            let plus_two_years = |d: Option<NaiveDate>| d.map(|d| d + chrono::Months::new(24));
            let why = if printed.to_date().is_some() && printed.to_date() == plus_two_years(deposit) {
                "the source adds two years to the deposit date; art. 12(1) counts from entry into force, \
                 which art. 14 sets one month after deposit (or on 2002-01-18 for earlier deposits)"
            } else if printed.to_date().is_some() && printed.to_date() == plus_two_years(a2_date) {
                "the source adds two years to Appendix 2's own ratification date, which Appendix 3 does not \
                 confirm, and leaves out the month of art. 14(2)"
            } else {
                "the printed date follows no reading of the rule"
            };
            flag("due-date-differs", format!("the source prints {printed}, the rule gives {}: {why}", due.date));
        }
    }
    if due.is_some() && report.source_due.is_none() {
        flag("due-date-missing", "the State is a party but the source prints no due date".into());
    }
    if let (Some(d), Some(r)) = (report.distributed, deposit) {
        if d.latest() < r {
            flag("distributed-before-ratification", format!("report distributed {d}, before the deposit on {r}"));
        }
    }
    if report.session_from.is_some() && report.distributed.is_none() {
        flag("discussed-without-distribution", "a session is given but no date of general distribution".into());
    }
    for (what, date) in [("distribution", report.distributed), ("session", report.session_from)] {
        if let Some(d) = date.filter(|d| d.earliest() > seed_update_date()) {
            flag(
                "after-source-update",
                format!("{what} date {d} is after the tables' own update (September 2014): added later or misprinted"),
            );
        }
    }
    let standing = due.as_ref().map(|d| report_standing(d.date, report.distributed.map(|x| x.latest()), as_of));
    ReportingItem {
        report: report.clone(),
        deposit,
        deposit_basis: basis,
        entry_into_force: eif.as_ref().map(|c| c.date),
        entry_into_force_rule: eif.map(|c| c.rule),
        initial_report_due: due.as_ref().map(|c| c.date),
        initial_report_due_rule: due.map(|c| c.rule),
        standing,
        as_of,
        flags,
    }
}

/// Everything the curators changed or could not reconcile.
#[derive(Debug, Clone, Serialize)]
pub struct CurationReport<'a> {
    pub corrections: &'a [Correction],
    /// Disagreements recorded by the curators.
    pub disagreements: &'a [Disagreement],
    /// Disagreements found by the rules (one line per flag).
    pub flags: Vec<(String, Flag)>,
}

pub fn curation_report(ds: &Dataset, as_of: NaiveDate) -> CurationReport<'_> {
    let flags = reporting(ds, as_of)
        .into_iter()
        .flat_map(|item| {
            let who = format!("{} OPSC report {}", item.report.state, item.report.sequence);
            item.flags.into_iter().map(move |f| (who.clone(), f))
        })
        .collect();
    CurationReport { corrections: &ds.corrections, disagreements: &ds.disagreements, flags }
}
