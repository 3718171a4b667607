//! The registry's history: every record has a stable key and a list of versions, and the
//! registry can be read as it stood for a cycle or on a date.
//!
//! Engines store [`Version`]s in the order they were recorded; everything else is computed here,
//! once for every engine: what a write changes ([`diff`]), the field-level before and after the
//! audit log keeps ([`Change::fields`]), the registry as of a cycle or a date ([`rebuild`]), and
//! what changed between two cycles with the source of each change ([`between`]).
//!
//! A record that stops being true is closed (a version without a body), never removed: the
//! history of a plan replaced in 2015 still says what it was in 2014.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::dataset::{Dataset, TABLE_NAMES};

/// Which registry to read: as it is now, as it stood for a cycle (every version recorded for that
/// cycle or an earlier one), or on a date (every version that had taken effect by then).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AsOf {
    #[default]
    Now,
    Cycle(i32),
    Date(NaiveDate),
}

impl AsOf {
    /// Whether a version belongs to the registry read this way.
    pub fn includes(&self, v: &Version) -> bool {
        match self {
            AsOf::Now => true,
            AsOf::Cycle(year) => v.cycle <= *year,
            AsOf::Date(day) => v.effective <= *day,
        }
    }
}

impl FromStr for AsOf {
    type Err = String;
    /// `now` (or nothing), a cycle (`2014`) or a date (`2014-09-30`).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() || s == "now" {
            return Ok(AsOf::Now);
        }
        if s.len() == 4 {
            if let Ok(year) = s.parse::<i32>() {
                return Ok(AsOf::Cycle(year));
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(AsOf::Date)
            .map_err(|_| format!("as_of {s:?} is neither a cycle (2014), a date (2014-09-30) nor \"now\""))
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsOf::Now => write!(f, "now"),
            AsOf::Cycle(y) => write!(f, "{y}"),
            AsOf::Date(d) => write!(f, "{d}"),
        }
    }
}

/// What establishes a write: the cycle it belongs to, when it takes effect, the source (a data
/// file, `answers-<cycle>-<state>`, an analyst's correction, a treaty update) and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub cycle: i32,
    pub effective: NaiveDate,
    pub established_by: String,
    pub actor: String,
}

/// One version of one record, as an engine stores it. `body` is `None` when the version closes
/// the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub seq: i64,
    pub table: String,
    pub record: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    pub cycle: i32,
    pub effective: NaiveDate,
    pub established_by: String,
    pub actor: String,
    pub recorded_at: String,
}

/// The columns that identify a record of `table`: `id` for most, `code` for States and
/// treaties, and the natural keys of ratifications and reports.
pub fn key_columns(table: &str) -> &'static [&'static str] {
    match table {
        "states" | "treaties" => &["code"],
        "ratifications" => &["state", "treaty"],
        "reports" => &["state", "treaty", "sequence"],
        _ => &["id"],
    }
}

/// A record's stable key: its key columns' values joined by `/`.
pub fn key(table: &str, record: &Value) -> String {
    key_columns(table)
        .iter()
        .map(|c| match record.get(*c) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A record added, changed or closed by a write.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub table: String,
    pub record: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Changed,
    Closed,
}

/// One field of a changed record.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match (&self.before, &self.after) {
            (None, _) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Closed,
            _ => ChangeKind::Changed,
        }
    }

    /// The fields whose value differs (all of them for an added or closed record), by name.
    pub fn fields(&self) -> Vec<FieldChange> {
        let empty = Map::new();
        let before = self.before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
        let after = self.after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
        let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter(|n| before.get(*n) != after.get(*n))
            .map(|n| FieldChange { field: n.clone(), before: before.get(n).cloned(), after: after.get(n).cloned() })
            .collect()
    }

    /// The audit log's before and after: only the fields that differ, as JSON objects.
    pub fn audit_texts(&self) -> (Option<String>, Option<String>) {
        let (before, after) = field_maps(self.before.as_ref(), self.after.as_ref());
        let text = |m: Map<String, Value>, side: &Option<Value>| side.as_ref().map(|_| Value::Object(m).to_string());
        (text(before, &self.before), text(after, &self.after))
    }
}

