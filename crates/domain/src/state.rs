//! The member States of the OAS, identified by ISO 3166-1 alpha-2 codes.

use serde::{Deserialize, Serialize};

/// The 35 member States of the Organization of American States.
pub const OAS_MEMBERS: [&str; 35] = [
    "AG", "AR", "BS", "BB", "BZ", "BO", "BR", "CA", "CL", "CO", "CR", "CU", "DM", "DO", "EC", "SV", "US", "GD", "GT",
    "GY", "HT", "HN", "JM", "MX", "NI", "PA", "PY", "PE", "KN", "LC", "VC", "SR", "TT", "UY", "VE",
];

/// An ISO 3166-1 alpha-2 code of an OAS member State (upper case).
///
/// The empty code exists only while a data file is being read (the loader fills it in from the
/// file's `state`); [`crate::Dataset::validate`] refuses it anywhere else.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StateCode(String);

impl StateCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn is_oas_member(&self) -> bool {
        OAS_MEMBERS.contains(&self.0.as_str())
    }
}

impl TryFrom<String> for StateCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let upper = s.trim().to_ascii_uppercase();
        if upper.is_empty() || OAS_MEMBERS.contains(&upper.as_str()) {
            Ok(StateCode(upper))
        } else {
            Err(format!("`{s}` is not the ISO 3166-1 alpha-2 code of an OAS member State"))
        }
    }
}

impl std::str::FromStr for StateCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        StateCode::try_from(s.to_string())
    }
}

impl From<StateCode> for String {
    fn from(c: StateCode) -> String {
        c.0
    }
}

impl std::fmt::Display for StateCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A State with its names in the four working languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub code: StateCode,
    pub name_en: String,
    pub name_es: String,
    pub name_pt: String,
    pub name_fr: String,
    /// ISO 3166-1 numeric code, used to join map data.
    pub numeric: String,
}

impl State {
    pub fn name(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.name_en,
            crate::Lang::Es => &self.name_es,
            crate::Lang::Pt => &self.name_pt,
            crate::Lang::Fr => &self.name_fr,
        }
    }
}
