//! An analyst translates a registry text: a text an accepted answer wrote in the State's
//! language, or a curator's text whose translation needs correcting. The translation is a
//! registry record (`observa_domain::translation`), so it is written like any change: one
//! record-level change, versioned and audited with its before and after, in one transaction.

use observa_domain::history::{diff, Origin};
use observa_domain::translation::{field_value, fields, By, Text, Translation};
use observa_domain::{text, Lang};
use observa_store::Backend;

use crate::{Actor, Result, WorkflowError};

/// One text to translate: which field of which record, of which State.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub state: &'a str,
    pub table: &'a str,
    pub record: &'a str,
    pub field: &'a str,
}

/// Writes `text` as the `lang` translation of `subject` (a list field: one item per line).
/// Refused: a field that is not translated, a record of another State or none, the language
/// the text is written in, an empty text, a list of another length, a text the text policy
/// refuses.
pub fn translate(store: &mut dyn Backend, actor: &Actor, subject: &Subject, lang: Lang, text: &str) -> Result<()> {
    actor.require(actor.may_translate(), "translate a registry text")?;
    let Subject { state, table, record, field } = *subject;
    if !fields(table).contains(&field) {
        return Err(WorkflowError::invalid("translate-not-a-text", format!("{table}.{field}")));
    }
    let part = store.load_part(state)?;
    let rows = observa_domain::history::records(&part).map_err(WorkflowError::Storage)?;
    let row = rows
        .iter()
        .find(|(t, _)| *t == table)
        .and_then(|(_, rows)| rows.iter().find(|r| observa_domain::history::key(table, r) == record))
        .filter(|r| r.get("state").and_then(|s| s.as_str()) == Some(state))
        .ok_or_else(|| WorkflowError::NotFound(format!("{table} {record} of {state}")))?;
    let value = field_value(row, field)
        .ok_or_else(|| WorkflowError::invalid("translate-no-text", format!("{table} {record} {field}")))?;
    let text = text.replace("\r\n", "\n");
    let given = match value {
        serde_json::Value::Array(items) => {
            let lines: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
            if lines.len() != items.len() {
                let detail = format!("{} lines for a list of {}", lines.len(), items.len());
                return Err(WorkflowError::invalid("translate-list-length", detail));
            }
            Text::List(lines)
        }
        _ => Text::One(text.trim().to_string()),
    };
    let pieces: Vec<&str> = match &given {
        Text::One(t) => vec![t.as_str()],
        Text::List(items) => items.iter().map(String::as_str).collect(),
    };
    for piece in &pieces {
        if piece.is_empty() {
            return Err(WorkflowError::invalid("translate-empty", ""));
        }
        text::check(piece, text::Kind::Long).map_err(|p| WorkflowError::invalid("translate-refused", p.to_string()))?;
    }
    let id = format!("{table}/{record}/{field}");
    let held = part.translations.iter().find(|t| t.id == id).cloned();
    let mut translation = held.unwrap_or_else(|| Translation {
        id: id.clone(),
        of_table: table.into(),
        record: record.into(),
        field: field.into(),
        written_in: Lang::En,
        official: None,
        texts: Default::default(),
        made_by: Default::default(),
        note: None,
    });
    if translation.written_in == lang {
        return Err(WorkflowError::invalid("translate-own-language", lang.code()));
    }
    translation.texts.insert(lang, given);
    translation.made_by.insert(lang, By::Analyst);
    let mut after = part.clone();
    after.translations.retain(|t| t.id != id);
    after.translations.push(translation);
    if let Some(problem) = after.validate().into_iter().find(|p| p.place.starts_with("translations.")) {
        return Err(WorkflowError::invalid("translate-refused", problem.to_string()));
    }
    let changes = diff(&part, &after).map_err(WorkflowError::Storage)?;
    let cycle = store.cycles()?.iter().map(|c| c.year).max().unwrap_or(2014);
    let origin = Origin {
        cycle,
        effective: chrono::Utc::now().date_naive(),
        established_by: format!("translation into {} by the secretariat", lang.code()),
        actor: actor.email.clone(),
    };
    Ok(store.write_changes(&changes, &origin)?)
}
