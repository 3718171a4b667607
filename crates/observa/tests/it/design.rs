//! Plans in design through the portal: an analyst starts the next plan of a State from its last
//! plan's matrix (statuses reset), sees the Rio checklist (one criterion met, one not), adds
//! resources to an action and the resources criterion is met; a stale version is refused and
//! nothing changes; coordinators and liaison officers are refused; the DOCX reads back with the
//! draft's objectives and the checklist.

use observa_domain::account::Role;
use observa_domain::monitoring::{ActionStatus, ActionUpdate};

use crate::consultation::{account, setup};
use crate::monitoring::{actor, day, paraguay};
use crate::validation::{analyst, post_form};

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

/// Paraguay's last plan with a matrix whose action is in progress, with dates and an update;
/// the plan and the action's lead.
fn seeded(s: &crate::Scratch) -> (String, String) {
    let registry = crate::bundled();
    let mut m = paraguay(&registry);
    m.plan = observa_domain::monitoring::design::last_plan(&registry, "PY").expect("a last plan").id.clone();
    let a = &mut m.objectives[0].lines[0].actions[0];
    (a.start, a.target) = (Some("2015".parse().unwrap()), Some("2016".parse().unwrap()));
    let update =
        ActionUpdate { status: ActionStatus::InProgress, note: "Begun".into(), on: day("2015-02-01"), by: "x".into() };
    a.updates.push(update);
    let lead = a.lead.clone().unwrap();
    let mut store = s.open("c.db");
    let coordinator = actor(Role::Coordinator, &["PY"]);
    observa_workflow::monitoring::save_matrix(store.as_mut(), &registry, &coordinator, &m, 0, day("2015-01-10"))
        .unwrap();
    (m.plan, lead)
}

fn criterion<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page.find(&format!("id=\"criterion-{id}\"")).unwrap_or_else(|| panic!("criterion {id} shown"));
    &page[at..at + page[at..].find("</tr>").unwrap()]
}

