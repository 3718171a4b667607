//! The forms that edit an action matrix item by item, for every page that edits one (a plan in
//! design, a plan's own matrix): [`parse`] reads a posted form into a `domain::monitoring::edit`
//! [`Edit`], and `templates/matrix_form.html` is the include that shows the matrix with its forms
//! (it takes `matrix`, `version`, `csrf`, `target`, the URL the forms post to, and `orgs`, the
//! organisations a lead or partner may be, from [`organisations`]).
//!
//! The body is read as a list of pairs (`Form<Vec<(String, String)>>`) because focal points and
//! partners repeat their field name. Errors name the field, in English, like the domain's.

use chrono::NaiveDate;
use minijinja::{context, Value};
use observa_domain::facts::FocalPoint;
use observa_domain::monitoring::edit::{ActionFields, Edit};
use observa_domain::monitoring::{Direction, Disaggregation, Frequency, Indicator, IndicatorKind, Point};
use observa_domain::{Dataset, PartialDate};

/// The first value of `name` in the form, trimmed ("" when absent).
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

/// Every value of a repeated field.
fn all<'a>(form: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    form.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim()).collect()
}

/// The form's version (`version`), 0 when absent; an unreadable one is an error.
pub fn version(form: &[(String, String)]) -> Result<i64, String> {
    match field(form, "version") {
        "" => Ok(0),
        v => v.parse().map_err(|_| format!("version: `{}` is not a number", shown(v))),
    }
}

/// A posted matrix form's version and edit, a refusal worded with `key` (the page's "not saved"
/// message) naming the field when either cannot be read.
pub fn version_and_edit(
    form: &[(String, String)],
    key: &'static str,
    l: crate::Lang,
) -> Result<(i64, Option<Edit>), crate::WebError> {
    let refused =
        |detail: String| crate::WebError::workflow(observa_workflow::WorkflowError::Invalid { key, detail }, l);
    Ok((version(form).map_err(refused)?, parse(form).map_err(refused)?))
}

/// The edit a matrix form asks for (`op`), or `None` when `op` is not a matrix edit (a page's
/// own operation, such as renaming a draft).
pub fn parse(form: &[(String, String)]) -> Result<Option<Edit>, String> {
    let f = |name: &str| field(form, name).to_string();
    Ok(Some(match field(form, "op") {
        "add-objective" => Edit::AddObjective { id: f("id"), title: f("title") },
        "add-line" => {
            let focal_points =
                all(form, "focal_point").into_iter().map(focal_point).collect::<Result<Vec<_>, String>>()?;
            Edit::AddLine { objective: f("objective"), id: f("id"), title: f("title"), focal_points }
        }
        "add-action" => Edit::AddAction { line: f("line"), id: f("id"), fields: action(form)? },
        "set-action" => Edit::SetAction { action: f("action"), fields: action(form)? },
        "add-indicator" => Edit::AddIndicator { under: f("under"), indicator: indicator(form)? },
        "retitle" => Edit::Retitle { id: f("id"), title: f("title") },
        "remove" => Edit::Remove { id: f("id") },
        _ => return Ok(None),
    }))
}

fn action(form: &[(String, String)]) -> Result<ActionFields, String> {
    let resources = field(form, "resources");
    Ok(ActionFields {
        title: field(form, "title").into(),
        lead: Some(field(form, "lead")).filter(|l| !l.is_empty()).map(String::from),
        partners: all(form, "partners").into_iter().map(String::from).collect(),
        start: partial(form, "start")?,
        target: partial(form, "target")?,
        resources: Some(resources).filter(|r| !r.is_empty()).map(String::from),
    })
}

fn indicator(form: &[(String, String)]) -> Result<Indicator, String> {
    let kind = match field(form, "kind") {
        "outcome" => IndicatorKind::Outcome,
        "process" | "" => IndicatorKind::Process,
        other => return Err(format!("kind: `{}` is neither process nor outcome", shown(other))),
    };
    let direction = match field(form, "direction") {
        "down" => Direction::Down,
        "up" | "" => Direction::Up,
        other => return Err(format!("direction: `{}` is neither up nor down", shown(other))),
    };
    let frequency = Frequency::parse(field(form, "frequency"))
        .ok_or_else(|| format!("frequency: `{}` is not a reporting frequency", shown(field(form, "frequency"))))?;
    let starts = day(form, "starts")?.ok_or("starts: the first period's first day is required")?;
    Ok(Indicator {
        id: field(form, "id").into(),
        name: field(form, "name").into(),
        kind,
        unit: field(form, "unit").into(),
        baseline: point(form, "baseline")?,
        target: point(form, "target")?,
        direction,
        frequency,
        starts,
        data_source: field(form, "data_source").into(),
        disaggregation: if field(form, "sex").is_empty() { vec![] } else { vec![Disaggregation::Sex] },
    })
}

