//! Reading the registry in one language (`Dataset::localized`), and bringing such a reading
//! forward by the versions a write recorded (`Dataset::localized_after`): a text with a
//! translation into the language reads in it, an official name in another language reads with
//! the reader's translation beside it, and the rest stays as written.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::{field_value, fields, Text, Translation};
use crate::{Dataset, Lang};

/// The key a translation is found by: table, record, field.
pub type TextKey<'a> = (&'a str, &'a str, &'a str);

impl Dataset {
    /// The translations by the text they translate.
    pub fn translation_index(&self) -> HashMap<TextKey<'_>, &Translation> {
        self.translations.iter().map(|t| ((t.of_table.as_str(), t.record.as_str(), t.field.as_str()), t)).collect()
    }

    /// The registry as read in `lang`: every text that has a `lang` text reads in it; the rest
    /// keep the language they were written in. A name whose official form is in another
    /// language reads as the official name with the reader's translation beside it: in the
    /// record's `translations` map for plans and laws (their pages show it on its own line),
    /// in brackets otherwise ("Ministerio de Justicia (Ministry of Justice)"). Only the records
    /// that have translations are read through; the rest are copied as they are.
    pub fn localized(&self, lang: Lang) -> Result<Dataset, String> {
        let mut by_record: HashMap<(&str, &str), Vec<&Translation>> = HashMap::new();
        for t in &self.translations {
            by_record.entry((t.of_table.as_str(), t.record.as_str())).or_default().push(t);
        }
        let mut out = self.clone();
        out.localize_tables(&by_record, lang)?;
        Ok(out)
    }
}

impl Dataset {
    /// `read`, a reading of this registry in `lang` from before `changed` were recorded,
    /// brought forward by them: the versions are followed, then the records they touch (or whose
    /// translations they touch) are read in `lang` again from this registry. What
    /// `self.localized(lang)` gives, at the cost of the records changed.
    pub fn localized_after(
        &self,
        mut read: Dataset,
        changed: &[crate::history::Version],
        lang: Lang,
    ) -> Result<Dataset, String> {
        read.follow(changed)?;
        let mut touched: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
        for v in changed {
            if v.table == "translations" {
                // The record it translates: from the new body, or (closed) from the old reading.
                let of = |t: &Value| {
                    Some((t.get("of_table")?.as_str()?.to_string(), t.get("record")?.as_str()?.to_string()))
                };
                if let Some(target) = v.body.as_ref().and_then(of) {
                    touched.insert(target);
                }
                if let Some((table, record)) =
                    v.record.split_once('/').map(|(t, rest)| (t, rest.rsplit_once('/').map_or(rest, |(r, _)| r)))
                {
                    touched.insert((table.to_string(), record.to_string()));
                }
            } else {
                touched.insert((v.table.clone(), v.record.clone()));
            }
        }
        let mut by_record: HashMap<(&str, &str), Vec<&Translation>> = HashMap::new();
        for t in &self.translations {
            by_record.entry((t.of_table.as_str(), t.record.as_str())).or_default().push(t);
        }
        read.relocalize_tables(self, &touched, &by_record, lang)?;
        Ok(read)
    }
}

macro_rules! define_relocalize {
    ($($table:ident: $record:ty),* $(,)?) => {
        impl Dataset {
            fn relocalize_tables(
                &mut self,
                original: &Dataset,
                touched: &std::collections::BTreeSet<(String, String)>,
                by_record: &HashMap<(&str, &str), Vec<&Translation>>,
                lang: Lang,
            ) -> Result<(), String> {
                $( relocalize_table(&mut self.$table, &original.$table, stringify!($table), touched, by_record, lang)?; )*
                Ok(())
            }
        }
    };
}
crate::dataset::with_tables!(define_relocalize);

/// The touched rows of one table of a reading, read again from the registry's own.
fn relocalize_table<T: Clone + Serialize + serde::de::DeserializeOwned + crate::dataset::Keyed>(
    read: &mut [T],
    original: &[T],
    table: &'static str,
    touched: &std::collections::BTreeSet<(String, String)>,
    by_record: &HashMap<(&str, &str), Vec<&Translation>>,
    lang: Lang,
) -> Result<(), String> {
    if !touched.iter().any(|(t, _)| t == table) {
        return Ok(());
    }
    let originals: HashMap<String, &T> = original.iter().map(|r| (r.key(), r)).collect();
    for row in read.iter_mut() {
        let key = row.key();
        if !touched.contains(&(table.to_string(), key.clone())) {
            continue;
        }
        if let Some(own) = originals.get(&key) {
            *row = (*own).clone();
            localize_table(std::slice::from_mut(row), table, by_record, lang)?;
        }
    }
    Ok(())
}

