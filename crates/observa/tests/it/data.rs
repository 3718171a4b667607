//! The bundled data set: every file loads, every reference resolves, the facts are there.

use observa_domain::treaty::RatificationStatus;

use crate::bundled;

#[test]
fn every_data_file_loads_and_validates() {
    let ds = bundled();
    let problems = ds.validate();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn all_35_oas_states_are_there_with_names_in_four_languages() {
    let ds = bundled();
    assert_eq!(ds.states.len(), 35);
    for s in &ds.states {
        for name in [&s.name_en, &s.name_es, &s.name_pt, &s.name_fr] {
            assert!(!name.is_empty(), "{}", s.code);
        }
        assert_eq!(s.numeric.len(), 3, "{}", s.code);
    }
    assert_eq!(ds.state("CU").unwrap().name_es, "Cuba");
}

#[test]
fn appendix_3_gives_ten_instruments_for_each_of_its_34_states() {
    let ds = bundled();
    assert_eq!(ds.treaties.len(), 10);
    assert_eq!(ds.ratifications.len(), 340);
    let find = |state: &str, treaty: &str| {
        ds.ratifications.iter().find(|r| r.state.as_str() == state && r.treaty == treaty).unwrap()
    };
    assert_eq!(find("US", "CRC").status, RatificationStatus::Signature);
    assert_eq!(find("BS", "OPSC").status, RatificationStatus::None);
    let lc = find("LC", "PALERMO");
    assert_eq!((lc.status, lc.date.unwrap().to_string()), (RatificationStatus::Accession, "2013-07-16".into()));
    assert_eq!(lc.source_text, "16/07/2013a");
    assert_eq!(find("HN", "IACITM").date.unwrap().to_string(), "2008-10-23");
    assert!(!ds.ratifications.iter().any(|r| r.state.as_str() == "CU"), "Cuba has no row in Appendix 3");
}

#[test]
fn appendix_2_rows_include_the_united_states_second_report() {
    let ds = bundled();
    let us: Vec<_> = ds.reports.iter().filter(|r| r.state.as_str() == "US").collect();
    assert_eq!(us.len(), 2);
    assert_eq!(us[1].sequence, 2);
    assert_eq!(us[1].distributed.unwrap().to_string(), "2011-11-16");
    assert!(ds.corrections.iter().any(|c| c.subject == "Appendix 2/US/row 2"));
}

#[test]
fn every_correction_says_what_the_source_says_and_why() {
    let ds = bundled();
    assert!(ds.corrections.len() >= 30);
    for c in &ds.corrections {
        assert!(!c.source_says.is_empty() && !c.recorded.is_empty() && !c.why.is_empty(), "{c:?}");
    }
    let grenada = ds.corrections.iter().find(|c| c.subject == "Appendix 3/GD/name").unwrap();
    assert_eq!((grenada.source_says.as_str(), grenada.recorded.as_str()), ("Granada", "Grenada"));
}

/// The fourteen States the methodology lists as having answered.
const RESPONDENTS: [&str; 14] = ["AR", "BR", "CA", "CL", "CR", "EC", "SV", "JM", "MX", "NI", "PA", "PY", "PE", "UY"];

#[test]
fn every_responding_state_has_its_answer_and_one_last_approved_plan() {
    let ds = bundled();
    for code in RESPONDENTS {
        assert!(ds.responses.iter().any(|r| r.state.as_str() == code && r.cycle == 2014), "{code}: response");
        let last: Vec<_> = ds.plans.iter().filter(|p| p.state.as_str() == code && p.last_approved).collect();
        assert_eq!(last.len(), 1, "{code}: one last approved plan");
        let participation = ds.participation.iter().filter(|p| p.state.as_str() == code).count();
        assert!(participation <= 1, "{code}: at most one participation record");
    }
    let not_respondents: Vec<_> = ds.responses.iter().filter(|r| !RESPONDENTS.contains(&r.state.as_str())).collect();
    assert!(not_respondents.is_empty(), "{not_respondents:?}");
    // Brazil is counted by the methodology but missing from Appendix 1, and the data says so.
    let br = ds.responses.iter().find(|r| r.state.as_str() == "BR").unwrap();
    assert!(!br.listed_in_appendix);
    assert!(ds.disagreements.iter().any(|d| d.state.as_ref().is_some_and(|s| s.as_str() == "BR")));
}

#[test]
fn the_status_table_keeps_partial_dates_statuses_and_wordings() {
    use observa_domain::period::{Adoption, ValidityStatus};
    let ds = bundled();
    let plan = |id: &str| ds.plans.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("plan {id}"));
    let br = plan("br-plano-enfrentamento-2013");
    assert_eq!((br.adopted.to_string(), br.validity.to.unwrap().to_string()), ("2013-05".into(), "2020".into()));
    assert_eq!(plan("ca-national-strategy-2004").validity.duration_years, Some(5));
    let pa = plan("pa-plan-escnna-2008");
    assert_eq!(pa.validity.status, Some(ValidityStatus::Extended));
    let jm_pending =
        ds.plans.iter().filter(|p| p.state.as_str() == "JM" && p.adopted == Adoption::PendingApproval).count();
    assert_eq!(jm_pending, 2, "NFAC and the Child Diversion Policy are pending approval by Cabinet");
    assert!(ds.plans.iter().any(|p| p.state.as_str() == "JM" && p.adopted == Adoption::ToBeSubmitted));
    let uy = plan("uy-plan-2011");
    assert_eq!(uy.validity.to.unwrap().to_string(), "2015-12");
    assert!(!uy.links.is_empty(), "the 2011 plan is a redesign of the 2007 plan");
    assert_eq!(ds.plans.iter().filter(|p| p.state.as_str() == "CR").count(), 3);
}

