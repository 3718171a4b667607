//! Reading the curated data files (TOML) into a [`Dataset`].
//!
//! Every file has the same shape: optional arrays named like the dataset's tables, plus, for a
//! State's file, its `state` code (which then fills every record's `state`), and for the
//! instruments file the Appendix 3 and Appendix 2 rows exactly as printed. Those rows are read
//! here by the rules of [`crate::treaty`]; every normalisation becomes a [`Correction`], so the
//! curation report shows the raw cell, the reading and the reason.
//!
//! Errors name the file, the line and column (from the TOML parser) or the row and field.

use serde::Deserialize;

use crate::dataset::{with_tables, Dataset};
use crate::date::PartialDate;
use crate::facts::*;
use crate::registry::*;
use crate::source::{Correction, Disagreement, Document, Source};
use crate::state::{State, StateCode};
use crate::translation::Translation;
use crate::treaty::{parse_ratification_cell, parse_session, Ratification, Report, Treaty, TREATY_CODES};

/// The folders of a data folder that hold registry data files, the top one first: the region's
/// and the treaties' files, one file per State, and their translations (`questionnaires/` and
/// `editorial/` are read on their own).
pub const FOLDERS: [&str; 3] = ["", "states", "translations"];

/// A data file that could not be read: which file, where, what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct FileError {
    pub file: String,
    pub message: String,
}

