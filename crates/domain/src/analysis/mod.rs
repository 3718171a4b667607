//! Analyses over the registry (pure functions): the status table on a date, the comparison of
//! States by Stockholm focal point, and the other tables of the annual report.

pub mod agencies;
pub mod comparison;
pub mod findings;
pub mod indicators;
pub mod rio;
pub mod rio_rules;
pub mod status;
pub mod swot;

use crate::state::StateCode;
use crate::Dataset;

/// The State's English name, the order every analysis lists States in (the report is in English).
fn english_name<'a>(ds: &'a Dataset, code: &'a StateCode) -> &'a str {
    ds.state(code.as_str()).map_or(code.as_str(), |s| s.name_en.as_str())
}

/// An enum's serde name (`technical-advice`, `chair`), so tables show the data files' own words.
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

/// The bundled data set, embedded so that tests read the real data without touching the disk.
/// Every data file is listed: a new one must be added here for the tests to see it.
#[cfg(test)]
pub(crate) fn bundled() -> Dataset {
    macro_rules! data_files {
        ($($name:literal),* $(,)?) => {
            vec![$( ($name.to_string(), include_str!(concat!("../../../../data/", $name)).to_string()) ),*]
        };
    }
    let files: Vec<(String, String)> = data_files![
        "documents.toml",
        "instruments.toml",
        "organisations.toml",
        "region.toml",
        "states.toml",
        "swot.toml",
        "states/AR.toml",
        "states/BR.toml",
        "states/CA.toml",
        "states/CL.toml",
        "states/CR.toml",
        "states/EC.toml",
        "states/JM.toml",
        "states/MX.toml",
        "states/NI.toml",
        "states/PA.toml",
        "states/PE.toml",
        "states/PY.toml",
        "states/SV.toml",
        "states/UY.toml",
        "translations/AR.toml",
        "translations/BR.toml",
        "translations/CA.toml",
        "translations/CL.toml",
        "translations/CR.toml",
        "translations/EC.toml",
        "translations/JM.toml",
        "translations/MX.toml",
        "translations/NI.toml",
        "translations/PA.toml",
        "translations/PE.toml",
        "translations/PY.toml",
        "translations/SV.toml",
        "translations/UY.toml",
        "translations/documents.toml",
        "translations/instruments.toml",
        "translations/organisations.toml",
        "translations/region.toml",
        "translations/swot.toml",
    ];
    let ds = crate::datafile::load_files(&files).expect("the bundled data loads");
    assert_eq!(ds.validate(), vec![], "the bundled data validates");
    ds
}
