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
