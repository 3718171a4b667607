//! Carrying a plan over into a draft, a draft from a registry record, and the Rio checklist of a
//! draft with the bundled registry's organisations.

use super::*;
use crate::monitoring::edit::{apply, ActionFields, Edit};
use crate::monitoring::tests::{day, indicator};
use crate::monitoring::{ActionUpdate, Disaggregation, Frequency};

fn registry() -> Dataset {
    crate::analysis::bundled()
}

/// Paraguay's last plan with a matrix: one line of protection, one action in progress with a
/// lead, dates, an update and an indicator with baseline and target.
fn last(registry: &Dataset) -> Matrix {
    let plan = last_plan(registry, "PY").expect("Paraguay's last plan");
    let lead = registry.organisations.iter().find(|o| o.state.as_ref().is_some_and(|s| s.as_str() == "PY")).unwrap();
    let mut m = Matrix::new(&plan.id);
    apply(&mut m, &Edit::AddObjective { id: "O1".into(), title: "Protect children".into() }).unwrap();
    let line = Edit::AddLine {
        objective: "O1".into(),
        id: "L1".into(),
        title: "Protection".into(),
        focal_points: vec![FocalPoint::Protection],
    };
    apply(&mut m, &line).unwrap();
    let fields = ActionFields {
        title: "Train prosecutors".into(),
        lead: Some(lead.id.clone()),
        start: Some("2015".parse().unwrap()),
        target: Some("2016".parse().unwrap()),
        ..Default::default()
    };
    apply(&mut m, &Edit::AddAction { line: "L1".into(), id: "A1.1".into(), fields }).unwrap();
    let i = indicator("I1", Frequency::Quarterly, "2015-01-01", Some(("2016-12-31", 8.0)));
    apply(&mut m, &Edit::AddIndicator { under: "A1.1".into(), indicator: i }).unwrap();
    let a = m.action_mut("A1.1").unwrap();
    a.status = ActionStatus::InProgress;
    a.updates.push(ActionUpdate {
        status: ActionStatus::InProgress,
        note: "Begun".into(),
        on: day("2015-03-01"),
        by: "x".into(),
    });
    assert!(m.check(registry).is_empty(), "{:?}", m.check(registry));
    m
}

fn check<'a>(list: &'a [Check], id: &str) -> &'a Check {
    list.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn carrying_over_keeps_ids_and_texts_and_resets_statuses_updates_dates_and_values() {
    let registry = registry();
    let old = last(&registry);
    let draft = carry_over(&old, "PY", "Plan 2026-2030", day("2026-01-01"));
    assert_eq!((draft.based_on.as_str(), draft.origin, draft.version), (old.plan.as_str(), Origin::Matrix, 0));
    let a = &draft.body.objectives[0].lines[0].actions[0];
    assert_eq!(
        (a.id.as_str(), a.title.as_str(), a.lead.clone()),
        ("A1.1", "Train prosecutors", old.actions().next().unwrap().1.lead.clone())
    );
    assert_eq!((a.status, a.updates.len(), a.start, a.target), (ActionStatus::NotStarted, 0, None, None));
    let i = &a.indicators[0];
    assert_eq!((i.id.as_str(), i.baseline, i.target, i.starts), ("I1", None, None, day("2026-01-01")));
    assert!(draft.body.check(&registry).is_empty());
}

