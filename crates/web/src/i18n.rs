//! The four working languages: the URL prefix (`/es/...`), negotiation from `Accept-Language`,
//! and interface text from Fluent files under the workspace's `locales/<lang>/` (shared with the report).

use fluent_templates::{static_loader, Loader};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A portal language (the domain's `Lang`, with web concerns attached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lang(pub observa_domain::Lang);

impl Lang {
    pub const ALL: [Lang; 4] = [
        Lang(observa_domain::Lang::En),
        Lang(observa_domain::Lang::Es),
        Lang(observa_domain::Lang::Pt),
        Lang(observa_domain::Lang::Fr),
    ];

    pub fn code(self) -> &'static str {
        self.0.code()
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The best language for an `Accept-Language` header; English when nothing matches.
    pub fn negotiate(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang(observa_domain::Lang::En);
        };
        let mut choices: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.trim().split(';');
                let tag = bits.next()?.trim().to_ascii_lowercase();
                let q =
                    bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                Lang::from_code(tag.split('-').next()?).map(|l| (q, l))
            })
            .collect();
        choices.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        choices.first().map(|c| c.1).unwrap_or(Lang(observa_domain::Lang::En))
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().expect("valid language identifiers")
    }

    /// The interface text for `key`; the key itself if no language has it (a test checks that
    /// every key exists in all four files).
    pub fn text(self, key: &str) -> String {
        LOCALES.try_lookup(&self.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// Whether this language's own file (not the English fallback) has the key.
    pub fn has(self, key: &str) -> bool {
        LOCALES.lookup_no_default_fallback::<&str>(&self.id(), key, None).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::negotiate(Some("es-CL,es;q=0.9,en;q=0.8")).code(), "es");
        assert_eq!(Lang::negotiate(Some("de-DE,fr;q=0.5,pt;q=0.7")).code(), "pt");
        assert_eq!(Lang::negotiate(Some("de")).code(), "en");
        assert_eq!(Lang::negotiate(None).code(), "en");
        assert_eq!(Lang::negotiate(Some(";;,q=")).code(), "en");
    }

    #[test]
    fn every_interface_key_exists_in_all_four_languages() {
        let english = include_str!("../../../locales/en/main.ftl");
        let keys: Vec<&str> = english
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim())
            .collect();
        assert!(keys.len() > 40, "{} keys", keys.len());
        for lang in Lang::ALL {
            let missing: Vec<&&str> = keys.iter().filter(|k| !lang.has(k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
        }
        assert_ne!(
            Lang::from_code("es").unwrap().text("nav-states"),
            Lang::from_code("en").unwrap().text("nav-states")
        );
    }
}
