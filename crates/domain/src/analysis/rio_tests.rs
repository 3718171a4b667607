//! Tests of the Rio de Janeiro assessment on the bundled data.

use super::*;
use crate::analysis::bundled;

fn assess(ds: &Dataset) -> Vec<Assessment> {
    rio_assessment(ds, &BTreeMap::new())
}

fn of<'a>(all: &'a [Assessment], state: &str) -> &'a Assessment {
    all.iter().find(|a| a.state.as_str() == state).unwrap_or_else(|| panic!("no assessment for {state}"))
}

fn get<'a>(all: &'a [Assessment], state: &str, criterion: &str) -> &'a CriterionResult {
    of(all, state).result(criterion).unwrap_or_else(|| panic!("no result {state}/{criterion}"))
}

fn ids(r: &CriterionResult) -> Vec<(&'static str, &str)> {
    r.evidence.iter().map(|e| (e.table, e.id.as_str())).collect()
}

#[test]
fn the_criteria_are_the_commitment_in_order_with_their_keywords_written_out() {
    let ids: Vec<&str> = CRITERIA.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "comprehensive",
            "inter-sectoral",
            "all-stakeholders",
            "gender-strategies",
            "social-protection",
            "operational-plans",
            "adequate-resources",
            "monitoring-evaluation",
            "responsible-actors",
            "victim-support",
        ]
    );
    let rule = |id: &str| CRITERIA.iter().find(|c| c.id == id).unwrap().rule;
    let lists = [
        ("gender-strategies", GENDER),
        ("social-protection", SOCIAL_PROTECTION),
        ("operational-plans", OPERATIONAL),
        ("adequate-resources", RESOURCES),
        ("monitoring-evaluation", MONITORING),
    ];
    for (id, keywords) in lists {
        for kw in keywords {
            let listed = [format!("{kw},"), format!("{kw} (")].iter().any(|w| rule(id).contains(w.as_str()));
            assert!(listed, "{id}: the rule does not list `{kw}`");
        }
    }
}

#[test]
fn the_fourteen_respondents_by_english_name_each_with_its_last_approved_plan() {
    let ds = bundled();
    let all = assess(&ds);
    let names: Vec<&str> = all.iter().map(|a| a.state_name.as_str()).collect();
    assert_eq!(names.len(), 14);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    for a in &all {
        let plan = ds.plans.iter().find(|p| Some(&p.id) == a.plan.as_ref()).expect("a plan");
        assert!(plan.last_approved && plan.state == a.state, "{}", a.state);
        assert_eq!(a.results.iter().map(|r| r.id).collect::<Vec<_>>(), CRITERIA.map(|c| c.id));
    }
    assert_eq!(of(&all, "UY").plan.as_deref(), Some("uy-plan-2011"), "not the 2007 plan it redesigns");
}

#[test]
fn chile_is_inter_sectoral_by_its_board_members() {
    let ds = bundled();
    let all = assess(&ds);
    let r = get(&all, "CL", "inter-sectoral");
    assert_eq!(r.value, Answer::Yes);
    let sectors: std::collections::HashSet<Sector> = r
        .evidence
        .iter()
        .map(|e| {
            assert_eq!(e.table, "members");
            let m = ds.members.iter().find(|m| m.id == e.id).unwrap();
            assert_eq!(m.body, "cl-mesa-intersectorial");
            ds.organisations.iter().find(|o| o.id == m.organisation).unwrap().sector
        })
        .collect();
    assert!(ids(r).contains(&("members", "cl-mesa-intersectorial-m1")), "the Ministry of Justice chairs");
    assert!(sectors.contains(&Sector::State) && sectors.contains(&Sector::CivilSociety), "{sectors:?}");
    assert_eq!(get(&all, "CL", "all-stakeholders").value, Answer::Yes);
    assert_eq!(get(&all, "CL", "responsible-actors").value, Answer::Yes);
}

