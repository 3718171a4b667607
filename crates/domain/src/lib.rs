//! Observa's domain: the model of what States report about their national plans against the
//! sexual exploitation of children, the treaty rules, the data-file reader and the cross-source
//! checks. Pure code: no file, network or database access happens here.

pub mod account;
pub mod analysis;
pub mod audit;
pub mod checks;
pub mod consultation;
pub mod datafile;
pub mod dataset;
pub mod date;
pub mod editorial;
pub mod export;
pub mod facts;
pub mod history;
pub mod monitoring;
pub mod notes;
pub mod part;
pub mod period;
pub mod projection;
pub mod questionnaire;
pub mod registry;
pub mod rules;
pub mod schema;
pub mod source;
pub mod state;
pub mod text;
pub mod throttle;
pub mod translation;
pub mod treaty;

pub use dataset::{Dataset, Problem};
pub use date::PartialDate;
pub use state::{State, StateCode};

use serde::{Deserialize, Serialize};

/// The four working languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Es,
    Pt,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Es, Lang::Pt, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Fr => "fr",
        }
    }
}