macro_rules! define_localize {
    ($($table:ident: $record:ty),* $(,)?) => {
        impl Dataset {
            fn localize_tables(&mut self, by_record: &HashMap<(&str, &str), Vec<&Translation>>, lang: Lang) -> Result<(), String> {
                $( localize_table(&mut self.$table, stringify!($table), by_record, lang)?; )*
                Ok(())
            }
        }
    };
}
crate::dataset::with_tables!(define_localize);

/// The rows of one table that have translations, read in `lang` (see [`Dataset::localized`]).
fn localize_table<T: Serialize + serde::de::DeserializeOwned + crate::dataset::Keyed>(
    rows: &mut [T],
    table: &'static str,
    by_record: &HashMap<(&str, &str), Vec<&Translation>>,
    lang: Lang,
) -> Result<(), String> {
    if table == "translations" || fields(table).is_empty() {
        return Ok(());
    }
    for row in rows.iter_mut() {
        let record = row.key();
        let Some(translations) = by_record.get(&(table, record.as_str())) else { continue };
        let mut value = serde_json::to_value(&*row).map_err(|e| e.to_string())?;
        for t in translations {
            localize_field(&mut value, table, t, lang);
        }
        *row =
            serde_json::from_value(value).map_err(|e| format!("a translation does not fit {table} {record}: {e}"))?;
    }
    Ok(())
}

/// One field of one record (`row`, as JSON) read in `lang`.
fn localize_field(row: &mut Value, table: &str, t: &Translation, lang: Lang) {
    let Some(own) = field_value(row, &t.field).cloned() else { return };
    let reader = if lang == t.written_in { Some(own.clone()) } else { t.texts.get(&lang).map(Text::to_value) };
    let shown = match (t.official_language(), reader) {
        (Some(official), reader) if official != lang => {
            let official =
                if official == t.written_in { Some(own) } else { t.texts.get(&official).map(Text::to_value) };
            match (official, reader) {
                (Some(official), Some(reader)) if matches!(table, "plans" | "laws") => {
                    if let (Some(Value::Object(map)), Value::String(r)) = (row.get_mut("translations"), &reader) {
                        map.insert(lang.code().into(), Value::String(r.clone()));
                    } else if let Value::String(r) = &reader {
                        row["translations"] = serde_json::json!({ lang.code(): r });
                    }
                    official
                }
                (Some(official), Some(reader)) => beside(&official, &reader),
                (Some(official), None) => official,
                (None, reader) => reader.unwrap_or(Value::Null),
            }
        }
        (_, Some(reader)) => reader,
        (_, None) => return,
    };
    if let Some(slot) = t.field.split('.').try_fold(&mut *row, |v, part| v.get_mut(part)) {
        *slot = shown;
    }
}

/// "Official (translation)", item by item for a list; the official name alone where the two
/// read the same.
fn beside(official: &Value, reader: &Value) -> Value {
    let one = |o: &str, r: &str| if o == r { o.to_string() } else { format!("{o} ({r})") };
    match (official, reader) {
        (Value::String(o), Value::String(r)) => Value::String(one(o, r)),
        (Value::Array(o), Value::Array(r)) => Value::Array(
            o.iter()
                .zip(r)
                .map(|(o, r)| Value::String(one(o.as_str().unwrap_or_default(), r.as_str().unwrap_or_default())))
                .collect(),
        ),
        (o, _) => o.clone(),
    }
}

impl Translation {
    /// For a name: the language of its official form, if known (said by the curators, or the
    /// language a name was recorded in when that is not the English of the report).
    pub fn official_language(&self) -> Option<Lang> {
        if !matches!(self.field.as_str(), "name" | "title" | "institutions") {
            return None;
        }
        self.official.or((self.written_in != Lang::En).then_some(self.written_in))
    }
}