#[test]
fn an_analyst_starts_the_next_plan_from_the_last_one_and_the_checklist_follows_the_draft() {
    let (app, s, _) = setup();
    let (plan, lead) = seeded(&s);
    let (cookie, _) = analyst(&app, &s);
    let list = app.get_with("/en/design", &[("Cookie", &cookie)]);
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Paraguay") && list.body.contains(&format!("/en/plans/{plan}")));
    let csrf = list.csrf();
    let started = post_form(
        &app,
        "/en/design",
        &cookie,
        &[field("csrf", &csrf), field("state", "PY"), field("title", "Plan 2026-2030")],
    );
    assert_eq!(started.status, 303, "{}", started.body);
    let draft = started.headers["location"].clone();
    assert!(draft.starts_with("/en/design/"), "{draft}");

    // Carried over, statuses reset; responsible actors met (the lead), resources not.
    let page = app.get_with(&draft, &[("Cookie", &cookie)]).body;
    assert!(page.contains("a1: Train prosecutors") && page.contains("Protect children"), "{page}");
    assert!(page.contains("Not started") && !page.contains("In progress"), "the action's status is reset");
    let responsible = criterion(&page, "responsible-actors");
    assert!(
        responsible.contains("data-met=\"yes\"")
            && responsible.contains(&format!("action a1: lead institution {lead}")),
        "{responsible}"
    );
    let resources = criterion(&page, "adequate-resources");
    assert!(
        resources.contains("data-met=\"no\"") && resources.contains("Nothing in the draft satisfies it yet."),
        "{resources}"
    );
    assert!(criterion(&page, "operational-plans").contains("data-met=\"no\""), "the old dates are not carried over");

    // Resources on the action flip the criterion.
    let set = |version: &str, resources: &str| {
        vec![
            field("csrf", &csrf),
            field("version", version),
            field("op", "set-action"),
            field("action", "a1"),
            field("lead", &lead),
            field("resources", resources),
        ]
    };
    let saved = post_form(&app, &draft, &cookie, &set("1", "USD 120,000 from the national budget"));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get_with(&draft, &[("Cookie", &cookie)]).body;
    let resources = criterion(&page, "adequate-resources");
    assert!(
        resources.contains("data-met=\"yes\"") && resources.contains("action a1: resources USD 120,000"),
        "{resources}"
    );

    // A save based on version 1 again is stale: refused, nothing changes.
    let stale = post_form(
        &app,
        &draft,
        &cookie,
        &[field("csrf", &csrf), field("version", "1"), field("op", "add-objective"), field("title", "Stale objective")],
    );
    assert_eq!(stale.status, 412, "{}", stale.body);
    let again = app.get_with(&draft, &[("Cookie", &cookie)]).body;
    assert!(!again.contains("Stale objective") && again.contains("version 2"), "nothing changed");

    // Adding an objective at the current version works; removing it too.
    let add = post_form(
        &app,
        &draft,
        &cookie,
        &[
            field("csrf", &csrf),
            field("version", "2"),
            field("op", "add-objective"),
            field("title", "Support child victims"),
        ],
    );
    assert_eq!(add.status, 303, "{}", add.body);
    let page = app.get_with(&draft, &[("Cookie", &cookie)]).body;
    assert!(criterion(&page, "victim-support").contains("objective o2: title Support child victims"), "{page}");

    // Others than the secretariat are refused, reading and writing.
    let coordinator = account(&app, &s, "coordinacion@snna.gov.py", &["--role", "coordinator", "--state", "PY"]);
    let liaison = account(&app, &s, "enlace@mides.gub.uy", &["--role", "liaison", "--state", "UY"]);
    for who in [&coordinator, &liaison] {
        assert_eq!(app.get_with("/en/design", &[("Cookie", who)]).status, 403);
        assert_eq!(app.get_with(&draft, &[("Cookie", who)]).status, 403);
        let refused = post_form(
            &app,
            &draft,
            who,
            &[field("csrf", &csrf), field("version", "3"), field("op", "remove"), field("id", "o1")],
        );
        assert_eq!(refused.status, 403);
    }
    assert!(app.get_with(&draft, &[("Cookie", &cookie)]).body.contains("version 3"), "the refusals changed nothing");

    // The DOCX for the national commission.
    let Some(python) = crate::report::python_for_tests() else { return };
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent.get(format!("{}{draft}.docx", app.base)).header("Cookie", &cookie).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.body_mut().read_to_vec().unwrap();
    let file = s.path("draft.docx");
    std::fs::write(&file, bytes).unwrap();
    let script = "import sys, docx\nd = docx.Document(sys.argv[1])\nfor p in d.paragraphs: print(p.text)\n\
                  for t in d.tables:\n  for r in t.rows: print(' | '.join(c.text for c in r.cells))";
    let out = std::process::Command::new(python).args(["-c", script]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", crate::text(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Plan 2026-2030",
        "objective o1: Protect children",
        "objective o2: Support child victims",
        "Adequate resources | Met | action a1: resources USD 120,000",
        "Social protection | Not met | Nothing in the draft satisfies it yet.",
        "Gender strategies | Met | indicator i1: disaggregated by sex",
    ] {
        assert!(text.contains(expected), "{expected} in the DOCX: {text}");
    }
}

#[test]
fn a_last_plan_without_a_matrix_gives_a_draft_from_its_record_and_says_so() {
    let (app, s, _) = setup();
    let (cookie, _) = analyst(&app, &s);
    let registry = crate::bundled();
    let state = registry
        .plans
        .iter()
        .find(|p| p.last_approved && registry.actions.iter().any(|a| a.plan.as_deref() == Some(p.id.as_str())))
        .map(|p| p.state.to_string())
        .expect("a last plan with actions recorded");
    let csrf = app.get_with("/es/design", &[("Cookie", &cookie)]).csrf();
    let started = post_form(
        &app,
        "/es/design",
        &cookie,
        &[field("csrf", &csrf), field("state", &state), field("title", "Próximo plan")],
    );
    assert_eq!(started.status, 303, "{}", started.body);
    let page = app.get_with(&started.headers["location"], &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("role=\"status\"") && page.body.contains("provienen del registro del plan"),
        "{}",
        page.body
    );
}
