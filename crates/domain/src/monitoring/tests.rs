//! The monitoring rules with real dates: schedules, windows, regeneration, the on-track rule and
//! the unusual-value check.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::progress::{judge, unusual, Track};
use super::schedule::{late, periods, regenerate, urgency, window, Frequency, Period, Urgency, Window};
use super::*;

pub(crate) fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub(crate) fn indicator(id: &str, frequency: Frequency, starts: &str, target: Option<(&str, f64)>) -> Indicator {
    Indicator {
        id: id.into(),
        name: format!("Indicator {id}"),
        kind: IndicatorKind::Process,
        unit: "workshops".into(),
        baseline: Some(Point { value: 0.0, date: day(starts) }),
        target: target.map(|(d, value)| Point { value, date: day(d) }),
        direction: Direction::Up,
        frequency,
        starts: day(starts),
        data_source: String::new(),
        disaggregation: vec![],
    }
}

#[test]
fn quarterly_periods_run_from_the_first_day_and_the_last_is_cut_at_the_target() {
    let i = indicator("i1", Frequency::Quarterly, "2015-01-01", Some(("2015-11-15", 10.0)));
    let got: Vec<_> = periods(&i).into_iter().map(|p| (p.start.to_string(), p.end.to_string())).collect();
    let want = [
        ("2015-01-01", "2015-03-31"),
        ("2015-04-01", "2015-06-30"),
        ("2015-07-01", "2015-09-30"),
        ("2015-10-01", "2015-11-15"),
    ];
    assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
}

#[test]
fn monthly_periods_follow_calendar_months_and_once_is_one_period() {
    let i = indicator("i1", Frequency::Monthly, "2016-01-31", Some(("2016-04-30", 1.0)));
    let got: Vec<_> = periods(&i).into_iter().map(|p| format!("{}/{}", p.start, p.end)).collect();
    assert_eq!(
        got,
        ["2016-01-31/2016-01-31", "2016-02-01/2016-02-29", "2016-03-01/2016-03-31", "2016-04-01/2016-04-30"]
    );
    let once = indicator("i2", Frequency::Once, "2016-01-01", Some(("2018-12-31", 1.0)));
    assert_eq!(periods(&once).len(), 1);
    let none = indicator("i3", Frequency::Yearly, "2016-01-01", None);
    assert_eq!(periods(&none).len(), 5, "without a target the schedule runs five years");
}

#[test]
fn a_period_opens_on_its_first_day_locks_after_lock_days_and_a_reopening_lets_entries_in() {
    let p = Period { indicator: "i".into(), start: day("2015-01-01"), end: day("2015-03-31") };
    assert_eq!(window(&p, 60, None, day("2014-12-31")), Window::NotOpen);
    assert_eq!(window(&p, 60, None, day("2015-01-01")), Window::Open);
    assert_eq!(window(&p, 60, None, day("2015-05-30")), Window::Open, "31 March + 60 days");
    assert_eq!(window(&p, 60, None, day("2015-05-31")), Window::Locked);
    assert_eq!(window(&p, 60, Some(day("2015-06-15")), day("2015-06-01")), Window::Reopened(day("2015-06-15")));
    assert_eq!(window(&p, 60, Some(day("2015-06-15")), day("2015-06-16")), Window::Locked);
    assert!(!late(&p, day("2015-03-31")) && late(&p, day("2015-04-01")));
}

#[test]
fn due_within_thirty_days_and_overdue_once_past_unless_reported() {
    let p = Period { indicator: "i".into(), start: day("2015-03-01"), end: day("2015-03-31") };
    assert_eq!(urgency(&p, false, day("2015-03-01")), Some(Urgency::Due));
    assert_eq!(urgency(&p, false, day("2015-03-31")), Some(Urgency::Due));
    assert_eq!(urgency(&p, false, day("2015-04-01")), Some(Urgency::Overdue));
    assert_eq!(urgency(&p, true, day("2015-04-01")), None);
    let later = Period { indicator: "i".into(), start: day("2015-01-01"), end: day("2015-12-31") };
    assert_eq!(urgency(&later, false, day("2015-06-01")), None, "more than 30 days ahead");
}

