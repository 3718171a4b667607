//! The entry form of a progress report as posted: the action asked for, the value as people write
//! it, the narrative, the breakdown fields and the secretariat's comment or reopening date.

use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Action {
    pub(super) csrf: String,
    pub(super) action: String,
    #[serde(default)]
    pub(super) version: i64,
    #[serde(default)]
    pub(super) value: String,
    #[serde(default)]
    pub(super) no_data: String,
    #[serde(default)]
    pub(super) narrative: String,
    #[serde(default)]
    pub(super) confirmed: Option<String>,
    #[serde(default)]
    pub(super) comment: String,
    #[serde(default)]
    pub(super) until: String,
    #[serde(default)]
    pub(super) b_sex_female: String,
    #[serde(default)]
    pub(super) b_sex_male: String,
    #[serde(default)]
    pub(super) b_age_0_5: String,
    #[serde(default)]
    pub(super) b_age_6_11: String,
    #[serde(default)]
    pub(super) b_age_12_17: String,
    /// One region a line: `Norte: 3`.
    #[serde(default)]
    pub(super) b_regions: String,
}

impl Action {
    /// The breakdown entered (`sex:female` → 3, `region:Norte` → 1); empty fields are no value.
    /// A field that is not a number is refused naming it; which categories the indicator has is
    /// the workflow's rule.
    pub(super) fn breakdown(&self) -> Result<std::collections::BTreeMap<String, f64>, String> {
        let mut out = std::collections::BTreeMap::new();
        let fixed = [
            ("sex:female", &self.b_sex_female),
            ("sex:male", &self.b_sex_male),
            ("age:0-5", &self.b_age_0_5),
            ("age:6-11", &self.b_age_6_11),
            ("age:12-17", &self.b_age_12_17),
        ];
        for (key, text) in fixed {
            if let Some(v) = number(text).map_err(|shown| format!("{key}: {shown}"))? {
                out.insert(key.to_string(), v);
            }
        }
        for line in self.b_regions.lines().map(str::trim).filter(|l| !l.is_empty()).take(65) {
            let (name, text) = line.rsplit_once(':').ok_or_else(|| line.chars().take(40).collect::<String>())?;
            let v =
                number(text).map_err(|shown| format!("{}: {shown}", name.trim()))?.ok_or_else(|| line.to_string())?;
            out.insert(format!("region:{}", name.trim()), v);
        }
        Ok(out)
    }
}

/// A number as people write it: `12.5`, `12,5`, `1 234`; empty is no value.
pub(super) fn number(text: &str) -> Result<Option<f64>, String> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Ok(None);
    }
    let t = if t.contains(',') && !t.contains('.') { t.replace(',', ".") } else { t.replace(',', "") };
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or_else(|| text.chars().take(40).collect())
}
