//! An accepted response becomes registry facts: every answer whose question names a projection
//! (`plans.name`, `laws.date`, ...) updates the State's matching record, or adds one, with the
//! State's answer to that cycle as its source. Each change is tried on its own and kept only if
//! the registry still reads and validates with it; what could not be projected is listed, so an
//! analyst sees it instead of losing it silently.

use serde_json::{json, Map, Value};

use crate::consultation::{cell_text, Answers, Value as Answer};
use crate::questionnaire::{AnswerType, Question, Questionnaire};
use crate::Dataset;

/// The registry after the projection, and what happened to each answer that feeds it.
#[derive(Debug)]
pub struct Projection {
    pub dataset: Dataset,
    /// "updated plans cl-...: changes_from_previous", "added laws cl-laws-2015-1", ...
    pub changes: Vec<String>,
    /// Answers that could not become facts, with the reason.
    pub skipped: Vec<String>,
}

/// The id of the document that sources a State's answers to a cycle.
pub fn document_id(cycle: i32, state: &str) -> String {
    format!("answers-{cycle}-{}", state.to_lowercase())
}

struct Work<'a> {
    ds: &'a Dataset,
    /// The registry's texts before the projection, and the language the State answers in.
    before: crate::translation::Before,
    lang: crate::Lang,
    tables: Map<String, Value>,
    state: &'a str,
    cycle: i32,
    changes: Vec<String>,
    skipped: Vec<String>,
}

pub fn project(q: &Questionnaire, answers: &Answers, ds: &Dataset, cycle: i32, state: &str) -> Projection {
    let Ok(Value::Object(tables)) = serde_json::to_value(ds) else { unreachable!("a dataset is an object") };
    let before = crate::translation::Before::of(ds);
    let lang = crate::translation::answers_language(ds, state);
    let mut w = Work { ds, before, lang, tables, state, cycle, changes: Vec::new(), skipped: Vec::new() };
    let name = ds.state(state).map_or(state.to_string(), |s| s.name_en.clone());
    let doc = json!({ "id": document_id(cycle, state), "title": format!("Answers of {name} to the {cycle} consultation"),
        "publisher": name, "year": cycle });
    w.try_change("added the answers' document".into(), |t| {
        push(t, "documents", doc.clone());
    });
    for question in q.questions() {
        match (question.kind, answers.get(&question.id)) {
            (AnswerType::Table, Some(Answer::Rows(rows))) => w.table(question, rows),
            (_, Some(Answer::Text(text))) if !text.trim().is_empty() => w.single(question, text.trim()),
            _ => {}
        }
    }
    let dataset = serde_json::from_value(Value::Object(w.tables)).expect("every kept change was checked");
    Projection { dataset, changes: w.changes, skipped: w.skipped }
}

fn push(tables: &mut Map<String, Value>, table: &str, record: Value) {
    if let Some(Value::Array(rows)) = tables.get_mut(table) {
        rows.push(record);
    }
}

