//! The notes the data loader writes itself, in the four languages: when a printed cell of the
//! report's appendices is read by a rule (a two-digit year, a Spanish month name, a printed
//! State name), the [`crate::source::Correction`] it records says why in English; here each
//! note's wording is given in Spanish, Portuguese and French, so these corrections are
//! translated like the curators' own. A note this module does not know is left untranslated,
//! and `observa check` reports it.

use crate::translation::{Text, Translation};
use crate::{Dataset, Lang};

/// `note` (one of the loader's wordings) in `lang`.
fn note_in(note: &str, lang: Lang) -> Option<String> {
    let between = |text: &str, start: &str, end: &str| -> Option<String> {
        text.strip_prefix(start)?.strip_suffix(end).map(str::to_string)
    };
    let words = |en: &str, es: &str, pt: &str, fr: &str| {
        match lang {
            Lang::En => en,
            Lang::Es => es,
            Lang::Pt => pt,
            Lang::Fr => fr,
        }
        .to_string()
    };
    if note == "doubled full stop after the row number" {
        return Some(words(
            note,
            "punto repetido después del número de fila",
            "ponto repetido depois do número da linha",
            "point doublé après le numéro de ligne",
        ));
    }
    if note == "accession mark `a` is kept in Appendix 3's status, not in the date" {
        return Some(words(
            note,
            "la marca de adhesión `a` se conserva en la situación del Apéndice 3, no en la fecha",
            "a marca de adesão `a` é mantida na situação do Apêndice 3, não na data",
            "la marque d'adhésion `a` est conservée dans le statut de l'annexe 3, pas dans la date",
        ));
    }
    if let Some(en) = between(note, "printed under its name in another language; the English name is `", "`") {
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("impreso con su nombre en otro idioma; el nombre en inglés es `{en}`"),
            Lang::Pt => format!("impresso com o nome em outro idioma; o nome em inglês é `{en}`"),
            Lang::Fr => format!("imprimé sous son nom dans une autre langue ; le nom anglais est `{en}`"),
        });
    }
    if let Some(who) = note.strip_prefix("printed name is misspelt or half-translated; identified as ") {
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("nombre impreso con errores o a medio traducir; identificado como {who}"),
            Lang::Pt => format!("nome impresso com erros ou meio traduzido; identificado como {who}"),
            Lang::Fr => format!("nom imprimé avec des fautes ou à moitié traduit ; identifié comme {who}"),
        });
    }
    if let Some((text, year)) = note.strip_prefix("two-digit year in `").and_then(|r| r.split_once("` read as ")) {
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("año de dos cifras en `{text}` leído como {year}"),
            Lang::Pt => format!("ano de dois dígitos em `{text}` lido como {year}"),
            Lang::Fr => format!("année à deux chiffres dans `{text}` lue comme {year}"),
        });
    }
    if let Some((word, text)) =
        note.strip_prefix("dropped the word `").and_then(|r| r.strip_suffix('`')).and_then(|r| r.split_once("` in `"))
    {
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("se omitió la palabra `{word}` en `{text}`"),
            Lang::Pt => format!("a palavra `{word}` foi omitida em `{text}`"),
            Lang::Fr => format!("le mot `{word}` a été omis dans `{text}`"),
        });
    }
    if let Some((month, rest)) = note.strip_prefix("month `").and_then(|r| r.split_once("` in `")) {
        let (text, rest) = rest.split_once("` is ")?;
        let (language, number) = rest.split_once(", read as month ")?;
        let language = Lang::ALL.into_iter().find(|l| l.code() == language)?;
        let name = |l: Lang| match (lang, l) {
            (Lang::Es, Lang::Es) => "español",
            (Lang::Es, Lang::Pt) => "portugués",
            (Lang::Es, Lang::Fr) => "francés",
            (Lang::Pt, Lang::Es) => "espanhol",
            (Lang::Pt, Lang::Pt) => "português",
            (Lang::Pt, Lang::Fr) => "francês",
            (Lang::Fr, Lang::Es) => "espagnol",
            (Lang::Fr, Lang::Pt) => "portugais",
            (Lang::Fr, Lang::Fr) => "français",
            _ => l.code(),
        };
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("el mes `{month}` de `{text}` está en {}, leído como mes {number}", name(language)),
            Lang::Pt => format!("o mês `{month}` em `{text}` está em {}, lido como mês {number}", name(language)),
            Lang::Fr => format!("le mois `{month}` dans `{text}` est en {}, lu comme le mois {number}", name(language)),
        });
    }
    if let Some((text, status)) =
        note.strip_prefix("the mark in `").and_then(|r| r.split_once("` is glued to the date; read as "))
    {
        return Some(match lang {
            Lang::En => note.to_string(),
            Lang::Es => format!("la marca de `{text}` está pegada a la fecha; leída como {status}"),
            Lang::Pt => format!("a marca em `{text}` está colada à data; lida como {status}"),
            Lang::Fr => format!("la marque dans `{text}` est collée à la date ; lue comme {status}"),
        });
    }
    None
}

/// A correction's reason (notes joined by "; ") in `lang`, when every note is one of the
/// loader's wordings.
pub fn why_in(why: &str, lang: Lang) -> Option<String> {
    // Some wordings hold "; " themselves: a piece that is no wording is read with the next.
    let mut out = Vec::new();
    let mut piece = String::new();
    for part in why.split("; ") {
        if !piece.is_empty() {
            piece.push_str("; ");
        }
        piece.push_str(part);
        if let Some(text) = note_in(&piece, lang) {
            out.push(text);
            piece.clear();
        }
    }
    piece.is_empty().then(|| out.join("; "))
}

/// Gives every correction the loader made, whose reason has no translation from the data files,
/// its reason in the other languages.
pub(crate) fn translate_generated(ds: &mut Dataset) {
    let held: std::collections::BTreeSet<String> = ds.translations.iter().map(|t| t.id.clone()).collect();
    let mut made = Vec::new();
    for c in &ds.corrections {
        let id = format!("corrections/{}/why", c.id);
        if held.contains(&id) {
            continue;
        }
        let texts: Option<std::collections::BTreeMap<Lang, Text>> =
            [Lang::Es, Lang::Pt, Lang::Fr].into_iter().map(|l| why_in(&c.why, l).map(|t| (l, Text::One(t)))).collect();
        if let Some(texts) = texts {
            made.push(Translation {
                id,
                of_table: "corrections".into(),
                record: c.id.clone(),
                field: "why".into(),
                written_in: Lang::En,
                official: None,
                texts,
                made_by: Default::default(),
                note: Some("Made with the correction: the reading rule's wording in each language.".into()),
            });
        }
    }
    ds.translations.extend(made);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_of_the_loader_s_wordings_reads_in_every_language_and_an_unknown_one_in_none() {
        let why = "two-digit year in `8/5/02` read as 2002; month `mayo` in `8 Mayo 2004` is es, read as month 5";
        assert_eq!(
            why_in(why, Lang::Es).as_deref(),
            Some("año de dos cifras en `8/5/02` leído como 2002; el mes `mayo` de `8 Mayo 2004` está en español, leído como mes 5")
        );
        assert_eq!(why_in(why, Lang::En).as_deref(), Some(why));
        assert!(why_in("printed name is misspelt or half-translated; identified as Saint Lucia (LC)", Lang::Fr)
            .is_some_and(|t| t.contains("identifié comme Saint Lucia (LC)")));
        assert_eq!(why_in("a curator's own reason", Lang::Pt), None);
    }
}
