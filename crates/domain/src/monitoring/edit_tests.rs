//! Editing a matrix item by item: additions with given and generated ids, action details,
//! retitling, removal with what hangs under it, and refusals that name the item and the field.

use super::*;
use crate::monitoring::schedule::Frequency;
use crate::monitoring::tests::indicator;

fn matrix() -> Matrix {
    let mut m = Matrix::new("PY-plan-1");
    apply(&mut m, &Edit::AddObjective { id: "O1".into(), title: "Prevent exploitation".into() }).unwrap();
    let line = Edit::AddLine {
        objective: "O1".into(),
        id: String::new(),
        title: "Care for victims".into(),
        focal_points: vec![FocalPoint::Recovery, FocalPoint::Protection, FocalPoint::Recovery],
    };
    apply(&mut m, &line).unwrap();
    m
}

#[test]
fn additions_keep_given_ids_and_number_the_others() {
    let mut m = matrix();
    assert_eq!(m.objectives[0].lines[0].id, "l1");
    assert_eq!(m.objectives[0].lines[0].focal_points, vec![FocalPoint::Protection, FocalPoint::Recovery]);
    let fields = ActionFields {
        title: "Open shelters".into(),
        lead: Some("PY-MINNA".into()),
        partners: vec!["PY-NGO".into(), " ".into()],
        start: Some("2025".parse().unwrap()),
        target: Some("2026-06".parse().unwrap()),
        resources: Some("  ".into()),
    };
    apply(&mut m, &Edit::AddAction { line: "l1".into(), id: "A1.1".into(), fields }).unwrap();
    let a = &m.objectives[0].lines[0].actions[0];
    assert_eq!(
        (a.id.as_str(), a.lead.as_deref(), a.partners.clone()),
        ("A1.1", Some("PY-MINNA"), vec!["PY-NGO".into()])
    );
    assert_eq!((a.status, a.resources.clone()), (ActionStatus::NotStarted, None), "blank resources are none");
    let mut i = indicator("", Frequency::Yearly, "2025-01-01", Some(("2027-12-31", 10.0)));
    i.name = "Shelters open".into();
    apply(&mut m, &Edit::AddIndicator { under: "A1.1".into(), indicator: i.clone() }).unwrap();
    apply(&mut m, &Edit::AddIndicator { under: "O1".into(), indicator: i }).unwrap();
    assert_eq!(m.indicators().iter().map(|p| p.indicator.id.as_str()).collect::<Vec<_>>(), ["i2", "i1"]);
}

#[test]
fn an_action_s_details_are_replaced_and_items_retitled() {
    let mut m = matrix();
    let add = Edit::AddAction {
        line: "l1".into(),
        id: String::new(),
        fields: ActionFields { title: "Train".into(), ..Default::default() },
    };
    apply(&mut m, &add).unwrap();
    let set = ActionFields { resources: Some("USD 10,000 from the budget".into()), ..Default::default() };
    apply(&mut m, &Edit::SetAction { action: "a1".into(), fields: set }).unwrap();
    let a = &m.objectives[0].lines[0].actions[0];
    assert_eq!((a.title.as_str(), a.resources.as_deref()), ("Train", Some("USD 10,000 from the budget")));
    apply(&mut m, &Edit::Retitle { id: "l1".into(), title: "Recovery".into() }).unwrap();
    assert_eq!(m.objectives[0].lines[0].title, "Recovery");
}

#[test]
fn removing_an_item_removes_what_hangs_under_it() {
    let mut m = matrix();
    let add = Edit::AddAction {
        line: "l1".into(),
        id: String::new(),
        fields: ActionFields { title: "Train".into(), ..Default::default() },
    };
    apply(&mut m, &add).unwrap();
    apply(&mut m, &Edit::Remove { id: "l1".into() }).unwrap();
    assert!(m.objectives[0].lines.is_empty() && m.actions().count() == 0);
    assert_eq!(
        apply(&mut m, &Edit::Remove { id: "l1".into() }),
        Err("item `l1`: there is no such item in the matrix".into())
    );
}

#[test]
fn refusals_name_the_item_and_field_and_change_nothing() {
    let mut m = matrix();
    let before = m.clone();
    let cases = [
        (Edit::AddObjective { id: "O1".into(), title: "Again".into() }, "objective `O1`, id: the id is used already"),
        (Edit::AddObjective { id: "o 2".into(), title: "x".into() }, "objective `o 2`, id: an id is"),
        (Edit::AddObjective { id: String::new(), title: " ".into() }, "objective `o1`, title: it is empty"),
        (
            Edit::AddLine { objective: "O9".into(), id: String::new(), title: "x".into(), focal_points: vec![] },
            "objective `O9`: there is no such objective",
        ),
        (
            Edit::SetAction { action: "a1".into(), fields: ActionFields::default() },
            "action `a1`: there is no such action",
        ),
        (Edit::Retitle { id: "l1".into(), title: "bad\u{0}title".into() }, "line `l1`, title:"),
    ];
    for (edit, expected) in cases {
        let err = apply(&mut m, &edit).unwrap_err();
        assert!(err.starts_with(expected), "{err} (expected {expected})");
        assert_eq!(m, before, "{edit:?} changed nothing");
    }
    let add = Edit::AddAction {
        line: "l1".into(),
        id: String::new(),
        fields: ActionFields { title: "Train".into(), ..Default::default() },
    };
    apply(&mut m, &add).unwrap();
    let dates = ActionFields {
        start: Some("2026".parse().unwrap()),
        target: Some("2025".parse().unwrap()),
        ..Default::default()
    };
    let err = apply(&mut m, &Edit::SetAction { action: "a1".into(), fields: dates }).unwrap_err();
    assert_eq!(err, "action `a1`, target date: it comes before the start");
    let lead = ActionFields { lead: Some("not an id!".into()), ..Default::default() };
    let err = apply(&mut m, &Edit::SetAction { action: "a1".into(), fields: lead }).unwrap_err();
    assert!(err.starts_with("action `a1`, lead or partners:"), "{err}");
}