/// A baseline or target: `<name>_value` and `<name>_date`, both or neither.
fn point(form: &[(String, String)], name: &str) -> Result<Option<Point>, String> {
    let value = field(form, &format!("{name}_value"));
    let date = day(form, &format!("{name}_date"))?;
    match (value, date) {
        ("", None) => Ok(None),
        ("", Some(_)) | (_, None) => Err(format!("{name}: give both a value and a date, or neither")),
        (v, Some(date)) => {
            let value: f64 = v
                .replace(',', ".")
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| format!("{name}_value: `{}` is not a number", shown(v)))?;
            Ok(Some(Point { value, date }))
        }
    }
}

fn day(form: &[(String, String)], name: &str) -> Result<Option<NaiveDate>, String> {
    match field(form, name) {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| format!("{name}: `{}` is not a date YYYY-MM-DD", shown(v))),
    }
}

fn partial(form: &[(String, String)], name: &str) -> Result<Option<PartialDate>, String> {
    match field(form, name) {
        "" => Ok(None),
        v => {
            v.parse().map(Some).map_err(|_| format!("{name}: `{}` is not a date YYYY, YYYY-MM or YYYY-MM-DD", shown(v)))
        }
    }
}

fn focal_point(code: &str) -> Result<FocalPoint, String> {
    serde_json::from_value(code.into()).map_err(|_| format!("focal_point: `{}` is not a focal point", shown(code)))
}

fn shown(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(60).collect()
}

/// The organisations an action of `state` may name: the State's own and the international ones,
/// by name.
pub fn organisations(registry: &Dataset, state: &str) -> Vec<Value> {
    let mut orgs: Vec<_> = registry
        .organisations
        .iter()
        .filter(|o| o.state.as_ref().is_none_or(|s| s.as_str() == state))
        .map(|o| (o.name.clone(), o.id.clone()))
        .collect();
    orgs.sort();
    orgs.into_iter().map(|(name, id)| context! { id, name }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_line_with_repeated_focal_points_and_an_indicator_are_read() {
        let line = form(&[
            ("op", "add-line"),
            ("objective", "o1"),
            ("title", "Care"),
            ("focal_point", "recovery"),
            ("focal_point", "protection"),
        ]);
        let Some(Edit::AddLine { focal_points, .. }) = parse(&line).unwrap() else { panic!() };
        assert_eq!(focal_points, [FocalPoint::Recovery, FocalPoint::Protection]);
        let i = form(&[
            ("op", "add-indicator"),
            ("under", "a1"),
            ("name", "Shelters"),
            ("unit", "shelters"),
            ("frequency", "yearly"),
            ("starts", "2026-01-01"),
            ("baseline_value", "2,5"),
            ("baseline_date", "2026-01-01"),
            ("sex", "1"),
        ]);
        let Some(Edit::AddIndicator { indicator, .. }) = parse(&i).unwrap() else { panic!() };
        assert_eq!(
            (indicator.baseline.map(|b| b.value), indicator.disaggregation),
            (Some(2.5), vec![Disaggregation::Sex])
        );
    }

    #[test]
    fn unreadable_fields_are_named() {
        let bad = form(&[("op", "add-action"), ("line", "l1"), ("title", "x"), ("start", "soon")]);
        assert_eq!(parse(&bad).unwrap_err(), "start: `soon` is not a date YYYY, YYYY-MM or YYYY-MM-DD");
        let bad =
            form(&[("op", "add-indicator"), ("frequency", "yearly"), ("starts", "2026-01-01"), ("target_value", "3")]);
        assert_eq!(parse(&bad).unwrap_err(), "target: give both a value and a date, or neither");
        assert_eq!(parse(&form(&[("op", "rename")])), Ok(None));
    }
}