#[test]
fn a_schedule_change_regenerates_only_future_periods_without_a_report() {
    let old = periods(&indicator("i", Frequency::Quarterly, "2015-01-01", Some(("2015-12-31", 4.0))));
    let new = periods(&indicator("i", Frequency::Monthly, "2015-01-01", Some(("2015-12-31", 4.0))));
    // On 15 May: Q1 is past; Q2 (April-June) has a report; Q3 and Q4 are future and unreported.
    let reported = BTreeSet::from([("i".to_string(), day("2015-04-01"))]);
    let got = regenerate(&old, &reported, &new, day("2015-05-15"));
    let starts: Vec<_> = got.iter().map(|p| p.start.to_string()).collect();
    assert_eq!(
        starts,
        [
            "2015-01-01",
            "2015-04-01",
            "2015-07-01",
            "2015-08-01",
            "2015-09-01",
            "2015-10-01",
            "2015-11-01",
            "2015-12-01"
        ],
        "Q1 and the reported Q2 stay; July to December become monthly"
    );
    assert_eq!(got[1].end, day("2015-06-30"), "the reported quarter keeps its end");
    let first = regenerate(&[], &BTreeSet::new(), &new, day("2015-05-15"));
    assert_eq!(first.len(), 12, "a first schedule has its past periods too, to report on late");
}

#[test]
fn on_track_compares_the_latest_approved_value_with_the_line_from_baseline_to_target() {
    // 0 on 1 Jan 2015 to 100 on 1 Jan 2017: on 1 Jan 2016 the line stands at about 50.
    let i = indicator("i", Frequency::Yearly, "2015-01-01", Some(("2017-01-01", 100.0)));
    let at = |v: f64| judge(&i, &[(day("2015-06-30"), 1.0), (day("2016-01-01"), v)]);
    assert_eq!(at(50.0).track, Track::OnTrack);
    assert_eq!(at(49.0).track, Track::OffTrack);
    assert!((at(50.0).expected.unwrap() - 50.0).abs() < 0.1);
    assert_eq!(judge(&i, &[]).track, Track::NoData);
    let mut down = i.clone();
    down.direction = Direction::Down;
    down.baseline = Some(Point { value: 100.0, date: day("2015-01-01") });
    down.target = Some(Point { value: 0.0, date: day("2017-01-01") });
    assert_eq!(judge(&down, &[(day("2016-01-01"), 40.0)]).track, Track::OnTrack);
    assert_eq!(judge(&down, &[(day("2016-01-01"), 60.0)]).track, Track::OffTrack);
    // After the target date the line holds at the target.
    assert_eq!(judge(&i, &[(day("2019-01-01"), 99.0)]).track, Track::OffTrack);
    let mut no_target = i.clone();
    no_target.target = None;
    assert_eq!(judge(&no_target, &[(day("2016-01-01"), 10.0)]).track, Track::NoData);
}

#[test]
fn a_value_far_outside_the_history_is_unusual() {
    let i = indicator("i", Frequency::Yearly, "2015-01-01", Some(("2017-01-01", 100.0)));
    assert!(!unusual(150.0, &[20.0, 40.0], &i), "within one range above the highest");
    assert!(unusual(201.0, &[20.0, 40.0], &i));
    assert!(unusual(-101.0, &[], &i));
    let mut bare = i.clone();
    bare.target = None;
    assert!(!unusual(1e9, &[], &bare), "one reference is not a history");
}

#[test]
fn a_matrix_names_registry_organisations_and_unique_ids() {
    let registry = crate::analysis::bundled();
    let plan = registry.plans.iter().find(|p| p.state.as_str() == "CL").unwrap();
    let org = registry.organisations.iter().find(|o| o.state.as_ref().is_some_and(|s| s.as_str() == "CL")).unwrap();
    let action = Action {
        id: "a1".into(),
        title: "Train prosecutors".into(),
        lead: Some(org.id.clone()),
        partners: vec!["no-such-org".into()],
        start: None,
        target: None,
        status: ActionStatus::InProgress,
        resources: None,
        source: String::new(),
        indicators: vec![indicator("i1", Frequency::Yearly, "2015-01-01", Some(("2017-01-01", 5.0)))],
        updates: vec![],
    };
    let line = Line {
        id: "l1".into(),
        title: "Protection".into(),
        focal_points: vec![FocalPoint::Protection],
        actions: vec![action],
    };
    let mut m = Matrix::new(&plan.id);
    m.objectives.push(Objective { id: "o1".into(), title: "Objective".into(), lines: vec![line], indicators: vec![] });
    let issues = m.check(&registry);
    assert_eq!(issues, ["a1: `no-such-org` is not an organisation of the registry"]);
    m.objectives[0].lines[0].actions[0].partners.clear();
    m.objectives[0].lines[0].id = "a1".into();
    assert_eq!(m.check(&registry), ["action `a1`: the id is used twice in the matrix"]);
    m.objectives[0].lines[0].id = "l1".into();
    m.plan = "nope".into();
    assert_eq!(m.check(&registry), ["plan `nope` is not in the registry"]);
    assert_eq!(m.indicator("i1").unwrap().focal_points().into_iter().collect::<Vec<_>>(), [FocalPoint::Protection]);
}