#[test]
fn without_a_governing_body_the_body_criteria_are_unknown_and_cite_nothing() {
    let all = assess(&bundled());
    for state in ["BR", "NI"] {
        for criterion in ["inter-sectoral", "responsible-actors"] {
            let r = get(&all, state, criterion);
            assert_eq!((r.value, r.evidence.len()), (Answer::Unknown, 0), "{state}/{criterion}");
        }
    }
    // Brazil's answer was not analysed: nothing is recorded about its plan's content.
    let br = of(&all, "BR");
    for r in br.results.iter().filter(|r| r.id != "monitoring-evaluation") {
        assert_eq!((r.value, r.evidence.len()), (Answer::Unknown, 0), "BR/{}", r.id);
    }
    assert_eq!(ids(br.result("monitoring-evaluation").unwrap()), [("evaluations", "br-evaluation-1")]);
    assert_eq!(br.score, Score { points: 0, possible: 0, percent: None });
    // Nicaragua names no body, but its plan's action names organisations: read, none civil society.
    assert_eq!(get(&all, "NI", "all-stakeholders").value, Answer::No);
    // Jamaica's trafficking taskforce is not the body of the plan analysed.
    assert_eq!(get(&all, "JM", "inter-sectoral").value, Answer::Unknown);
}

#[test]
fn every_piece_of_evidence_exists_and_belongs_to_the_state() {
    let ds = bundled();
    let all = assess(&ds);
    let state_of = |e: &Evidence| -> Option<&StateCode> {
        macro_rules! find {
            ($($t:ident),*) => {
                match e.table {
                    $( stringify!($t) => ds.$t.iter().find(|r| r.id == e.id).map(|r| &r.state), )*
                    other => panic!("evidence from unexpected table {other}"),
                }
            };
        }
        find!(plans, bodies, members, actions, contributions, services, participation, protection, evaluations)
    };
    let mut seen = 0;
    for a in &all {
        for e in a.results.iter().flat_map(|r| &r.evidence) {
            assert_eq!(state_of(e), Some(&a.state), "{}: {e:?}", a.state);
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} pieces of evidence");
}

#[test]
fn the_score_counts_two_per_yes_one_per_partial_out_of_what_is_known() {
    let r = |value| result("x", value, vec![]);
    let (yes, partial, no, unknown) = (Answer::Yes, Answer::Partial, Answer::No, Answer::Unknown);
    let score = Score::of(&[r(yes), r(yes), r(partial), r(no), r(unknown), r(unknown)]);
    assert_eq!(score, Score { points: 5, possible: 8, percent: Some(62.5) });
    assert_eq!(Score::of(&[r(unknown), r(unknown)]), Score { points: 0, possible: 0, percent: None });
    assert_eq!(Score::of(&[r(no)]), Score { points: 0, possible: 2, percent: Some(0.0) });
    assert_eq!(Score::of(&[]).percent, None);
}

#[test]
fn unknown_criteria_are_left_out_of_what_is_possible() {
    let all = assess(&bundled());
    for a in &all {
        let known = a.results.iter().filter(|r| r.value != Answer::Unknown).count() as u32;
        let points: u32 = a.results.iter().map(|r| [2, 1, 0, 0][r.value as usize]).sum();
        assert_eq!((a.score.points, a.score.possible), (points, 2 * known), "{}", a.state);
        assert_eq!(a.score, Score::of(&a.results));
    }
    // Peru: five criteria unknown, four yes and one partial: 9 out of 10, not out of 20.
    let pe = of(&all, "PE");
    assert_eq!(pe.results.iter().filter(|r| r.value == Answer::Unknown).count(), 5);
    assert_eq!(pe.score, Score { points: 9, possible: 10, percent: Some(90.0) });
}

#[test]
fn replies_appear_beside_their_state_only() {
    let ds = bundled();
    let replies: BTreeMap<String, String> = [
        ("CL".to_string(), "Chile's reply".to_string()),
        ("GT".to_string(), "Guatemala did not answer the consultation".to_string()),
    ]
    .into();
    let all = rio_assessment(&ds, &replies);
    assert_eq!(of(&all, "CL").reply.as_deref(), Some("Chile's reply"));
    assert!(all.iter().filter(|a| a.state.as_str() != "CL").all(|a| a.reply.is_none()));
    assert!(all.iter().all(|a| a.state.as_str() != "GT"), "a reply does not add a State");
}

#[test]
fn the_text_rules_give_partial_at_most() {
    let ds = bundled();
    let all = assess(&ds);
    for a in &all {
        for id in ["gender-strategies", "social-protection", "adequate-resources"] {
            let r = a.result(id).unwrap();
            assert!(matches!(r.value, Answer::Partial | Answer::Unknown), "{}/{id}: {:?}", a.state, r.value);
            assert_eq!(r.value == Answer::Partial, !r.evidence.is_empty(), "{}/{id}", a.state);
        }
        // Operational plans: yes only from an adopted plan recorded as making this one operational.
        let r = a.result("operational-plans").unwrap();
        assert_ne!(r.value, Answer::No, "{}", a.state);
        if r.value == Answer::Yes {
            for (table, id) in ids(r) {
                let p = ds.plans.iter().find(|p| table == "plans" && p.id == id).unwrap();
                let link = p.links.iter().find(|l| l.kind == PlanLinkKind::MakesOperational).unwrap();
                assert_eq!(Some(&link.plan), a.plan.as_ref());
                assert!(p.adopted.date().is_some(), "{id}");
            }
        }
    }
    // El Salvador's action plan makes its policy operational but was not yet adopted.
    assert_eq!(ids(get(&all, "SV", "operational-plans")), [("plans", "sv-pna-2014-2016")]);
    assert_eq!(get(&all, "SV", "operational-plans").value, Answer::Partial);
    // Chile's Action Matrix is a mention, not a recorded operational plan.
    let cl = get(&all, "CL", "operational-plans");
    assert_eq!(cl.value, Answer::Partial);
    assert!(ids(cl).contains(&("members", "cl-mesa-intersectorial-m3")));
    // Argentina's "operational network" is no operational plan.
    assert_eq!(get(&all, "AR", "operational-plans").value, Answer::Unknown);
    // Ecuador: gender in the plan's own name and in two members' functions.
    let ec = ids(get(&all, "EC", "gender-strategies"));
    assert!(
        ec.contains(&("plans", "ec-plan-trata-2006"))
            && ec.contains(&("members", "ec-interinstitutional-commission-m12"))
    );
    // Costa Rica's plan summary names the Ministry of Labour and Social Security: not a mention.
    assert_eq!(ids(get(&all, "CR", "social-protection")), [("members", "cr-conacoes-m18")]);
    // Funding contributions count for resources.
    assert_eq!(ids(get(&all, "PA", "adequate-resources")), [("contributions", "pa-contribution-1")]);
}

#[test]
fn keywords_match_whole_words_case_insensitively() {
    assert!(mentions("Process indicators for each output of the ACTION MATRIX", OPERATIONAL));
    assert!(!mentions("One of SENAME's cooperative agencies", OPERATIONAL));
    assert!(!mentions("Operational network that applies the Protocol", OPERATIONAL));
    assert!(mentions("un plan operativo anual", OPERATIONAL));
    assert!(mentions("Gives financial support.", RESOURCES));
    assert!(!mentions("A fundamental right; Fundación Tierra de Esperanza", RESOURCES));
    assert!(mentions("Enfoque de GÉNERO", GENDER));
    assert!(mentions("women's and gender units", GENDER));
    assert!(!mentions("Ministry of Labour and Social Security", SOCIAL_PROTECTION));
    assert!(mentions("the Avancemos conditional cash transfer", SOCIAL_PROTECTION));
    assert!(mentions("Monitors, through indicators", MONITORING));
}

#[test]
fn the_other_rules_on_real_facts() {
    let all = assess(&bundled());
    let value = |state, criterion| get(&all, state, criterion).value;
    // Chile's evaluation is in progress; Jamaica's plan comes with a monitoring framework (text).
    assert_eq!(ids(get(&all, "CL", "monitoring-evaluation")), [("evaluations", "cl-evaluation-1")]);
    assert_eq!(value("CL", "monitoring-evaluation"), Answer::Yes);
    assert_eq!(value("JM", "monitoring-evaluation"), Answer::Partial);
    assert_eq!(value("PE", "monitoring-evaluation"), Answer::Unknown, "status unknown, no mention");
    // Comprehensive reads the plan's own records, not the State's laws and services.
    assert_eq!(value("CL", "comprehensive"), Answer::Yes);
    assert_eq!(value("JM", "comprehensive"), Answer::Partial, "prevention and participation only");
    assert_eq!(value("AR", "comprehensive"), Answer::No, "coordination only");
    // Canada's strategy has actions but no recovery action and Canada lists no service.
    assert_eq!(value("CA", "victim-support"), Answer::No);
    assert_eq!(ids(get(&all, "NI", "victim-support"))[2], ("actions", "ni-action-1"));
    assert_eq!(value("MX", "all-stakeholders"), Answer::No);
    assert_eq!(value("PY", "responsible-actors"), Answer::Yes);
}
