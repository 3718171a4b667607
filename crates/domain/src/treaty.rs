//! International instruments, each State's status under them, and OPSC reporting rows.
//!
//! Appendix 3 of the seed prints one cell per State and treaty: a date, a date followed by `a`
//! (accession), `*` (signed only) or `-` (no action). [`parse_ratification_cell`] reads such a
//! cell and reports any normalisation (a mark glued to the date, a two-digit year), so the raw
//! text, the reading and the reason are all kept.

use serde::{Deserialize, Serialize};

use crate::date::PartialDate;
use crate::source::Source;
use crate::state::StateCode;

/// The instrument codes of the public contract, in Appendix 3's column order.
pub const TREATY_CODES: [&str; 10] =
    ["CRC", "OPSC", "ILO-C182", "IACITM", "CEDAW", "OP-CEDAW", "BELEM-DO-PARA", "UNTOC", "PALERMO", "ROME"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Treaty {
    pub code: String,
    pub name_en: String,
    pub name_es: String,
    pub name_pt: String,
    pub name_fr: String,
    pub adopted: PartialDate,
    pub depositary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_into_force: Option<PartialDate>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// A State's status under a treaty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatificationStatus {
    Ratification,
    Accession,
    Succession,
    Signature,
    None,
}

impl RatificationStatus {
    /// Whether the State is bound (a party), as opposed to only signing or doing nothing.
    pub fn is_party(self) -> bool {
        matches!(self, Self::Ratification | Self::Accession | Self::Succession)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratification {
    pub state: StateCode,
    pub treaty: String,
    pub status: RatificationStatus,
    #[serde(default)]
    #[schema(required = true)]
    pub date: Option<PartialDate>,
    /// The cell exactly as printed in the source.
    pub source_text: String,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// What a ratification cell says, and what had to be normalised to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellReading {
    pub status: RatificationStatus,
    pub date: Option<PartialDate>,
    pub notes: Vec<String>,
}

/// Reads one Appendix 3 cell: `-`, `*`, `DD/MM/YYYY`, `DD/MM/YYYY a` (accession), `... d`
/// (succession); a mark glued to the date (`16/07/2013a`) is read and noted.
pub fn parse_ratification_cell(cell: &str) -> Result<CellReading, String> {
    let text = cell.trim();
    let reading = |status, date, notes| Ok(CellReading { status, date, notes });
    match text {
        "-" | "" => return reading(RatificationStatus::None, None, vec![]),
        "*" => return reading(RatificationStatus::Signature, None, vec![]),
        _ => {}
    }
    let (date_text, status, glued) = match text.char_indices().last() {
        Some((i, 'a')) => (&text[..i], RatificationStatus::Accession, !text[..i].ends_with(' ')),
        Some((i, 'd')) => (&text[..i], RatificationStatus::Succession, !text[..i].ends_with(' ')),
        _ => (text, RatificationStatus::Ratification, false),
    };
    let (date, mut notes) = PartialDate::parse_loose(date_text.trim()).map_err(|e| {
        format!("{e}; a ratification cell is `-`, `*`, or a date DD/MM/YYYY optionally followed by `a` or `d`")
    })?;
    if glued {
        notes.insert(0, format!("the mark in `{text}` is glued to the date; read as {status:?}").to_lowercase());
    }
    reading(status, Some(date), notes)
}

/// One row of Appendix 2: a State's report under the OPSC, as the source prints it.
///
/// The `*_text` fields keep the source's cells verbatim; the dates beside them are their
/// readings. Rule-computed values are never stored: see [`crate::rules`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub state: StateCode,
    pub treaty: String,
    /// 1 for the initial report, 2 for the next, and so on.
    pub sequence: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ratification_text: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source_ratification: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_due_text: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub source_due: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distributed_text: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub distributed: Option<PartialDate>,
    /// The Committee session that discussed it, as printed ("11 - 29 January 2010").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_text: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub session_from: Option<PartialDate>,
    #[serde(default)]
    #[schema(required = true)]
    pub session_to: Option<PartialDate>,
    #[serde(default)]
    #[schema(required = true)]
    pub source: Source,
}

/// Reads a session range as printed: `11 - 29 January 2010`, `25 Mayo - 11 June 2010`,
/// `14 January - 1 February 2008`, `18 Mayo – 5 June 2015`.
pub fn parse_session(text: &str) -> Result<(PartialDate, PartialDate, Vec<String>), String> {
    let normalised = text.replace(['–', '—'], "-");
    let (a, b) = normalised.split_once('-').ok_or_else(|| format!("`{text}`: expected `FROM - TO`"))?;
    let (to, mut notes) = PartialDate::parse_loose(b.trim()).map_err(|e| e.to_string())?;
    let a = a.trim();
    // The start often omits what it shares with the end: "11 - 29 January 2010".
    let from_text = match a.split_whitespace().count() {
        1 => format!("{a} {}", b.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")),
        2 => format!("{a} {}", to.year_value()),
        _ => a.to_string(),
    };
    let (from, more) = PartialDate::parse_loose(&from_text).map_err(|e| e.to_string())?;
    notes.extend(more);
    if from > to {
        return Err(format!("`{text}`: the session starts after it ends"));
    }
    Ok((from, to, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratification_cells_read_status_date_and_normalisations() {
        let r = parse_ratification_cell("05/10/1993").unwrap();
        assert_eq!(
            (r.status, r.date.unwrap().to_string(), r.notes.len()),
            (RatificationStatus::Ratification, "1993-10-05".into(), 0)
        );
        let r = parse_ratification_cell("01/08/1989 a").unwrap();
        assert_eq!((r.status, r.notes.len()), (RatificationStatus::Accession, 0));
        let r = parse_ratification_cell("16/07/2013a").unwrap();
        assert_eq!(r.status, RatificationStatus::Accession);
        assert!(r.notes[0].contains("glued"), "{:?}", r.notes);
        let r = parse_ratification_cell("23/10/08").unwrap();
        assert_eq!(r.date.unwrap().to_string(), "2008-10-23");
        assert_eq!(r.notes.len(), 1);
        assert_eq!(parse_ratification_cell("*").unwrap().status, RatificationStatus::Signature);
        assert_eq!(
            parse_ratification_cell("-").unwrap(),
            CellReading { status: RatificationStatus::None, date: None, notes: vec![] }
        );
        assert!(parse_ratification_cell("soon").is_err());
        assert!(parse_ratification_cell("31/02/2004").is_err());
    }

    #[test]
    fn session_ranges_borrow_what_the_start_leaves_out() {
        let (a, b, notes) = parse_session("11 - 29 January 2010").unwrap();
        assert_eq!((a.to_string(), b.to_string(), notes.len()), ("2010-01-11".into(), "2010-01-29".into(), 0));
        let (a, b, _) = parse_session("14 January - 1 February 2008").unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("2008-01-14".into(), "2008-02-01".into()));
        let (a, _, notes) = parse_session("18 Mayo – 5 June 2015").unwrap();
        assert_eq!(a.to_string(), "2015-05-18");
        assert_eq!(notes.len(), 1);
        assert!(parse_session("29 - 11 January 2010").is_err());
        assert!(parse_session("January 2010").is_err());
    }
}
