//! Cross-source checks on the bundled data: the OPSC rules against Appendix 2, and Appendix 2
//! against Appendix 3.

use chrono::NaiveDate;
use observa_domain::checks::{reporting, ReportingItem};
use observa_domain::rules::ReportStanding;

use crate::bundled;

fn item(items: &[ReportingItem], state: &str) -> ReportingItem {
    items.iter().find(|i| i.report.state.as_str() == state && i.report.sequence == 1).unwrap().clone()
}

fn codes(i: &ReportingItem) -> Vec<&str> {
    i.flags.iter().map(|f| f.code).collect()
}

fn on_update() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 9, 30).unwrap()
}

#[test]
fn panama_deposited_before_the_protocol_entered_into_force() {
    let items = reporting(&bundled(), on_update());
    let pa = item(&items, "PA");
    assert_eq!(pa.entry_into_force.unwrap().to_string(), "2002-01-18");
    assert_eq!(pa.initial_report_due.unwrap().to_string(), "2004-01-18");
    assert_eq!(pa.report.source_due.unwrap().to_string(), "2003-02-09", "the source's own figure is kept");
    assert!(codes(&pa).contains(&"due-date-differs"));
    assert_eq!(pa.standing, Some(ReportStanding::Overdue { days: 3908 }));
}

#[test]
fn the_appendices_disagree_on_suriname_and_jamaica() {
    let items = reporting(&bundled(), on_update());
    let sr = item(&items, "SR");
    assert!(codes(&sr).contains(&"ratification-date-differs"));
    assert_eq!(sr.deposit_basis, Some("Appendix 3"));
    assert_eq!(sr.deposit.unwrap().to_string(), "2012-05-18");
    let jm = item(&items, "JM");
    assert!(jm.flags.iter().any(|f| f.code == "ratification-date-differs" && f.message.contains("2012-08-25")));
    // Chile's two appendices agree on the date.
    assert!(!codes(&item(&items, "CL")).contains(&"ratification-date-differs"));
}

#[test]
fn chile_reported_late_and_non_parties_get_no_computed_dates() {
    let items = reporting(&bundled(), on_update());
    let cl = item(&items, "CL");
    assert_eq!(cl.initial_report_due.unwrap().to_string(), "2005-03-06");
    assert!(matches!(cl.standing, Some(ReportStanding::SubmittedLate { .. })));
    let bs = item(&items, "BS");
    assert_eq!((bs.entry_into_force, bs.initial_report_due, bs.standing), (None, None, None));
    assert!(bs.flags.is_empty(), "both appendices agree that the Bahamas took no action");
}

#[test]
fn dates_after_the_tables_own_update_are_flagged() {
    let items = reporting(&bundled(), on_update());
    for state in ["HN", "PE", "UY"] {
        assert!(codes(&item(&items, state)).contains(&"after-source-update"), "{state}");
    }
    assert!(codes(&item(&items, "HN")).contains(&"discussed-without-distribution"));
    assert!(!codes(&item(&items, "CL")).contains(&"after-source-update"));
}
