//! Widening a query with the field's multilingual thesaurus (`data/search/thesaurus.toml`): each run
//! of the query's words that is a term of a concept also matches the concept's terms in every
//! language (each looked for in its own language's stemmed text), each weighted [`WEIGHT`] of
//! the words typed, so that "ley" finds a law that has no
//! Spanish text yet, without letting the widened terms outrank what was typed.
//!
//! A query that uses the search syntax itself (quotes, brackets, `AND`/`OR`, `+`/`-`, `^`, a
//! field name) is left as it is: its author said exactly what they want.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// How much a term from the thesaurus weighs against a word typed (1).
pub const WEIGHT: f32 = 0.3;

/// The longest term, in words.
const LONGEST: usize = 5;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    pub en: Vec<String>,
    pub es: Vec<String>,
    pub pt: Vec<String>,
    pub fr: Vec<String>,
}

impl Concept {
    pub fn terms(&self) -> impl Iterator<Item = &String> {
        self.en.iter().chain(&self.es).chain(&self.pt).chain(&self.fr)
    }

    /// Each term with its language's code.
    fn terms_by_language(&self) -> impl Iterator<Item = (&'static str, &String)> {
        self.en
            .iter()
            .map(|t| ("en", t))
            .chain(self.es.iter().map(|t| ("es", t)))
            .chain(self.pt.iter().map(|t| ("pt", t)))
            .chain(self.fr.iter().map(|t| ("fr", t)))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    concept: Vec<Concept>,
}

pub struct Thesaurus {
    pub concepts: Vec<Concept>,
    /// A term's words, folded → its concept.
    by_term: HashMap<String, usize>,
}

/// The bundled thesaurus, read once.
pub fn bundled() -> &'static Thesaurus {
    static THESAURUS: OnceLock<Thesaurus> = OnceLock::new();
    THESAURUS.get_or_init(|| {
        Thesaurus::parse(include_str!("../../../../data/search/thesaurus.toml")).expect("the bundled thesaurus reads")
    })
}

impl Thesaurus {
    pub fn parse(text: &str) -> Result<Thesaurus, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("data/search/thesaurus.toml: {e}"))?;
        let mut by_term = HashMap::new();
        for (i, c) in file.concept.iter().enumerate() {
            for term in c.terms() {
                by_term.entry(fold(term)).or_insert(i);
            }
        }
        Ok(Thesaurus { concepts: file.concept, by_term })
    }

    /// The query with every run of words that names a concept widened to its other terms.
    pub fn expand(&self, q: &str) -> String {
        if q.chars().any(|c| "\"()[]{}^:+-~*".contains(c))
            || q.split_whitespace().any(|w| ["AND", "OR", "NOT"].contains(&w))
        {
            return q.to_string();
        }
        let words: Vec<&str> = q.split_whitespace().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let found = (1..=LONGEST.min(words.len() - i))
                .rev()
                .find_map(|n| self.by_term.get(&fold(&words[i..i + n].join(" "))).map(|c| (n, *c)));
            match found {
                Some((n, concept)) => {
                    let typed = words[i..i + n].join(" AND ");
                    let typed_folded = fold(&words[i..i + n].join(" "));
                    let mut alternatives = vec![format!("({typed})")];
                    let mut seen = vec![typed_folded];
                    for (code, term) in self.concepts[concept].terms_by_language() {
                        let folded = fold(term);
                        if !seen.contains(&folded) {
                            // Looked for in its own language's text only (stemmed in it): one
                            // field instead of five keeps a widened query cheap.
                            alternatives.push(format!("text_{code}:\"{}\"^{WEIGHT}", term.replace('"', "")));
                            seen.push(folded);
                        }
                    }
                    out.push(format!("({})", alternatives.join(" OR ")));
                    i += n;
                }
                None => {
                    out.push(words[i].to_string());
                    i += 1;
                }
            }
        }
        out.join(" ")
    }
}

/// The bundled thesaurus's widening of `q`.
pub fn expand(q: &str) -> String {
    bundled().expand(q)
}

/// A term as compared: lower case, accents folded, punctuation between words dropped.
pub fn fold(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[concept]]
id = "law"
en = ["law"]
es = ["ley"]
pt = ["lei"]
fr = ["loi"]

[[concept]]
id = "sexual-exploitation"
en = ["sexual exploitation"]
es = ["explotación sexual"]
pt = ["exploração sexual"]
fr = ["exploitation sexuelle"]
"#;

    #[test]
    fn a_run_of_words_naming_a_concept_is_widened_to_its_other_terms_weighted_below_the_typed_words() {
        let t = Thesaurus::parse(SMALL).unwrap();
        assert_eq!(
            t.expand("Ley 26.364"),
            r#"((Ley) OR text_en:"law"^0.3 OR text_pt:"lei"^0.3 OR text_fr:"loi"^0.3) 26.364"#
        );
        let widened = t.expand("explotacion sexual infantil");
        assert!(widened.starts_with(r#"((explotacion AND sexual) OR text_en:"sexual exploitation"^0.3"#), "{widened}");
        assert!(widened.ends_with(" infantil"), "{widened}");
        assert_eq!(t.expand("\"ley\" OR law"), "\"ley\" OR law", "the search syntax is left alone");
        assert_eq!(t.expand("ministerio"), "ministerio");
    }

    #[test]
    fn the_bundled_thesaurus_reads_and_is_large_enough() {
        let t = bundled();
        assert!(t.concepts.len() >= 300, "{} concepts", t.concepts.len());
        for c in &t.concepts {
            assert!(![&c.en, &c.es, &c.pt, &c.fr].iter().any(|terms| terms.is_empty()), "{} has every language", c.id);
        }
    }
}