/// The fields of two JSON objects that differ, each side as an object (a field absent on one side
/// is `null` there).
pub fn field_maps(before: Option<&Value>, after: Option<&Value>) -> (Map<String, Value>, Map<String, Value>) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = (Map::new(), Map::new());
    for name in b.keys().chain(a.keys()) {
        if b.get(name) != a.get(name) && !out.0.contains_key(name) {
            out.0.insert(name.clone(), b.get(name).cloned().unwrap_or(Value::Null));
            out.1.insert(name.clone(), a.get(name).cloned().unwrap_or(Value::Null));
        }
    }
    out
}

/// Every table of a dataset as JSON records, in table order.
pub fn records(dataset: &Dataset) -> Result<Vec<(&'static str, Vec<Value>)>, String> {
    let Value::Object(mut tables) = serde_json::to_value(dataset).map_err(|e| e.to_string())? else {
        return Err("a dataset serialises to an object".into());
    };
    Ok(TABLE_NAMES
        .iter()
        .map(|t| match tables.remove(*t) {
            Some(Value::Array(rows)) => (*t, rows),
            _ => (*t, Vec::new()),
        })
        .collect())
}

/// What turns `old` into `new`, record by record, in the order an engine applies it: closed
/// records first, latest table first (nothing is closed while another record still refers to
/// it), then added and changed records in table order (a reference always points backwards).
pub fn diff(old: &Dataset, new: &Dataset) -> Result<Vec<Change>, String> {
    let old = records(old)?;
    let new = records(new)?;
    let mut closes = Vec::new();
    let mut writes = Vec::new();
    for ((table, before), (_, after)) in old.into_iter().zip(new) {
        let mut held: HashMap<String, Value> = before.into_iter().map(|r| (key(table, &r), r)).collect();
        for record in after {
            let k = key(table, &record);
            match held.remove(&k) {
                Some(b) if b == record => {}
                b => writes.push(Change { table: table.into(), record: k, before: b, after: Some(record) }),
            }
        }
        let mut gone: Vec<Change> = held
            .into_iter()
            .map(|(k, b)| Change { table: table.into(), record: k, before: Some(b), after: None })
            .collect();
        gone.sort_by(|a, b| a.record.cmp(&b.record));
        closes.push(gone);
    }
    Ok(closes.into_iter().rev().flatten().chain(writes).collect())
}

/// The registry made of the versions `as_of` includes, read in the order they were recorded:
/// each record's last included version wins, closed records are left out, and records keep the
/// order in which they were (last) opened, which is the order an engine's current tables hold.
pub fn rebuild(versions: &[Version], as_of: AsOf) -> Result<Dataset, String> {
    // table → record → (position, body)
    let mut state: BTreeMap<&str, HashMap<&str, (i64, &Value)>> = BTreeMap::new();
    for v in versions.iter().filter(|v| as_of.includes(v)) {
        let records = state.entry(v.table.as_str()).or_default();
        match &v.body {
            Some(body) => {
                let position = records.get(v.record.as_str()).map_or(v.seq, |(p, _)| *p);
                records.insert(v.record.as_str(), (position, body));
            }
            None => {
                records.remove(v.record.as_str());
            }
        }
    }
    let mut object = Map::new();
    for table in TABLE_NAMES {
        let mut rows: Vec<(i64, &Value)> = state.remove(table).map(|m| m.into_values().collect()).unwrap_or_default();
        rows.sort_by_key(|(p, _)| *p);
        object.insert(table.to_string(), Value::Array(rows.into_iter().map(|(_, b)| b.clone()).collect()));
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| format!("the registry's history does not read: {e}"))
}

macro_rules! define_follow {
    ($($table:ident: $record:ty),* $(,)?) => {
        impl Dataset {
            /// This registry brought forward by `versions` (recorded after the ones it was read
            /// from), as an engine's current tables follow them: a new version replaces the
            /// record in place, a new record comes last, a closed one goes. Only the tables the
            /// versions touch are read through.
            pub fn follow(&mut self, versions: &[Version]) -> Result<(), String> {
                $( follow_table(&mut self.$table, stringify!($table), versions)?; )*
                Ok(())
            }
        }
    };
}
crate::dataset::with_tables!(define_follow);