macro_rules! define_data_file {
    ($($table:ident: $record:ty),* $(,)?) => {
        /// The shape of every data file: the dataset's tables plus file-level keys. Spelled out
        /// (not `#[serde(flatten)]`) so that errors keep the TOML line and column.
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct DataFile {
            /// The State a per-State file is about.
            state: Option<StateCode>,
            appendix3: Option<Appendix3>,
            #[serde(default)]
            appendix2: Vec<Appendix2Row>,
            $( #[serde(default)] $table: Vec<$record>, )*
        }

        impl DataFile {
            fn tables(&mut self) -> Dataset {
                Dataset { $( $table: std::mem::take(&mut self.$table), )* }
            }
        }
    };
}
with_tables!(define_data_file);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Appendix3 {
    /// Treaty codes in the printed column order.
    columns: Vec<String>,
    rows: Vec<Appendix3Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Appendix3Row {
    /// The row number as printed (`30..` included).
    row: String,
    printed_name: String,
    state: StateCode,
    cells: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Appendix2Row {
    printed_name: String,
    state: StateCode,
    #[serde(default = "one")]
    sequence: u32,
    ratified: Option<String>,
    due: Option<String>,
    distributed: Option<String>,
    session: Option<String>,
}

fn one() -> u32 {
    1
}

/// Reads all data files, given as (name, text) pairs, into one normalised dataset.
/// The `states` must be among them: printed State names are checked against them.
pub fn load_files(files: &[(String, String)]) -> Result<Dataset, FileError> {
    let mut parsed = Vec::new();
    for (name, text) in files {
        let file: DataFile =
            toml::from_str(text).map_err(|e| FileError { file: name.clone(), message: one_line(&e.to_string()) })?;
        parsed.push((name.clone(), file));
    }
    let mut dataset = Dataset::default();
    let mut appendices = Vec::new();
    for (name, mut file) in parsed {
        let mut tables = file.tables();
        if let Some(state) = &file.state {
            claim_state(&mut tables, state).map_err(|message| FileError { file: name.clone(), message })?;
        }
        dataset.extend(tables);
        appendices.push((name, file.appendix3, file.appendix2));
    }
    for (name, appendix3, appendix2) in appendices {
        let err = |message: String| FileError { file: name.clone(), message };
        if let Some(a3) = appendix3 {
            read_appendix3(&mut dataset, a3).map_err(err)?;
        }
        read_appendix2(&mut dataset, appendix2).map_err(|m| FileError { file: name.clone(), message: m })?;
    }
    dataset.normalise();
    crate::notes::translate_generated(&mut dataset);
    Ok(dataset)
}

/// The TOML parser's message spans several lines with a caret; keep it readable on one line
/// per part, but keep the line and column it names.
fn one_line(message: &str) -> String {
    message.lines().map(str::trim).filter(|l| !l.is_empty() && *l != "|").collect::<Vec<_>>().join(" ")
}

/// Gives every record of a State's file that State's code, refusing records that name another.
fn claim_state(tables: &mut Dataset, state: &StateCode) -> Result<(), String> {
    let fill = |table: &str, id: &str, field: &mut StateCode| -> Result<(), String> {
        if field.is_empty() {
            *field = state.clone();
            Ok(())
        } else if field != state {
            Err(format!("{table}.{id}: state `{field}` in the file of `{state}`"))
        } else {
            Ok(())
        }
    };
    for r in &mut tables.plans {
        fill("plans", &r.id, &mut r.state)?;
    }
    for r in &mut tables.bodies {
        fill("bodies", &r.id, &mut r.state)?;
        for m in &mut r.members {
            fill("members", &m.organisation, &mut m.state)?;
        }
    }
    macro_rules! fill_all {
        ($($t:ident),*) => { $( for r in &mut tables.$t { fill(stringify!($t), &r.id, &mut r.state)?; } )* };
    }
    fill_all!(
        local_expressions,
        agreements,
        contributions,
        actions,
        laws,
        services,
        participation,
        protection,
        evaluations,
        responses
    );
    for o in &mut tables.organisations {
        o.state.get_or_insert_with(|| state.clone());
    }
    for c in &mut tables.corrections {
        c.state.get_or_insert_with(|| state.clone());
    }
    for d in &mut tables.disagreements {
        d.state.get_or_insert_with(|| state.clone());
    }
    Ok(())
}

fn correction(
    state: &StateCode,
    subject: String,
    says: &str,
    recorded: String,
    why: String,
    table: &str,
) -> Correction {
    Correction {
        id: String::new(),
        state: Some(state.clone()),
        subject,
        source_says: says.to_string(),
        recorded,
        why,
        source: Source { section: Some(table.to_string()), ..Default::default() },
    }
}

/// Notes a printed State name that is not the State's English name (the report is in English).
fn check_printed_name(ds: &Dataset, state: &StateCode, printed: &str, table: &str) -> Option<Correction> {
    let s = ds.state(state.as_str())?;
    if printed == s.name_en {
        return None;
    }
    let why = if [&s.name_es, &s.name_pt, &s.name_fr].iter().any(|n| n.as_str() == printed) {
        format!("printed under its name in another language; the English name is `{}`", s.name_en)
    } else {
        format!("printed name is misspelt or half-translated; identified as {} ({})", s.name_en, s.code)
    };
    Some(correction(state, format!("{table}/{state}/name"), printed, s.name_en.clone(), why, table))
}

fn read_appendix3(ds: &mut Dataset, a3: Appendix3) -> Result<(), String> {
    for code in &a3.columns {
        if !TREATY_CODES.contains(&code.as_str()) {
            return Err(format!("appendix3.columns: `{code}` is not a treaty code; expected one of {TREATY_CODES:?}"));
        }
    }
    for row in a3.rows {
        let place = format!("appendix3 row `{}` ({})", row.row, row.printed_name);
        if row.cells.len() != a3.columns.len() {
            return Err(format!("{place}: {} cells, expected {} (one per column)", row.cells.len(), a3.columns.len()));
        }
        let mut notes: Vec<Correction> =
            check_printed_name(ds, &row.state, &row.printed_name, "Appendix 3").into_iter().collect();
        if row.row.ends_with("..") {
            let recorded = row.row.trim_end_matches('.').to_string() + ".";
            notes.push(correction(
                &row.state,
                format!("Appendix 3/{}/row", row.state),
                &row.row,
                recorded,
                "doubled full stop after the row number".into(),
                "Appendix 3",
            ));
        }
        for (treaty, cell) in a3.columns.iter().zip(&row.cells) {
            let reading = parse_ratification_cell(cell).map_err(|e| format!("{place}, column {treaty}: {e}"))?;
            if !reading.notes.is_empty() {
                let date = reading.date.map(|d| d.to_string()).unwrap_or_default();
                let recorded = format!("{:?} {date}", reading.status).to_lowercase();
                let subject = format!("Appendix 3/{}/{treaty}", row.state);
                notes.push(correction(&row.state, subject, cell, recorded, reading.notes.join("; "), "Appendix 3"));
            }
            ds.ratifications.push(Ratification {
                state: row.state.clone(),
                treaty: treaty.clone(),
                status: reading.status,
                date: reading.date,
                source_text: cell.clone(),
                source: Source {
                    section: Some("Appendix 3".into()),
                    table: Some(format!("row {}", row.row)),
                    ..Default::default()
                },
            });
        }
        ds.corrections.extend(notes);
    }
    Ok(())
}

/// Reads one Appendix 2 date cell: empty or dashes mean "not given"; a trailing ` a` is the
/// accession mark, which this table does not otherwise use.
fn read_a2_date(
    state: &StateCode,
    field: &str,
    cell: &Option<String>,
    notes: &mut Vec<Correction>,
) -> Result<Option<PartialDate>, String> {
    let Some(text) = cell.as_deref().map(str::trim).filter(|t| !t.is_empty() && !t.chars().all(|c| c == '-')) else {
        return Ok(None);
    };
    let (date_text, mark) = match text.strip_suffix(" a") {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let (date, mut why) =
        PartialDate::parse_loose(date_text).map_err(|e| format!("appendix2 {state}, {field}: {e}"))?;
    if mark {
        why.push("accession mark `a` is kept in Appendix 3's status, not in the date".into());
    }
    if !why.is_empty() {
        notes.push(correction(
            state,
            format!("Appendix 2/{state}/{field}"),
            text,
            date.to_string(),
            why.join("; "),
            "Appendix 2",
        ));
    }
    Ok(Some(date))
}

fn read_appendix2(ds: &mut Dataset, rows: Vec<Appendix2Row>) -> Result<(), String> {
    for row in rows {
        let mut notes: Vec<Correction> = Vec::new();
        if row.sequence == 1 {
            notes.extend(check_printed_name(ds, &row.state, &row.printed_name, "Appendix 2"));
        }
        let ratified = read_a2_date(&row.state, "ratified", &row.ratified, &mut notes)?;
        let due = read_a2_date(&row.state, "due", &row.due, &mut notes)?;
        let distributed = read_a2_date(&row.state, "distributed", &row.distributed, &mut notes)?;
        let session = row.session.as_deref().map(str::trim).filter(|s| !s.is_empty() && !s.chars().all(|c| c == '-'));
        let (session_from, session_to) = match session {
            Some(text) => {
                let (from, to, why) =
                    parse_session(text).map_err(|e| format!("appendix2 {}, session: {e}", row.state))?;
                if !why.is_empty() {
                    let subject = format!("Appendix 2/{}/session", row.state);
                    notes.push(correction(
                        &row.state,
                        subject,
                        text,
                        format!("{from}/{to}"),
                        why.join("; "),
                        "Appendix 2",
                    ));
                }
                (Some(from), Some(to))
            }
            None => (None, None),
        };
        let keep = |c: &Option<String>| c.clone().filter(|t| !t.trim().is_empty());
        ds.reports.push(Report {
            state: row.state.clone(),
            treaty: "OPSC".into(),
            sequence: row.sequence,
            source_ratification_text: keep(&row.ratified),
            source_ratification: ratified,
            source_due_text: keep(&row.due),
            source_due: due,
            distributed_text: keep(&row.distributed),
            distributed,
            session_text: keep(&row.session),
            session_from,
            session_to,
            source: Source::section("Appendix 2"),
        });
        ds.corrections.extend(notes);
    }
    Ok(())
}
