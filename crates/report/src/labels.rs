//! Generated text in the four working languages, from the workspace's Fluent files
//! (`locales/<lang>/report.ftl` for the report's own sentences, `main.ftl` for the labels it
//! shares with the portal: indicators, plan kinds, answers, focal points).

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, Loader};
use observa_domain::Lang;
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The text of one language.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang: Lang,
}

impl Labels {
    pub fn new(lang: Lang) -> Self {
        Labels { lang }
    }

    fn id(self) -> unic_langid::LanguageIdentifier {
        self.lang.code().parse().expect("valid language identifiers")
    }

    /// The text for `key` (English when the language lacks it; a test checks none do).
    pub fn t(self, key: &str) -> String {
        LOCALES.try_lookup(&self.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with named arguments (numbers stay numbers, for plural rules).
    pub fn f(self, key: &str, args: &[(&str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::N(n) => FluentValue::from(*n as f64),
                    Arg::S(s) => FluentValue::from(s.clone()),
                };
                (Cow::Owned(name.to_string()), value)
            })
            .collect();
        LOCALES.try_lookup_with_args(&self.id(), key, &args).unwrap_or_else(|| key.to_string())
    }

    /// Whether this language's own file has `key`.
    pub fn has(self, key: &str) -> bool {
        LOCALES.lookup_no_default_fallback::<&str>(&self.id(), key, None).is_some()
    }

    /// "Argentina, Chile and Peru" in this language.
    pub fn join(self, items: &[String]) -> String {
        match items {
            [] => "—".to_string(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.t("report-and")),
        }
    }
}

/// A Fluent argument.
#[derive(Debug, Clone)]
pub enum Arg {
    N(usize),
    S(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a Fluent file (lines `id = ...`, not comments or continuations).
    fn keys(ftl: &str) -> std::collections::BTreeSet<&str> {
        ftl.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim())
            .collect()
    }

    #[test]
    fn every_report_key_exists_in_all_four_languages() {
        let english = keys(include_str!("../../../locales/en/report.ftl"));
        assert!(english.len() > 30, "{} keys", english.len());
        for (lang, ftl) in [
            ("es", include_str!("../../../locales/es/report.ftl")),
            ("pt", include_str!("../../../locales/pt/report.ftl")),
            ("fr", include_str!("../../../locales/fr/report.ftl")),
        ] {
            let theirs = keys(ftl);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        }
        // Every message without arguments resolves in its own language (no parse error hides it).
        for lang in Lang::ALL {
            let l = Labels::new(lang);
            for key in ["report-contents", "report-h-methodology", "report-sheet-rio", "report-short-legend"] {
                assert!(l.has(key), "{} lacks {key}", lang.code());
            }
        }
    }

    #[test]
    fn arguments_and_plurals_are_filled_in() {
        let es = Labels::new(Lang::Es);
        let text =
            es.f("report-responses", &[("answered", Arg::N(14)), ("members", Arg::N(35)), ("cycle", Arg::N(2014))]);
        assert!(text.contains("14") && text.contains("35"), "{text}");
        assert_eq!(es.join(&["A".into(), "B".into(), "C".into()]), "A, B y C");
    }
}
