//! Page templates (minijinja), embedded in the binary. `t("key")` in a template gives the
//! interface text in the page's language (the `lang` variable of the context).

use std::fmt::Write;

use minijinja::value::Serde;
use minijinja::{Environment, State, Value};

use crate::i18n::Lang;

/// Any serialisable value as a template value.
pub fn v<T: serde::Serialize>(x: T) -> Value {
    Value::from(Serde(x))
}

pub struct Templates {
    env: Environment<'static>,
}

macro_rules! embed {
    ($env:ident, $($name:literal),* $(,)?) => {
        $( $env.add_template($name, include_str!(concat!("../templates/", $name))).expect($name); )*
    };
}

fn page_lang(state: &State) -> Lang {
    state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::from_code)).unwrap_or(Lang::ALL[0])
}

/// `t("key")`: interface text in the page's language.
fn translate(state: &State, key: &str) -> String {
    page_lang(state).text(key)
}

/// `name_in(record, "name")`: the record's `name_<lang>` field, or its translation map entry.
fn localised(state: &State, record: Value, field: &str) -> Value {
    let lang = page_lang(state).code();
    if let Ok(v) = record.get_attr(&format!("{field}_{lang}")) {
        if !v.is_undefined() {
            return v;
        }
    }
    if let Ok(map) = record.get_attr("translations") {
        if let Ok(v) = map.get_attr(lang) {
            if !v.is_undefined() && !v.is_none() {
                return v;
            }
        }
    }
    Value::UNDEFINED
}

/// What a page in one language shows untranslated, looked up in the snapshot read in that
/// language (`Snapshot::untranslated`) without copying anything into the context.
pub struct Untranslated(pub std::sync::Arc<crate::Snapshot>);

impl std::fmt::Debug for Untranslated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Untranslated({:?})", self.0.lang)
    }
}

impl minijinja::value::Object for Untranslated {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        self.0.untranslated(key.as_str()?).map(|lang| Value::from(lang.code()))
    }
}

/// `orig("plans/<id>/summary", plan.summary)`: after a text shown as written because it has no
/// translation into the page's language yet, a mark naming the language it is written in;
/// nothing when it is translated, or when the text (if given) is empty.
fn original_language(state: &State, key: &str, text: Option<Value>) -> Value {
    if text.is_some_and(|t| t.is_undefined() || t.is_none() || t.as_str().is_some_and(str::is_empty)) {
        return Value::from("");
    }
    let Some(code) =
        state.lookup("untranslated").and_then(|u| u.get_item(&Value::from(key)).ok()).filter(|c| !c.is_undefined())
    else {
        return Value::from("");
    };
    let title = page_lang(state).text("text-not-translated");
    let code = code.to_string();
    let html = format!(
        r#" <small class="orig" title="{}">[{}]</small>"#,
        title.replace('"', "&quot;"),
        code.replace(['<', '>', '"', '&'], "")
    );
    Value::from_safe_string(html)
}

/// HTML escaping of `& < > " '`. minijinja's default also escapes `/`, which is safe but turns
/// every interpolated path into `&#x2f;` soup in the page source.
fn escape_without_slashes(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if *state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
        if let Some(s) = value.as_str() {
            for c in s.chars() {
                match c {
                    '&' => out.write_str("&amp;"),
                    '<' => out.write_str("&lt;"),
                    '>' => out.write_str("&gt;"),
                    '"' => out.write_str("&quot;"),
                    '\'' => out.write_str("&#39;"),
                    c => out.write_char(c),
                }
                .map_err(|_| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "writing the page"))?;
            }
            return Ok(());
        }
    }
    minijinja::escape_formatter(out, state, value)
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        embed!(
            env,
            "base.html",
            "report.html",
            "login.html",
            "account.html",
            "password.html",
            "editorial.html",
            "editorial_conflict.html",
            "editorial_swot.html",
            "editorial_rio.html",
            "response.html",
            "response_conflict.html",
            "cycle_status.html",
            "cycles.html",
            "review.html",
            "translations.html",
            "monitoring.html",
            "monitoring_plan.html",
            "monitoring_review.html",
            "mail_status.html",
            "reporting.html",
            "matrix_report.html",
            "report_entry.html",
            "design.html",
            "design_draft.html",
            "matrix_form.html",
            "admin_audit.html",
            "admin_accounts.html",
            "reset.html",
            "totp.html",
            "tokens.html",
            "workbook_report.html",
            "error.html",
            "home.html",
            "states.html",
            "state.html",
            "plan.html",
            "body.html",
            "changes.html",
            "agencies.html",
            "agency.html",
            "treaties.html",
            "sources.html",
            "search.html",
            "downloads.html",
            "analysis.html",
            "analysis_status.html",
            "analysis_comparison.html",
            "analysis_swot.html",
            "analysis_timeline.html",
            "analysis_rio.html",
            "timeline.html",
        );
        env.set_formatter(escape_without_slashes);
        env.add_function("t", translate);
        env.add_function("localised", localised);
        env.add_function("orig", original_language);
        Templates { env }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}