impl Work<'_> {
    /// Applies `change` to a copy; keeps it only if the registry still reads and validates.
    fn try_change(&mut self, what: String, change: impl FnOnce(&mut Map<String, Value>)) -> bool {
        let mut copy = self.tables.clone();
        change(&mut copy);
        // The texts it writes are in the State's language, with no translation yet.
        let document = format!("its answers to the {} consultation", self.cycle);
        self.before.written_by_answers(&mut copy, self.state, self.lang, &document);
        let checked = serde_json::from_value::<Dataset>(Value::Object(copy.clone()))
            .map_err(|e| e.to_string())
            .and_then(|mut ds| {
                ds.normalise();
                match ds.validate().first() {
                    Some(problem) => Err(problem.to_string()),
                    None => Ok(()),
                }
            });
        match checked {
            Ok(()) => {
                self.tables = copy;
                self.changes.push(what);
                true
            }
            Err(reason) => {
                self.skipped.push(format!("{what}: {reason}"));
                false
            }
        }
    }

    fn source(&self, question: &Question) -> Value {
        json!({ "doc": document_id(self.cycle, self.state), "section": question.number })
    }

    /// The index of the State's record of `table` whose `field` reads as `text` (any case).
    fn find(&self, table: &str, field: &str, text: &str) -> Option<usize> {
        let rows = self.tables.get(table)?.as_array()?;
        rows.iter().position(|r| {
            r.get("state").and_then(Value::as_str) == Some(self.state)
                && cell_text(self.ds, field, r.get(field)).trim().eq_ignore_ascii_case(text.trim())
        })
    }

    /// The record a single answer feeds: the last approved plan, or the State's first record.
    fn target(&self, table: &str) -> Option<usize> {
        let rows = self.tables.get(table)?.as_array()?;
        let mine = |r: &Value| r.get("state").and_then(Value::as_str) == Some(self.state);
        if table == "plans" {
            if let Some(i) = rows.iter().position(|r| mine(r) && r.get("last_approved") == Some(&Value::Bool(true))) {
                return Some(i);
            }
        }
        rows.iter().position(mine)
    }

    /// Sets `field` from a form text, keeping the stored shape: lists split on ";" or new lines.
    fn typed(old: Option<&Value>, text: &str) -> Value {
        match old {
            Some(Value::Array(_)) => Value::Array(
                text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(|s| json!(s)).collect(),
            ),
            _ => json!(text),
        }
    }

    fn update(&mut self, question: &Question, table: &str, index: usize, fields: &[(String, String)]) {
        let source = self.source(question);
        let record = &self.tables[table][index];
        let id = record.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
        let changed: Vec<(String, Value)> = fields
            .iter()
            .filter(|(f, text)| !text.is_empty() && cell_text(self.ds, f, record.get(f.as_str())) != *text)
            .map(|(f, text)| (f.clone(), Self::typed(record.get(f.as_str()), text)))
            .collect();
        for (field, value) in changed {
            let source = source.clone();
            self.try_change(format!("updated {table} {id}: {field}"), |t| {
                if let Some(r) = t.get_mut(table).and_then(|rows| rows.get_mut(index)) {
                    r[field.as_str()] = value;
                    r["source"] = source;
                }
            });
        }
    }

    /// A new record of the State: the fields answered, and what the table cannot do without
    /// (a plan's kind and language, a law's kind and language) set to neutral values.
    fn add(&mut self, question: &Question, table: &str, fields: &[(String, String)]) {
        // A new id of the State's: the first `<state>-<table>-<cycle>-<n>` not taken, counting
        // from the table's length (the State's part of the registry or the whole of it).
        let rows = self.tables.get(table).and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        let taken = |id: &str| rows.iter().any(|r| r.get("id").and_then(Value::as_str) == Some(id));
        let id = (rows.len() + 1..)
            .map(|n| format!("{}-{table}-{}-{n}", self.state.to_lowercase(), self.cycle))
            .find(|id| !taken(id))
            .expect("an unused number");
        let lang = self.ds.plans.iter().find(|p| p.state.as_str() == self.state).map_or("es", |p| p.lang.code());
        let mut record = json!({ "id": id, "state": self.state, "source": self.source(question) });
        match table {
            "plans" => {
                record["kind"] = json!("other");
                record["lang"] = json!(lang);
                record["adopted"] = json!("unknown");
            }
            "laws" => {
                record["kind"] = json!("law");
                record["lang"] = json!(lang);
            }
            _ => {}
        }
        for (field, text) in fields.iter().filter(|(_, t)| !t.is_empty()) {
            record[field.as_str()] = json!(text);
        }
        self.try_change(format!("added {table} {id}"), |t| push(t, table, record));
    }

    fn table(&mut self, question: &Question, rows: &[std::collections::BTreeMap<String, String>]) {
        let columns: Vec<(&str, String, String)> = question
            .columns
            .iter()
            .filter_map(|c| {
                let (t, f) = c.projects_to.first()?.split_once('.')?;
                Some((c.id.as_str(), t.to_string(), f.to_string()))
            })
            .collect();
        let Some(table) = columns.first().map(|c| c.1.clone()) else { return };
        // The column that names a record: its name or title, else the first.
        let key = columns.iter().find(|c| c.2 == "name" || c.2 == "title").unwrap_or(&columns[0]).clone();
        for row in rows {
            let fields: Vec<(String, String)> = columns
                .iter()
                .filter(|c| c.1 == table)
                .map(|c| (c.2.clone(), row.get(c.0).map_or(String::new(), |v| v.trim().to_string())))
                .collect();
            let Some(name) = row.get(key.0).map(|v| v.trim()).filter(|v| !v.is_empty()) else { continue };
            match self.find(&table, &key.2, name) {
                Some(index) => self.update(question, &table, index, &fields),
                None => self.add(question, &table, &fields),
            }
        }
    }

    fn single(&mut self, question: &Question, text: &str) {
        let Some((table, field)) = question.projects_to.first().and_then(|p| p.split_once('.')) else { return };
        let fields = vec![(field.to_string(), text.to_string())];
        match self.target(table) {
            Some(index) => self.update(question, table, index, &fields),
            None => self.add(question, table, &fields),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::prefill;

    fn setup() -> (Questionnaire, Dataset) {
        let q = Questionnaire::parse("2014.toml", include_str!("../../../data/questionnaires/2014.toml")).unwrap();
        let mut ds = crate::analysis::bundled();
        ds.normalise();
        (q, ds)
    }

    #[test]
    fn unchanged_answers_change_no_fact() {
        let (q, ds) = setup();
        let p = project(&q, &prefill(&q, &ds, "CL"), &ds, 2015, "CL");
        assert_eq!(p.changes, vec!["added the answers' document".to_string()], "skipped: {:?}", p.skipped);
        assert_eq!(p.dataset.plans, ds.plans);
    }

    #[test]
    fn new_and_changed_answers_become_facts_sourced_to_the_state_s_answers() {
        let (q, ds) = setup();
        let mut answers = prefill(&q, &ds, "CL");
        answers.insert("plans.changes".into(), Answer::Text("Adds an evaluation chapter.".into()));
        let Some(Answer::Rows(laws)) = answers.get_mut("protection.laws") else { panic!("Chile lists laws") };
        laws.push(
            [
                ("number".to_string(), "20.999".to_string()),
                ("date".into(), "2015-03".into()),
                ("title".into(), "Ley de prueba".into()),
            ]
            .into(),
        );
        let p = project(&q, &answers, &ds, 2015, "CL");
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let plan = p.dataset.plans.iter().find(|x| x.state.as_str() == "CL" && x.last_approved).unwrap();
        assert_eq!(plan.changes_from_previous.as_deref(), Some("Adds an evaluation chapter."));
        assert_eq!(plan.source.doc, "answers-2015-cl");
        let law = p.dataset.laws.iter().find(|l| l.title == "Ley de prueba").expect("the new law");
        assert_eq!((law.number.as_deref(), law.date.map(|d| d.to_string())), (Some("20.999"), Some("2015-03".into())));
        assert!(p.dataset.documents.iter().any(|d| d.id == "answers-2015-cl"));
        assert!(p.dataset.validate().is_empty());
        assert_eq!(p.dataset.laws.len(), ds.laws.len() + 1);
    }

    #[test]
    fn an_answer_the_registry_cannot_hold_is_listed_not_lost() {
        let (q, ds) = setup();
        let mut answers = prefill(&q, &ds, "CL");
        let Some(Answer::Rows(laws)) = answers.get_mut("protection.laws") else { panic!() };
        laws.push([("title".to_string(), "Ley sin fecha válida".to_string()), ("date".into(), "marzo".into())].into());
        let p = project(&q, &answers, &ds, 2015, "CL");
        assert!(p.skipped.iter().any(|s| s.starts_with("added laws")), "{:?}", p.skipped);
        assert_eq!(p.dataset.laws.len(), ds.laws.len());
    }
}
