//! Partial dates: the source often knows only a year ("2013") or a month ("December 2008").
//!
//! A [`PartialDate`] keeps exactly the precision the source gives and never invents a day.
//! Its canonical form is ISO 8601 with reduced precision (`2013`, `2008-12`, `2012-05-03`).
//! [`PartialDate::parse_loose`] reads the forms found in the seed report (`30/04/2002`,
//! `17 Mayo 2004`, `06 de February 2012`, `23/10/08`) and says what it had to normalise, so the
//! curation report can show it.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date the source states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A calendar date known to year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// Why a text could not be read as a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: {reason}")]
pub struct DateError {
    pub text: String,
    pub reason: String,
}

fn date_error(text: &str, reason: impl Into<String>) -> DateError {
    DateError { text: text.to_string(), reason: reason.into() }
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }

    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) {
            return Err(date_error(&format!("{year}-{month}"), "month must be 1 to 12"));
        }
        Ok(PartialDate { year, month: Some(month), day: None })
    }

    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Self::from)
            .ok_or_else(|| date_error(&format!("{year}-{month:02}-{day:02}"), "no such day in the calendar"))
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn year_value(&self) -> i32 {
        self.year
    }

    /// The full date, when the source gives the day.
    pub fn to_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }

    /// The first day this partial date may stand for.
    pub fn earliest(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("partial dates are validated on construction")
    }

    /// The last day this partial date may stand for.
    pub fn latest(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d).expect("validated"),
            (Some(m), None) => {
                let first = NaiveDate::from_ymd_opt(self.year, m, 1).expect("validated");
                first + Months::new(1) - chrono::Days::new(1)
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid"),
        }
    }

    /// Reads the canonical ISO form: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize, what: &str| -> Result<u32, DateError> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(date_error(
                    text,
                    format!("expected a {len}-digit {what} (ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD)"),
                ));
            }
            Ok(s.parse().expect("digits"))
        };
        match parts.as_slice() {
            [y] => Ok(Self::year(number(y, 4, "year")? as i32)),
            [y, m] => Self::month(number(y, 4, "year")? as i32, number(m, 2, "month")?),
            [y, m, d] => Self::day(number(y, 4, "year")? as i32, number(m, 2, "month")?, number(d, 2, "day")?),
            _ => Err(date_error(text, "expected ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD")),
        }
    }

    /// Reads the forms the seed report uses and reports each normalisation it made.
    ///
    /// Accepted: ISO (`2012-05`), `DD/MM/YYYY`, `DD/MM/YY` (two-digit years are read as 19xx
    /// from 50 up, 20xx below), `[DD] [de] Month [de] YYYY` with English, Spanish, Portuguese or
    /// French month names, and `Month YYYY`.
    pub fn parse_loose(text: &str) -> Result<(Self, Vec<String>), DateError> {
        let trimmed = text.trim();
        if let Ok(date) = Self::parse_iso(trimmed) {
            return Ok((date, Vec::new()));
        }
        if trimmed.contains('/') {
            return parse_slashed(trimmed);
        }
        parse_words(trimmed)
    }
}

fn parse_slashed(text: &str) -> Result<(PartialDate, Vec<String>), DateError> {
    let parts: Vec<&str> = text.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(date_error(text, "expected DD/MM/YYYY"));
    };
    let num = |s: &str| s.trim().parse::<u32>().map_err(|_| date_error(text, "expected DD/MM/YYYY with digits"));
    let (day, month, mut year) = (num(d)?, num(m)?, num(y)? as i32);
    let mut notes = Vec::new();
    if y.trim().len() == 2 {
        year += if year >= 50 { 1900 } else { 2000 };
        notes.push(format!("two-digit year in `{text}` read as {year}"));
    } else if y.trim().len() != 4 {
        return Err(date_error(text, "expected a 2- or 4-digit year"));
    }
    let date = PartialDate::day(year, month, day).map_err(|e| date_error(text, e.reason))?;
    Ok((date, notes))
}

fn parse_words(text: &str) -> Result<(PartialDate, Vec<String>), DateError> {
    let mut notes = Vec::new();
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .filter(|w| {
            let filler = matches!(w.as_str(), "de" | "del" | "of" | "le");
            if filler {
                notes.push(format!("dropped the word `{w}` in `{text}`"));
            }
            !filler
        })
        .collect();
    let (day, month_word, year_word) = match words.as_slice() {
        [m, y] => (None, m, y),
        [d, m, y] => (Some(d), m, y),
        _ => return Err(date_error(text, "expected `DD Month YYYY`, `Month YYYY` or ISO 8601")),
    };
    let (month, language) =
        month_number(month_word).ok_or_else(|| date_error(text, format!("`{month_word}` is not a month name")))?;
    if language != "en" {
        notes.push(format!("month `{month_word}` in `{text}` is {language}, read as month {month}"));
    }
    let year: i32 = year_word
        .parse()
        .ok()
        .filter(|_| year_word.len() == 4)
        .ok_or_else(|| date_error(text, format!("`{year_word}` is not a 4-digit year")))?;
    let date = match day {
        Some(d) => {
            let d: u32 = d.parse().map_err(|_| date_error(text, format!("`{d}` is not a day of the month")))?;
            PartialDate::day(year, month, d).map_err(|e| date_error(text, e.reason))?
        }
        None => PartialDate::month(year, month)?,
    };
    Ok((date, notes))
}

