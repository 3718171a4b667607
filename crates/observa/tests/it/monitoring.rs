//! Plan monitoring through the workflow on a real store (each engine): the approval flow by role,
//! the window (late, locked, reopened), schedule changes that keep reported periods, values far
//! outside an indicator's history, and stale versions.

use chrono::NaiveDate;
use observa_domain::account::Role;
use observa_domain::consultation::Status;
use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::*;
use observa_store::Backend;
use observa_workflow::monitoring::{decide_report, reopen, save_matrix, save_report, submit_report, Entry};
use observa_workflow::{Actor, WorkflowError};

use crate::{bundled, Scratch};

pub(crate) fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub(crate) fn actor(role: Role, states: &[&str]) -> Actor {
    let email = format!("{}-{}@example.org", role.code(), states.join("-")).to_lowercase();
    Actor { email, role, states: states.iter().map(|s| s.parse().unwrap()).collect() }
}

/// Paraguay's plan in the registry and a matrix for it: one line of protection, one action led by
/// a Paraguayan organisation, one quarterly indicator from 0 (January 2015) to 8 (end of 2016).
pub(crate) fn paraguay(registry: &observa_domain::Dataset) -> Matrix {
    let plan = registry.plans.iter().find(|p| p.state.as_str() == "PY").expect("a plan of Paraguay");
    let lead = registry.organisations.iter().find(|o| o.state.as_ref().is_some_and(|s| s.as_str() == "PY")).unwrap();
    let indicator = Indicator {
        id: "i1".into(),
        name: "Prosecutors trained in the protocol".into(),
        kind: IndicatorKind::Process,
        unit: "workshops".into(),
        baseline: Some(Point { value: 0.0, date: day("2015-01-01") }),
        target: Some(Point { value: 8.0, date: day("2016-12-31") }),
        direction: Direction::Up,
        frequency: Frequency::Quarterly,
        starts: day("2015-01-01"),
        data_source: "Commission records".into(),
        disaggregation: vec![Disaggregation::Sex],
    };
    let action = Action {
        id: "a1".into(),
        title: "Train prosecutors".into(),
        lead: Some(lead.id.clone()),
        partners: vec![],
        start: None,
        target: None,
        status: ActionStatus::InProgress,
        resources: None,
        source: "Plan, p. 12".into(),
        indicators: vec![indicator],
        updates: vec![],
    };
    let line = Line {
        id: "l1".into(),
        title: "Protection".into(),
        focal_points: vec![FocalPoint::Protection],
        actions: vec![action],
    };
    let mut m = Matrix::new(&plan.id);
    m.objectives.push(Objective {
        id: "o1".into(),
        title: "Protect children".into(),
        lines: vec![line],
        indicators: vec![],
    });
    m
}

fn entry(value: f64) -> Entry {
    Entry {
        value: Some(value),
        no_data: None,
        breakdown: Default::default(),
        narrative: "Two workshops in Asunción.".into(),
        lang: observa_domain::Lang::Es,
        confirmed: false,
    }
}

fn setup() -> (Scratch, Box<dyn Backend>, observa_domain::Dataset, Matrix) {
    let s = Scratch::new();
    let mut store = s.open("m.db");
    let registry = bundled();
    store.replace_all(&registry, "test").unwrap();
    let matrix = paraguay(&registry);
    (s, store, registry, matrix)
}

fn key(m: &Matrix, period: &str) -> ReportKey {
    ReportKey { plan: m.plan.clone(), indicator: "i1".into(), period: day(period) }
}