fn follow_table<T: Serialize + serde::de::DeserializeOwned + crate::dataset::Keyed>(
    rows: &mut Vec<T>,
    table: &str,
    versions: &[Version],
) -> Result<(), String> {
    let mut mine = versions.iter().filter(|v| v.table == table).peekable();
    if mine.peek().is_none() {
        return Ok(());
    }
    let unreadable = |e: serde_json::Error| format!("{table}: a version does not read: {e}");
    let mut keys: Vec<String> = rows.iter().map(crate::dataset::Keyed::key).collect();
    for v in mine {
        let at = keys.iter().position(|k| *k == v.record);
        let body = v.body.clone().map(serde_json::from_value::<T>).transpose().map_err(unreadable)?;
        match (body, at) {
            (Some(body), Some(i)) => rows[i] = body,
            (Some(body), None) => {
                rows.push(body);
                keys.push(v.record.clone());
            }
            (None, Some(i)) => {
                rows.remove(i);
                keys.remove(i);
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// A change between two readings of the registry, with what established it: the last version
/// of the record inside the interval.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SourcedChange {
    #[serde(flatten)]
    pub change: Change,
    pub kind: ChangeKind,
    pub fields: Vec<FieldChange>,
    pub established_by: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub actor: String,
    #[schema(value_type = crate::date::PartialDate)]
    pub effective: NaiveDate,
    pub cycle: i32,
}

/// What changed from the registry as of `from` to the registry as of `to`, record by record,
/// each with its source. `filter` keeps only the records it accepts (one State, one plan).
pub fn between(
    versions: &[Version],
    from: AsOf,
    to: AsOf,
    filter: impl Fn(&str, &Value) -> bool,
) -> Result<Vec<SourcedChange>, String> {
    let changes = diff(&rebuild(versions, from)?, &rebuild(versions, to)?)?;
    let mut last: HashMap<(&str, &str), &Version> = HashMap::new();
    for v in versions.iter().filter(|v| to.includes(v) && !from.includes(v)) {
        last.insert((v.table.as_str(), v.record.as_str()), v);
    }
    let mut out = Vec::new();
    for change in changes {
        let record = change.after.as_ref().or(change.before.as_ref()).expect("a change has a side");
        if !filter(&change.table, record) {
            continue;
        }
        let Some(v) = last.get(&(change.table.as_str(), change.record.as_str())) else { continue };
        out.push(SourcedChange {
            kind: change.kind(),
            fields: change.fields(),
            established_by: v.established_by.clone(),
            actor: v.actor.clone(),
            effective: v.effective,
            cycle: v.cycle,
            change,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn version(seq: i64, table: &str, record: &str, body: Option<Value>, cycle: i32) -> Version {
        Version {
            seq,
            table: table.into(),
            record: record.into(),
            body,
            cycle,
            effective: NaiveDate::from_ymd_opt(cycle, 12, 31).unwrap(),
            established_by: format!("source-{seq}"),
            actor: "test".into(),
            recorded_at: String::new(),
        }
    }

    fn document(id: &str, title: &str) -> Value {
        json!({ "id": id, "title": title, "publisher": "IIN", "year": 2014 })
    }

    #[test]
    fn a_cycle_reads_only_its_own_and_earlier_versions() {
        let versions = vec![
            version(1, "documents", "a", Some(document("a", "first")), 2014),
            version(2, "documents", "b", Some(document("b", "second")), 2014),
            version(3, "documents", "a", Some(document("a", "first, revised")), 2015),
            version(4, "documents", "b", None, 2015),
        ];
        let old = rebuild(&versions, AsOf::Cycle(2014)).unwrap();
        assert_eq!(old.documents.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(), ["first", "second"]);
        let now = rebuild(&versions, AsOf::Now).unwrap();
        assert_eq!(now.documents.iter().map(|d| d.title.as_str()).collect::<Vec<_>>(), ["first, revised"]);
        let on = rebuild(&versions, AsOf::Date(NaiveDate::from_ymd_opt(2015, 1, 1).unwrap())).unwrap();
        assert_eq!(on, old);
    }

    #[test]
    fn diff_names_added_changed_and_closed_records_field_by_field() {
        let versions = vec![
            version(1, "documents", "a", Some(document("a", "first")), 2014),
            version(2, "documents", "b", Some(document("b", "second")), 2014),
        ];
        let old = rebuild(&versions, AsOf::Now).unwrap();
        let mut new = old.clone();
        new.documents[0].title = "renamed".into();
        new.documents.remove(1);
        let changes = diff(&old, &new).unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!((changes[0].kind(), changes[0].record.as_str()), (ChangeKind::Closed, "b"));
        assert_eq!(changes[1].kind(), ChangeKind::Changed);
        let fields = changes[1].fields();
        assert_eq!(fields.len(), 1);
        assert_eq!((fields[0].field.as_str(), fields[0].after.clone()), ("title", Some(json!("renamed"))));
        let (before, after) = changes[1].audit_texts();
        assert_eq!(before.as_deref(), Some(r#"{"title":"first"}"#));
        assert_eq!(after.as_deref(), Some(r#"{"title":"renamed"}"#));
        assert!(diff(&new, &new).unwrap().is_empty(), "an unchanged registry writes nothing");
    }

    #[test]
    fn following_later_versions_reads_as_rebuilding_from_all_of_them() {
        let versions = vec![
            version(1, "documents", "a", Some(document("a", "first")), 2014),
            version(2, "documents", "b", Some(document("b", "second")), 2014),
            version(3, "documents", "c", Some(document("c", "third")), 2014),
            version(4, "documents", "a", Some(document("a", "first, revised")), 2015),
            version(5, "documents", "b", None, 2015),
            version(6, "documents", "d", Some(document("d", "new")), 2015),
            version(7, "documents", "b", Some(document("b", "back")), 2015),
        ];
        let mut followed = rebuild(&versions[..3], AsOf::Now).unwrap();
        followed.follow(&versions[3..]).unwrap();
        assert_eq!(followed, rebuild(&versions, AsOf::Now).unwrap());
        let titles: Vec<&str> = followed.documents.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(titles, ["first, revised", "third", "new", "back"]);
        let broken = version(8, "documents", "e", Some(json!({ "id": "e" })), 2015);
        assert!(followed.follow(&[broken]).unwrap_err().starts_with("documents: "));
    }

    #[test]
    fn between_two_cycles_each_change_carries_its_source() {
        let versions = vec![
            version(1, "documents", "a", Some(document("a", "first")), 2014),
            version(2, "documents", "a", Some(document("a", "second")), 2015),
            version(3, "documents", "c", Some(document("c", "new")), 2015),
        ];
        let found = between(&versions, AsOf::Cycle(2014), AsOf::Cycle(2015), |_, _| true).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].kind, found[0].established_by.as_str()), (ChangeKind::Changed, "source-2"));
        assert_eq!((found[1].kind, found[1].established_by.as_str()), (ChangeKind::Added, "source-3"));
    }

    #[test]
    fn as_of_reads_cycles_dates_and_now_and_refuses_the_rest() {
        assert_eq!("2014".parse::<AsOf>(), Ok(AsOf::Cycle(2014)));
        assert_eq!("2014-09-30".parse::<AsOf>(), Ok(AsOf::Date(NaiveDate::from_ymd_opt(2014, 9, 30).unwrap())));
        assert_eq!("now".parse::<AsOf>(), Ok(AsOf::Now));
        assert!("2014-13-01".parse::<AsOf>().unwrap_err().contains("2014-13-01"));
        assert!("yesterday".parse::<AsOf>().is_err());
    }

    #[test]
    fn keys_are_stable_per_table() {
        assert_eq!(key("ratifications", &json!({"state": "CL", "treaty": "OPSC"})), "CL/OPSC");
        assert_eq!(key("reports", &json!({"state": "CL", "treaty": "OPSC", "sequence": 1})), "CL/OPSC/1");
        assert_eq!(key("states", &json!({"code": "CL"})), "CL");
    }
}
