//! When a plan was adopted and how long it is valid, as honestly as the source says it.
//!
//! Adoption is a partial date or a status ("pending approval by Cabinet"). Validity is a period
//! with optional ends, an optional status ("ongoing", "in force", "still in force by decision of
//! ...") or an initial duration, and always keeps the source's own wording.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::date::PartialDate;

/// A four-way answer used across the model: yes, partly, no, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, utoipa::ToSchema, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema, Deserialize)]
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
        let mut v = Validity { wording: Some(text.to_string()), ..Default::default() };
        if text.is_empty() || text == "-" {
            v.wording = (!text.is_empty()).then(|| text.to_string());
            return Ok(v);
        }
        if lower == "ongoing" {
            v.status = Some(ValidityStatus::Ongoing);
        } else if lower == "in force" {
            v.status = Some(ValidityStatus::InForce);
        } else if let Some(rest) = lower.strip_prefix("to ").or_else(|| lower.strip_prefix("until ")) {
            v.to = Some(PartialDate::parse_iso(rest.trim()).map_err(|e| e.to_string())?);
        } else if let Some(rest) = lower.strip_prefix("initially,").or_else(|| lower.strip_prefix("initially")) {
            let years = rest.trim().trim_end_matches("years").trim_end_matches("year").trim();
            v.duration_years = Some(years.parse().map_err(|_| format!("`{wording}`: expected `initially, N years`"))?);
        } else if let Some((a, b)) = text.split_once('-').filter(|(a, b)| a.len() == 4 && b.len() == 4) {
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
            return Err("an `extended` validity needs the end (`to`) of the period it extends".into());
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
        start.earliest().checked_add_months(chrono::Months::new(12 * years))
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
            Some(ValidityStatus::Ongoing | ValidityStatus::InForce | ValidityStatus::Extended) => return Answer::Yes,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn date(s: &str) -> PartialDate {
        PartialDate::parse_iso(s).unwrap()
    }

    #[test]
    fn the_status_table_wordings_parse() {
        let v = Validity::parse_wording("2012-2014").unwrap();
        assert_eq!((v.from, v.to), (Some(date("2012")), Some(date("2014"))));
        assert_eq!(v.to_string(), "2012-2014");
        let v = Validity::parse_wording("to 2020").unwrap();
        assert_eq!((v.from, v.to), (None, Some(date("2020"))));
        assert_eq!(Validity::parse_wording("Ongoing").unwrap().status, Some(ValidityStatus::Ongoing));
        assert_eq!(Validity::parse_wording("In force").unwrap().status, Some(ValidityStatus::InForce));
        assert_eq!(Validity::parse_wording("Initially, 5 years").unwrap().duration_years, Some(5));
        let none = Validity::parse_wording("-").unwrap();
        assert_eq!((none.from, none.to, none.status), (None, None, None));
    }

    #[test]
    fn unknown_or_inconsistent_wordings_are_refused() {
        assert!(Validity::parse_wording("December 2015").unwrap_err().contains("write a table"));
        assert!(Validity::parse_wording("2014-2012").unwrap_err().contains("before it starts"));
        let extended_without_end = Validity { status: Some(ValidityStatus::Extended), ..Default::default() };
        assert!(extended_without_end.check().is_err());
    }

    #[test]
    fn in_force_follows_the_period_and_its_status() {
        let v = Validity::parse_wording("2012-2014").unwrap();
        assert_eq!(v.in_force_on(day(2013, 6, 1), None), Answer::Yes);
        assert_eq!(v.in_force_on(day(2015, 1, 1), None), Answer::No);
        assert_eq!(v.in_force_on(day(2011, 12, 31), None), Answer::No);
        assert_eq!(v.in_force_on(day(2012, 6, 1), None), Answer::Partial, "within the start year");
        // "2008-2010. Still in force by decision of the plenary"
        let extended = Validity {
            from: Some(date("2008")),
            to: Some(date("2010")),
            status: Some(ValidityStatus::Extended),
            ..Default::default()
        };
        assert_eq!(extended.in_force_on(day(2014, 9, 1), None), Answer::Yes);
        // "Initially, 5 years" from April 2004
        let initial = Validity::parse_wording("initially, 5 years").unwrap();
        assert_eq!(initial.in_force_on(day(2008, 1, 1), Some(date("2004-04"))), Answer::Yes);
        assert_eq!(initial.in_force_on(day(2010, 1, 1), Some(date("2004-04"))), Answer::No);
        assert_eq!(initial.in_force_on(day(2010, 1, 1), None), Answer::Unknown);
        assert_eq!(Validity::default().in_force_on(day(2014, 1, 1), None), Answer::Unknown);
    }

    #[test]
    fn adoption_is_a_date_or_a_status() {
        assert_eq!(Adoption::parse("2008-12").unwrap().date(), Some(date("2008-12")));
        assert_eq!(Adoption::parse("pending-approval").unwrap(), Adoption::PendingApproval);
        assert_eq!(Adoption::parse("to-be-submitted").unwrap().to_string(), "to-be-submitted");
        assert!(Adoption::parse("December 2008").unwrap_err().contains("pending-approval"));
    }
}