/// Month names in the four working languages; returns the month and the language code.
fn month_number(word: &str) -> Option<(u32, &'static str)> {
    const NAMES: [(&str, [&str; 12]); 4] = [
        (
            "en",
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
        ),
        (
            "es",
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ],
        ),
        (
            "pt",
            [
                "janeiro",
                "fevereiro",
                "março",
                "abril",
                "maio",
                "junho",
                "julho",
                "agosto",
                "setembro",
                "outubro",
                "novembro",
                "dezembro",
            ],
        ),
        (
            "fr",
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
        ),
    ];
    NAMES.iter().find_map(|(lang, months)| months.iter().position(|m| *m == word).map(|i| (i as u32 + 1, *lang)))
}

impl From<NaiveDate> for PartialDate {
    fn from(d: NaiveDate) -> Self {
        PartialDate { year: d.year(), month: Some(d.month()), day: Some(d.day()) }
    }
}

/// Earlier dates first; at the same start, the less precise (wider) date first,
/// so "2012" sorts before "2012-01" and "2012-01-01".
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.earliest().cmp(&other.earliest()).then(self.precision().cmp(&other.precision()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for PartialDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_iso(s)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse_iso(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> PartialDate {
        PartialDate::parse_iso(s).unwrap()
    }

    #[test]
    fn iso_forms_keep_their_precision_and_display_back() {
        for text in ["2013", "2008-12", "2012-05-03"] {
            assert_eq!(iso(text).to_string(), text);
        }
        assert_eq!(iso("2013").precision(), Precision::Year);
        assert_eq!(iso("2008-12").precision(), Precision::Month);
        assert_eq!(iso("2012-05-03").precision(), Precision::Day);
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused_with_a_reason() {
        for bad in ["2013-13", "2013-02-30", "13", "2013-5", "20131", "2013-05-03-01", "May 2013", ""] {
            let err = PartialDate::parse_iso(bad).unwrap_err();
            assert_eq!(err.text, bad);
            assert!(!err.reason.is_empty());
        }
    }

    #[test]
    fn a_partial_date_spans_its_whole_period() {
        assert_eq!(iso("2012").earliest(), NaiveDate::from_ymd_opt(2012, 1, 1).unwrap());
        assert_eq!(iso("2012").latest(), NaiveDate::from_ymd_opt(2012, 12, 31).unwrap());
        assert_eq!(iso("2012-02").latest(), NaiveDate::from_ymd_opt(2012, 2, 29).unwrap());
        assert_eq!(iso("2012-02").to_date(), None);
        assert_eq!(iso("2012-02-03").to_date(), NaiveDate::from_ymd_opt(2012, 2, 3));
    }

    #[test]
    fn ordering_puts_earlier_first_and_wider_before_narrower() {
        let mut dates = [iso("2012-05-03"), iso("2011"), iso("2012-01"), iso("2012"), iso("2012-01-01")];
        dates.sort();
        let shown: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2011", "2012", "2012-01", "2012-01-01", "2012-05-03"]);
    }

    #[test]
    fn loose_reading_handles_the_seed_forms_and_says_what_it_normalised() {
        let cases = [
            ("30/04/2002", "2002-04-30", 0),
            ("23/10/08", "2008-10-23", 1),
            ("17 Mayo 2004", "2004-05-17", 1),
            ("3 Julio 2005", "2005-07-03", 1),
            ("06 de February 2012", "2012-02-06", 1),
            ("08 de Mayo 2002", "2002-05-08", 2),
            ("31 October de 2013", "2013-10-31", 1),
            ("December 2008", "2008-12", 0),
            ("2 novembre 2004", "2004-11-02", 1),
            ("2013", "2013", 0),
        ];
        for (text, expected, notes) in cases {
            let (date, why) = PartialDate::parse_loose(text).unwrap();
            assert_eq!(date.to_string(), expected, "{text}");
            assert_eq!(why.len(), notes, "{text}: {why:?}");
        }
        assert!(PartialDate::parse_loose("Pending approval by Cabinet").is_err());
        assert!(PartialDate::parse_loose("31/02/2004").is_err());
    }

    #[test]
    fn serde_uses_the_iso_form() {
        let json = serde_json::to_string(&iso("2008-12")).unwrap();
        assert_eq!(json, "\"2008-12\"");
        let back: PartialDate = serde_json::from_str(&json).unwrap();
        assert_eq!(back, iso("2008-12"));
        assert!(serde_json::from_str::<PartialDate>("\"December 2008\"").is_err());
    }
}
