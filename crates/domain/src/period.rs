//! When a plan was adopted and how long it is valid, as honestly as the source says it.
//!
//! Adoption is a partial date or a status ("pending approval by Cabinet"). Validity is a period
//! with optional ends, an optional status ("ongoing", "in force", "still in force by decision of
//! ...") or an initial duration, and always keeps the source's own wording.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::PartialDate;

/// A four-way answer used across the model: yes, partly, no, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    Yes,
    Partial,
    No,
    #[default]
    Unknown,
}

/// The adoption of a plan: a (partial) date, or where it stands when not yet adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adoption {
    On(PartialDate),
    PendingApproval,
    ToBeSubmitted,
    Unknown,
}

impl Adoption {
    pub fn date(&self) -> Option<PartialDate> {
        match self {
            Adoption::On(d) => Some(*d),
            _ => None,
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "pending-approval" => Ok(Adoption::PendingApproval),
            "to-be-submitted" => Ok(Adoption::ToBeSubmitted),
            "unknown" | "" => Ok(Adoption::Unknown),
            other => PartialDate::parse_iso(other).map(Adoption::On).map_err(|e| {
                format!("{e}; an adoption is an ISO date or one of `pending-approval`, `to-be-submitted`, `unknown`")
            }),
        }
    }
}

impl std::fmt::Display for Adoption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Adoption::On(d) => write!(f, "{d}"),
            Adoption::PendingApproval => f.write_str("pending-approval"),
            Adoption::ToBeSubmitted => f.write_str("to-be-submitted"),
            Adoption::Unknown => f.write_str("unknown"),
        }
    }
}

impl Serialize for Adoption {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Adoption {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Adoption::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A validity status that the source states instead of (or beside) an end date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidityStatus {
    /// "Ongoing": no end foreseen.
    Ongoing,
    /// "In force", without dates.
    InForce,
    /// The stated period has ended but the plan was kept in force by a decision.
    Extended,
}

/// A plan's period of validity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ValidityStatus>,
    /// "Initially, 5 years": a duration counted from adoption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_years: Option<u32>,
    /// The source's own words, kept verbatim (they are facts, not prose).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
}

impl Validity {
    /// Reads the short wordings of the seed's status table: `2012-2014`, `to 2020`, `ongoing`,
    /// `in force`, `initially, 5 years`, `-` (nothing stated). Anything else must be written as a
    /// table with explicit fields.
    pub fn parse_wording(wording: &str) -> Result<Self, String> {
        let text = wording.trim();
        let lower = text.to_lowercase();
        let mut v = Validity {
            wording: Some(text.to_string()),
            ..Default::default()
        };
        if text.is_empty() || text == "-" {
            v.wording = (!text.is_empty()).then(|| text.to_string());
            return Ok(v);
        }
        if lower == "ongoing" {
            v.status = Some(ValidityStatus::Ongoing);
        } else if lower == "in force" {
            v.status = Some(ValidityStatus::InForce);
        } else if let Some(rest) = lower
            .strip_prefix("to ")
            .or_else(|| lower.strip_prefix("until "))
        {
            v.to = Some(PartialDate::parse_iso(rest.trim()).map_err(|e| e.to_string())?);
        } else if let Some(rest) = lower
            .strip_prefix("initially,")
            .or_else(|| lower.strip_prefix("initially"))
        {
            let years = rest
                .trim()
                .trim_end_matches("years")
                .trim_end_matches("year")
                .trim();
            v.duration_years = Some(
                years
                    .parse()
                    .map_err(|_| format!("`{wording}`: expected `initially, N years`"))?,
            );
        } else if let Some((a, b)) = text
            .split_once('-')
            .filter(|(a, b)| a.len() == 4 && b.len() == 4)
        {
            v.from = Some(PartialDate::parse_iso(a).map_err(|e| e.to_string())?);
            v.to = Some(PartialDate::parse_iso(b).map_err(|e| e.to_string())?);
        } else {
            return Err(format!(
                "`{wording}` is not a validity wording this reader knows (YYYY-YYYY, `to YYYY`, `ongoing`, \
                 `in force`, `initially, N years`, `-`); write a table with from, to, status, duration_years, wording"
            ));
        }
        v.check()?;
        Ok(v)
    }

    /// Consistency of the fields among themselves.
    pub fn check(&self) -> Result<(), String> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to.latest() < from.earliest() {
                return Err(format!("validity ends ({to}) before it starts ({from})"));
            }
        }
        if self.status == Some(ValidityStatus::Extended) && self.to.is_none() {
            return Err(
                "an `extended` validity needs the end (`to`) of the period it extends".into(),
            );
        }
        Ok(())
    }

    /// The end as stated, or derived from an initial duration counted from adoption.
    pub fn effective_end(&self, adopted: Option<PartialDate>) -> Option<NaiveDate> {
        if let Some(to) = self.to {
            return Some(to.latest());
        }
        let years = self.duration_years?;
        let start = self.from.or(adopted)?;
        start
            .earliest()
            .checked_add_months(chrono::Months::new(12 * years))
    }

    /// Whether a plan with this validity is in force on `date`, as far as the source tells.
    pub fn in_force_on(&self, date: NaiveDate, adopted: Option<PartialDate>) -> Answer {
        let start = self.from.or(adopted);
        if let Some(start) = start {
            if date < start.earliest() {
                return Answer::No;
            }
        }
        match self.status {
            Some(ValidityStatus::Ongoing | ValidityStatus::InForce | ValidityStatus::Extended) => {
                return Answer::Yes
            }
            None => {}
        }
        match (start, self.effective_end(adopted)) {
            (_, Some(end)) if date > end => Answer::No,
            (Some(s), Some(_)) if date >= s.latest() => Answer::Yes,
            (Some(_), Some(_)) => Answer::Partial,
            (None, Some(_)) => Answer::Unknown,
            (_, None) => Answer::Unknown,
        }
    }
}

impl std::fmt::Display for Validity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(w) = &self.wording {
            return f.write_str(w);
        }
        match (self.from, self.to) {
            (Some(a), Some(b)) => write!(f, "{a}/{b}"),
            (Some(a), None) => write!(f, "{a}/.."),
            (None, Some(b)) => write!(f, "../{b}"),
            (None, None) => f.write_str("-"),
        }
    }
}

/// Data files may write a validity as its wording (parsed) or as a table.
pub fn deserialize_validity<'de, D: Deserializer<'de>>(d: D) -> Result<Validity, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Wording(String),
        Table(Validity),
    }
    match Form::deserialize(d)? {
        Form::Wording(w) => Validity::parse_wording(&w).map_err(serde::de::Error::custom),
        Form::Table(v) => {
            v.check().map_err(serde::de::Error::custom)?;
            Ok(v)
        }
    }
}