#[test]
fn a_coordinator_reports_the_analyst_returns_and_approves_and_the_approved_value_is_locked() {
    let (_s, mut store, registry, m) = setup();
    let (co, analyst) = (actor(Role::Coordinator, &["PY"]), actor(Role::Analyst, &[]));
    assert_eq!(save_matrix(store.as_mut(), &registry, &co, &m, 0, day("2015-01-10")).unwrap(), 1);
    assert_eq!(store.periods(&m.plan).unwrap().len(), 8, "eight quarters in 2015 and 2016");
    let q1 = key(&m, "2015-01-01");
    let v = save_report(store.as_mut(), &registry, &co, &q1, &entry(1.0), 0, day("2015-03-20")).unwrap();
    // Submitted after 31 March: late.
    let v = submit_report(store.as_mut(), &registry, &co, &q1, v, day("2015-04-05")).unwrap();
    let stored = store.progress_report(&q1).unwrap().unwrap();
    assert_eq!((stored.status, stored.late), (Status::Submitted, true));
    assert!(matches!(
        decide_report(store.as_mut(), &registry, &co, &q1, v, true, ""),
        Err(WorkflowError::Forbidden { .. })
    ));
    assert!(matches!(
        decide_report(store.as_mut(), &registry, &analyst, &q1, v, false, "  "),
        Err(WorkflowError::Invalid { key: "review-return-needs-comment", .. })
    ));
    let v = decide_report(store.as_mut(), &registry, &analyst, &q1, v, false, "Two workshops or one?").unwrap();
    assert_eq!(store.progress_report(&q1).unwrap().unwrap().status, Status::Returned);
    assert_eq!(store.progress_comments(&q1).unwrap()[0].body, "Two workshops or one?");
    assert!(store.latest_approved().unwrap().is_empty(), "nothing approved yet");
    let v = save_report(store.as_mut(), &registry, &co, &q1, &entry(2.0), v, day("2015-04-10")).unwrap();
    let v = submit_report(store.as_mut(), &registry, &co, &q1, v, day("2015-04-10")).unwrap();
    let v = decide_report(store.as_mut(), &registry, &analyst, &q1, v, true, "").unwrap();
    let approved = store.progress_report(&q1).unwrap().unwrap();
    assert_eq!((approved.status, approved.value), (Status::Accepted, Some(2.0)));
    assert_eq!(store.latest_approved().unwrap()[&m.plan]["i1"], day("2015-03-31"));
    // Approved values are locked until the secretariat reopens them.
    let again = save_report(store.as_mut(), &registry, &co, &q1, &entry(3.0), v, day("2015-04-11"));
    assert!(matches!(again, Err(WorkflowError::NotEditable { status: Status::Accepted })), "{again:?}");
    assert!(matches!(
        reopen(store.as_mut(), &registry, &co, &q1, day("2015-05-01"), "fix", day("2015-04-11")),
        Err(WorkflowError::Forbidden { .. })
    ));
    reopen(
        store.as_mut(),
        &registry,
        &analyst,
        &q1,
        day("2015-05-01"),
        "The ministry corrected its count.",
        day("2015-04-11"),
    )
    .unwrap();
    let back = store.progress_report(&q1).unwrap().unwrap();
    assert_eq!(back.status, Status::Returned);
    assert!(store.latest_approved().unwrap().is_empty(), "a reopened value is no longer public");
    save_report(store.as_mut(), &registry, &co, &q1, &entry(3.0), back.version, day("2015-04-12")).unwrap();
    let audit = store.audit().unwrap();
    let actions: Vec<&str> =
        audit.iter().filter(|e| e.subject.contains("/indicators/i1/")).map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "save-report",
            "submit-report",
            "return-report",
            "save-report",
            "submit-report",
            "approve-report",
            "reopen-period",
            "reopen-report",
            "save-report"
        ]
    );
}

#[test]
fn a_coordinator_of_another_state_can_neither_read_nor_write_and_a_liaison_of_the_state_can_report() {
    let (_s, mut store, registry, m) = setup();
    let other = actor(Role::Coordinator, &["CL"]);
    let refused = save_matrix(store.as_mut(), &registry, &other, &m, 0, day("2015-01-10"));
    assert!(matches!(refused, Err(WorkflowError::Forbidden { .. })), "{refused:?}");
    save_matrix(store.as_mut(), &registry, &actor(Role::Coordinator, &["PY"]), &m, 0, day("2015-01-10")).unwrap();
    let q1 = key(&m, "2015-01-01");
    let refused = save_report(store.as_mut(), &registry, &other, &q1, &entry(1.0), 0, day("2015-02-01"));
    assert!(matches!(refused, Err(WorkflowError::Forbidden { .. })), "{refused:?}");
    assert!(!other.may_report("PY"), "nor read the State's reports before approval");
    let liaison = actor(Role::Liaison, &["PY"]);
    save_report(store.as_mut(), &registry, &liaison, &q1, &entry(1.0), 0, day("2015-02-01")).unwrap();
}