#[test]
fn law_rows_split_across_pages_are_returned_to_their_state() {
    let ds = bundled();
    // El Salvador's rows printed under "Colombia", Peru's under "Uruguay": both corrected.
    let moved = |state: &str, says: &str| {
        ds.corrections
            .iter()
            .any(|c| c.state.as_ref().is_some_and(|s| s.as_str() == state) && c.source_says.contains(says))
    };
    assert!(moved("SV", "Colombia"), "El Salvador's law rows");
    assert!(moved("PE", "Uruguay"), "Peru's law rows");
    assert!(!ds.laws.iter().any(|l| l.state.as_str() == "CO"), "Colombia did not answer");
}

#[test]
fn the_2014_questionnaire_loads_in_four_languages_with_projections() {
    use observa_domain::questionnaire::{AnswerType, Questionnaire};
    let path = crate::data_dir().join("questionnaires/2014.toml");
    let q =
        Questionnaire::parse("2014.toml", &std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((q.cycle, q.parts.len()), (2014, 3));
    let ids: Vec<&str> = q.questions().map(|x| x.id.as_str()).collect();
    for id in ["plans.list", "coordination.body", "protection.laws", "participation.heard", "opinion.strengths"] {
        assert!(ids.contains(&id), "{id}");
    }
    let plans = q.questions().find(|x| x.id == "plans.list").unwrap();
    assert_eq!(plans.kind, AnswerType::Table);
    assert!(plans.columns.iter().any(|c| c.projects_to == ["plans.validity"]));
    assert_eq!(q.questions().filter(|x| x.kind == AnswerType::ListOfThree).count(), 4, "the SWOT");

    // A label missing a language, or a projection to no registry table, is refused.
    let text = std::fs::read_to_string(crate::data_dir().join("questionnaires/2014.toml")).unwrap();
    let broken = text.replacen("projects_to = [\"plans.name\"]", "projects_to = [\"nowhere.name\"]", 1);
    assert!(Questionnaire::parse("broken.toml", &broken).unwrap_err().contains("nowhere.name"));
}
