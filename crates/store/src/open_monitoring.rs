//! Plan monitoring as open-data tables, engine-neutral (read through [`MonitoringStore`]): the
//! matrices' actions and indicators, every reporting period with its due date, and the approved
//! values (only approved values are public: drafts, submitted and returned reports never appear).

use crate::{MonitoringStore, Result, Table};

/// The four monitoring tables, plans in id order.
pub fn monitoring_tables(store: &dyn MonitoringStore) -> Result<Vec<Table>> {
    let mut actions = table(
        "monitoring_actions",
        &[
            ("plan", "TEXT"),
            ("state", "TEXT"),
            ("action", "TEXT"),
            ("objective", "TEXT"),
            ("line", "TEXT"),
            ("title", "TEXT"),
            ("lead", "TEXT"),
            ("partners", "TEXT"),
            ("start", "TEXT"),
            ("target", "TEXT"),
            ("status", "TEXT"),
            ("resources", "TEXT"),
            ("source", "TEXT"),
        ],
    );
    let mut indicators = table(
        "monitoring_indicators",
        &[
            ("plan", "TEXT"),
            ("state", "TEXT"),
            ("indicator", "TEXT"),
            ("name", "TEXT"),
            ("kind", "TEXT"),
            ("unit", "TEXT"),
            ("objective", "TEXT"),
            ("action", "TEXT"),
            ("focal_points", "TEXT"),
            ("baseline", "NUMBER"),
            ("baseline_date", "TEXT"),
            ("target", "NUMBER"),
            ("target_date", "TEXT"),
            ("direction", "TEXT"),
            ("frequency", "TEXT"),
            ("starts", "TEXT"),
            ("data_source", "TEXT"),
            ("disaggregation", "TEXT"),
        ],
    );
    let mut periods = table(
        "monitoring_periods",
        &[("plan", "TEXT"), ("state", "TEXT"), ("indicator", "TEXT"), ("start", "TEXT"), ("due", "TEXT")],
    );
    let mut values = table(
        "monitoring_values",
        &[
            ("plan", "TEXT"),
            ("state", "TEXT"),
            ("indicator", "TEXT"),
            ("period", "TEXT"),
            ("period_end", "TEXT"),
            ("value", "NUMBER"),
            ("no_data", "TEXT"),
            ("late", "BOOLEAN"),
        ],
    );
    let text = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let mut matrices = store.matrices()?;
    matrices.sort_by(|a, b| a.1.plan.cmp(&b.1.plan));
    for (state, m) in &matrices {
        let head = |rest: Vec<Option<String>>| {
            let mut row = vec![Some(m.plan.clone()), Some(state.clone())];
            row.extend(rest);
            row
        };
        for o in &m.objectives {
            for line in &o.lines {
                for a in &line.actions {
                    actions.rows.push(head(vec![
                        Some(a.id.clone()),
                        Some(o.id.clone()),
                        Some(line.id.clone()),
                        text(&a.title),
                        a.lead.clone(),
                        text(&a.partners.join(", ")),
                        a.start.map(|d| d.to_string()),
                        a.target.map(|d| d.to_string()),
                        Some(a.status.code().to_string()),
                        a.resources.clone(),
                        text(&a.source),
                    ]));
                }
            }
        }
        for p in m.indicators() {
            let i = p.indicator;
            let focal: Vec<String> = p.focal_points().iter().map(|f| f.number().to_string()).collect();
            let number = |x: Option<f64>| x.map(|v| v.to_string());
            indicators.rows.push(head(vec![
                Some(i.id.clone()),
                text(&i.name),
                Some(code(&i.kind)),
                text(&i.unit),
                Some(p.objective.id.clone()),
                p.action.map(|a| a.id.clone()),
                text(&focal.join(", ")),
                number(i.baseline.map(|b| b.value)),
                i.baseline.map(|b| b.date.to_string()),
                number(i.target.map(|t| t.value)),
                i.target.map(|t| t.date.to_string()),
                Some(code(&i.direction)),
                Some(i.frequency.code().to_string()),
                Some(i.starts.to_string()),
                text(&i.data_source),
                text(&i.disaggregation.iter().map(code).collect::<Vec<_>>().join(", ")),
            ]));
        }
        for p in store.periods(&m.plan)? {
            periods.rows.push(head(vec![
                Some(p.indicator.clone()),
                Some(p.start.to_string()),
                Some(p.end.to_string()),
            ]));
        }
        for r in store.progress(&m.plan)?.into_iter().filter(|r| r.approved()) {
            values.rows.push(head(vec![
                Some(r.key.indicator.clone()),
                Some(r.key.period.to_string()),
                Some(r.period_end.to_string()),
                r.value.map(|v| v.to_string()),
                r.no_data.clone(),
                Some(if r.late { "1" } else { "0" }.into()),
            ]));
        }
    }
    Ok(vec![actions, indicators, periods, values])
}

fn table(name: &str, columns: &[(&str, &str)]) -> Table {
    Table {
        name: name.into(),
        columns: columns.iter().map(|(c, _)| c.to_string()).collect(),
        types: columns.iter().map(|(_, t)| t.to_string()).collect(),
        rows: vec![],
    }
}

/// The kebab-case code of a monitoring enum, as the API writes it.
fn code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