#[test]
fn a_locked_period_needs_a_reopening_and_a_period_not_begun_takes_nothing() {
    let (_s, mut store, registry, m) = setup();
    let (co, analyst) = (actor(Role::Coordinator, &["PY"]), actor(Role::Analyst, &[]));
    save_matrix(store.as_mut(), &registry, &co, &m, 0, day("2015-01-10")).unwrap();
    let q1 = key(&m, "2015-01-01");
    // 31 March + 60 days is 30 May: on 31 May the period is locked.
    let locked = save_report(store.as_mut(), &registry, &co, &q1, &entry(1.0), 0, day("2015-05-31"));
    assert!(matches!(locked, Err(WorkflowError::Invalid { key: "monitoring-locked", .. })), "{locked:?}");
    save_report(store.as_mut(), &registry, &co, &q1, &entry(1.0), 0, day("2015-05-30")).unwrap();
    let q3 = key(&m, "2015-07-01");
    let early = save_report(store.as_mut(), &registry, &co, &q3, &entry(1.0), 0, day("2015-06-30"));
    assert!(matches!(early, Err(WorkflowError::Invalid { key: "monitoring-not-open", .. })), "{early:?}");
    let q2 = key(&m, "2015-04-01");
    assert!(save_report(store.as_mut(), &registry, &co, &q2, &entry(1.0), 0, day("2015-09-01")).is_err());
    reopen(
        store.as_mut(),
        &registry,
        &analyst,
        &q2,
        day("2015-09-15"),
        "Late data from the ministry.",
        day("2015-09-01"),
    )
    .unwrap();
    save_report(store.as_mut(), &registry, &co, &q2, &entry(1.0), 0, day("2015-09-02")).unwrap();
    let after = save_report(store.as_mut(), &registry, &co, &q2, &entry(1.0), 1, day("2015-09-16"));
    assert!(matches!(after, Err(WorkflowError::Invalid { key: "monitoring-locked", .. })), "the reopening ended");
}

#[test]
fn changing_the_schedule_keeps_past_and_reported_periods_and_regenerates_the_rest() {
    let (_s, mut store, registry, mut m) = setup();
    let co = actor(Role::Coordinator, &["PY"]);
    save_matrix(store.as_mut(), &registry, &co, &m, 0, day("2015-01-10")).unwrap();
    save_report(store.as_mut(), &registry, &co, &key(&m, "2015-04-01"), &entry(1.0), 0, day("2015-05-01")).unwrap();
    m.objectives[0].lines[0].actions[0].indicators[0].frequency = Frequency::Yearly;
    save_matrix(store.as_mut(), &registry, &co, &m, 1, day("2015-05-15")).unwrap();
    let starts: Vec<String> =
        store.periods(&m.plan).unwrap().iter().map(|p| format!("{}/{}", p.start, p.end)).collect();
    assert_eq!(
        starts,
        ["2015-01-01/2015-03-31", "2015-04-01/2015-06-30", "2016-01-01/2016-12-31"],
        "Q1 is past, Q2 has a report; the future follows the yearly schedule without overlapping them"
    );
    let stale = save_matrix(store.as_mut(), &registry, &co, &m, 1, day("2015-05-16"));
    assert!(matches!(stale, Err(WorkflowError::Stale { current: 2 })), "{stale:?}");
}

#[test]
fn a_value_far_outside_the_history_asks_for_confirmation_and_is_kept_as_entered() {
    let (_s, mut store, registry, m) = setup();
    let co = actor(Role::Coordinator, &["PY"]);
    save_matrix(store.as_mut(), &registry, &co, &m, 0, day("2015-01-10")).unwrap();
    let q1 = key(&m, "2015-01-01");
    let asked = save_report(store.as_mut(), &registry, &co, &q1, &entry(500.0), 0, day("2015-02-01"));
    assert!(matches!(asked, Err(WorkflowError::Invalid { key: "monitoring-confirm-unusual", .. })), "{asked:?}");
    assert!(store.progress_report(&q1).unwrap().is_none(), "nothing saved until confirmed");
    let confirmed = Entry { confirmed: true, ..entry(500.0) };
    save_report(store.as_mut(), &registry, &co, &q1, &confirmed, 0, day("2015-02-01")).unwrap();
    assert_eq!(store.progress_report(&q1).unwrap().unwrap().value, Some(500.0));
    let none = Entry { value: None, ..entry(0.0) };
    let refused = save_report(store.as_mut(), &registry, &co, &q1, &none, 1, day("2015-02-01"));
    assert!(matches!(refused, Err(WorkflowError::Invalid { key: "monitoring-value-or-reason", .. })));
    let reason = Entry { value: None, no_data: Some("The ministry has not published yet.".into()), ..entry(0.0) };
    save_report(store.as_mut(), &registry, &co, &q1, &reason, 1, day("2015-02-01")).unwrap();
}

#[test]
fn a_coordinator_account_is_stored_on_every_engine() {
    let (_s, mut store, _, _) = setup();
    let new = observa_store::NewAccount {
        email: "coordinacion@gov.py".into(),
        role: Role::Coordinator,
        states: vec!["PY".parse().unwrap()],
        password_hash: "x".into(),
    };
    let account = store.create_account(&new, "test").unwrap();
    assert_eq!(store.account_by_email("coordinacion@gov.py").unwrap().unwrap().0.role, Role::Coordinator);
    assert_eq!(account.role, Role::Coordinator);
}
