//! The monitoring pages' charts: an indicator's approved values over time and the States'
//! comparison, as SVG drawn by `observa_report::chart` (the same drawings as the report's), with
//! the texts in the reader's language.

use observa_domain::monitoring::dashboard::{IndicatorRow, StateFigures};
use observa_domain::{Dataset, Lang};

/// An indicator's chart.
pub fn indicator(_row: &IndicatorRow, _lang: Lang) -> String {
    String::new()
}

/// The States' share of indicators with approved data from the last year.
pub fn states(_figures: &[StateFigures], _registry: &Dataset, _lang: Lang) -> String {
    String::new()
}