#[test]
fn the_checklist_names_what_satisfies_each_criterion_or_nothing() {
    let registry = registry();
    let old = last(&registry);
    let lead = old.actions().next().unwrap().1.lead.clone().unwrap();
    let list = checklist(&old, &registry);
    assert_eq!(list.len(), 9);
    assert_eq!(
        check(&list, "responsible-actors").found,
        vec![Found { item: Item::Action, id: "A1.1".into(), field: "lead", value: lead.clone() }]
    );
    assert_eq!(check(&list, "operational-plans").found[0].value, "2015 – 2016");
    assert!(check(&list, "monitoring-evaluation").met);
    for unmet in ["adequate-resources", "victim-support", "gender-strategies", "all-stakeholders", "inter-sectoral"] {
        assert!(!check(&list, unmet).met && check(&list, unmet).found.is_empty(), "{unmet}");
    }

    // The carried-over draft has no dates nor values yet; resources, a recovery line, a partner
    // of civil society and a sex breakdown each satisfy their criterion.
    let mut draft = carry_over(&old, "PY", "Next", day("2026-01-01")).body;
    let list = checklist(&draft, &registry);
    assert!(!check(&list, "operational-plans").met && !check(&list, "monitoring-evaluation").met);
    let ngo = registry.organisations.iter().find(|o| o.sector == Sector::CivilSociety).unwrap().id.clone();
    let set = ActionFields {
        lead: Some(lead.clone()),
        partners: vec![ngo.clone()],
        resources: Some("USD 120,000".into()),
        ..Default::default()
    };
    apply(&mut draft, &Edit::SetAction { action: "A1.1".into(), fields: set }).unwrap();
    let line = Edit::AddLine {
        objective: "O1".into(),
        id: String::new(),
        title: "Atención a víctimas".into(),
        focal_points: vec![FocalPoint::Recovery],
    };
    apply(&mut draft, &line).unwrap();
    draft.action_mut("A1.1").unwrap().indicators[0].disaggregation.push(Disaggregation::Sex);
    let list = checklist(&draft, &registry);
    assert_eq!(check(&list, "adequate-resources").found[0].value, "USD 120,000");
    assert_eq!(
        check(&list, "all-stakeholders").found,
        vec![Found { item: Item::Action, id: "A1.1".into(), field: "partner", value: ngo }]
    );
    assert!(check(&list, "inter-sectoral").met, "a State lead and a civil-society partner");
    let victims: Vec<_> = check(&list, "victim-support").found.iter().map(|f| (f.item, f.field)).collect();
    assert_eq!(victims, [(Item::Line, "focal-points"), (Item::Line, "title")]);
    assert_eq!(check(&list, "gender-strategies").found[0].field, "disaggregation");
    assert!(!check(&list, "social-protection").met);
}

#[test]
fn keywords_match_in_the_four_languages() {
    let registry = registry();
    for title in ["Apoyo a las víctimas", "Apoio às vítimas", "Soutien aux victimes", "Support to survivors"] {
        let mut m = Matrix::new("x");
        apply(&mut m, &Edit::AddObjective { id: String::new(), title: title.into() }).unwrap();
        assert!(check(&checklist(&m, &registry), "victim-support").met, "{title}");
    }
    for title in ["Igualdad de género", "Meninas e meninos", "Les filles", "Protección social de las familias"] {
        let mut m = Matrix::new("x");
        apply(&mut m, &Edit::AddObjective { id: String::new(), title: title.into() }).unwrap();
        let list = checklist(&m, &registry);
        assert!(check(&list, "gender-strategies").met || check(&list, "social-protection").met, "{title}");
    }
}

#[test]
fn a_plan_without_a_matrix_gives_objectives_from_its_record() {
    let registry = registry();
    let plan = registry
        .plans
        .iter()
        .find(|p| p.last_approved && registry.actions.iter().any(|a| a.plan.as_deref() == Some(p.id.as_str())))
        .expect("a last plan with actions recorded");
    let draft = from_record(plan, &registry, "Next", |fp| format!("{fp:?}"));
    assert_eq!((draft.origin, draft.based_on.as_str()), (Origin::Record, plan.id.as_str()));
    let recorded = registry.actions.iter().filter(|a| a.plan.as_deref() == Some(plan.id.as_str())).count();
    assert_eq!(draft.body.actions().count(), recorded);
    assert!(draft.body.objectives.iter().all(|o| o.lines[0].focal_points.len() == 1));
    assert!(draft.body.check(&registry).is_empty(), "{:?}", draft.body.check(&registry));
}
