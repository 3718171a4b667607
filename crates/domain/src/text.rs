//! The one text policy for everything people and files put into Observa: answers (form, autosave,
//! workbook, API), imports and data files. Text that every writer downstream can carry (HTML,
//! CSV, XLSX, DOCX, PDF, JSON) is refused at the edge rather than repaired later.
//!
//! Three kinds, each with a length limit in characters (Unicode scalar values):
//!
//! | kind    | limit  | line breaks and tabs | used for                                             |
//! |---------|--------|----------------------|------------------------------------------------------|
//! | `Name`  | 1,000  | no                   | names, titles, ids, codes, dates, options, periods   |
//! | `Short` | 2,000  | yes                  | short-text answers and list items                    |
//! | `Long`  | 16,000 | yes                  | narratives: long-text answers, registry descriptions |
//!
//! 16,000 characters are at most 32,000 UTF-16 units, so any single text fits a spreadsheet cell
//! (32,767) even when written out whole. Refused everywhere, whatever the kind:
//! - C0 control characters (U+0000–U+001F) except tab, line feed and carriage return, which are
//!   allowed only where line breaks are (CR because Windows clients send CRLF);
//! - DEL (U+007F) and the C1 controls (U+0080–U+009F);
//! - the line and paragraph separators U+2028 and U+2029 (they break lines in JavaScript and in
//!   some readers but not in others);
//! - the bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069
//!   (they make text display in another order than it is stored);
//! - U+FEFF (a byte-order mark inside text) and the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF.
//!
//! Zero-width joiners, soft hyphens and other format characters that languages and emoji need
//! are allowed.
//!
//! Answers are checked by [`crate::consultation::check`] (by question type), registry records by
//! [`crate::Dataset::validate`] through [`check_record`] (by field name).

use std::fmt;

/// Which limits a text field has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Short,
    Long,
}

impl Kind {
    /// The most characters this kind of text may have.
    pub const fn max_chars(self) -> usize {
        match self {
            Kind::Name => 1_000,
            Kind::Short => 2_000,
            Kind::Long => 16_000,
        }
    }

    /// Whether line breaks and tabs are allowed.
    pub const fn multiline(self) -> bool {
        !matches!(self, Kind::Name)
    }
}

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    TooLong {
        chars: usize,
        max: usize,
    },
    /// A character that is not allowed, and its position (1-based, in characters).
    Character {
        ch: char,
        position: usize,
    },
}

impl Problem {
    /// The issue code the interface keys its text by (`issue-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::TooLong { .. } => "too-long",
            Problem::Character { .. } => "bad-character",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::TooLong { chars, max } => write!(f, "{chars} characters; at most {max}"),
            Problem::Character { ch, position } => {
                write!(f, "character U+{:04X} ({}) at position {position} is not allowed", *ch as u32, describe(*ch))
            }
        }
    }
}

fn describe(ch: char) -> &'static str {
    match ch {
        '\t' | '\n' | '\r' => "a line break or tab, in a one-line field",
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => "a control character",
        '\u{2028}' | '\u{2029}' => "a line or paragraph separator",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "a bidirectional control",
        _ => "an invisible or non-character code point",
    }
}

/// Whether `ch` may appear in text of `kind`.
pub fn allowed(ch: char, kind: Kind) -> bool {
    let c = ch as u32;
    match ch {
        '\t' | '\n' | '\r' => kind.multiline(),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' => false,
        '\u{fdd0}'..='\u{fdef}' => false,
        _ => c & 0xfffe != 0xfffe,
    }
}

/// Checks one text against the policy: the first bad character, or else the length.
pub fn check(text: &str, kind: Kind) -> Result<(), Problem> {
    if let Some((i, ch)) = text.chars().enumerate().find(|(_, ch)| !allowed(*ch, kind)) {
        return Err(Problem::Character { ch, position: i + 1 });
    }
    // Counting stops one past the limit: a 20 MB text costs no more than a long one.
    let chars = text.chars().take(kind.max_chars() + 1).count();
    if chars > kind.max_chars() {
        return Err(Problem::TooLong { chars: text.chars().count(), max: kind.max_chars() });
    }
    Ok(())
}

/// Fields whose text is a name, a title, an id or a code: one line, [`Kind::Name`]'s limit.
/// Every other text field is a narrative ([`Kind::Long`]).
const NAME_FIELDS: &[&str] = &[
    "id",
    "code",
    "state",
    "name",
    "name_en",
    "name_es",
    "name_pt",
    "name_fr",
    "title",
    "acronym",
    "number",
    "aliases",
    "publisher",
    "label",
    "doc",
    "section",
    "table",
    "plan",
    "plans",
    "body",
    "organisation",
    "organisations",
    "treaty",
    "amends",
    "url",
    "link",
    "lang",
    "kind",
    "translations",
];

/// How a record is named in a problem: its id or code (or State and treaty), shown safely.
fn record_name(index: usize, record: &serde_json::Value) -> String {
    let field = |k: &str| {
        record.get(k).and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
    };
    let name = match (field("id").or_else(|| field("code")), field("state"), field("treaty")) {
        (Some(id), _, _) if !id.is_empty() => id,
        (_, Some(state), Some(treaty)) => {
            [Some(state), Some(treaty), field("sequence")].into_iter().flatten().collect::<Vec<_>>().join("/")
        }
        _ => format!("#{}", index + 1),
    };
    let shown: String = name.chars().filter(|c| allowed(*c, Kind::Name)).take(80).collect();
    if shown.chars().count() < name.chars().count() {
        format!("{shown}… (record {})", index + 1)
    } else {
        shown
    }
}

/// Checks every text of one record (as JSON) against the policy: the fields of [`NAME_FIELDS`] as
/// names, every other as a narrative; `report` gets `table.record.field` and the problem.
pub(crate) fn check_record(
    table: &str,
    index: usize,
    record: &serde_json::Value,
    report: &mut impl FnMut(String, String),
) {
    let place = format!("{table}.{}", record_name(index, record));
    let mut walk_report = |field: &str, problem: Problem| report(format!("{place}.{field}"), problem.to_string());
    walk(record, "", Kind::Long, &mut walk_report);
}

/// Checks every string under `value`; `path` is the field as `a.b[2]`, `kind` what it inherits.
fn walk(value: &serde_json::Value, path: &str, kind: Kind, report: &mut impl FnMut(&str, Problem)) {
    match value {
        serde_json::Value::String(s) => {
            if let Err(problem) = check(s, kind) {
                report(path, problem);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), kind, report);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                let inner =
                    if kind == Kind::Name || NAME_FIELDS.contains(&key.as_str()) { Kind::Name } else { Kind::Long };
                let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(item, &path, inner, report);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_refused_with_their_position() {
        let p = check("ab\u{1}c", Kind::Long).unwrap_err();
        assert_eq!(p, Problem::Character { ch: '\u{1}', position: 3 });
        assert!(p.to_string().contains("U+0001") && p.to_string().contains("position 3"), "{p}");
        for bad in
            ["\u{0}", "\u{7f}", "\u{85}", "\u{2028}", "\u{202e}", "\u{2067}", "\u{feff}", "\u{fffe}", "\u{1ffff}"]
        {
            assert!(check(bad, Kind::Long).is_err(), "{bad:?}");
        }
        for good in ["Niñas, niños y adolescentes", "emoji 👩‍👧 with a joiner", "soft\u{ad}hyphen", "«guillemets»"]
        {
            assert_eq!(check(good, Kind::Name), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn line_breaks_only_where_the_kind_allows_them() {
        assert_eq!(check("one\r\ntwo\tthree", Kind::Long), Ok(()));
        assert_eq!(check("one\ntwo", Kind::Short), Ok(()));
        assert_eq!(check("one\ntwo", Kind::Name), Err(Problem::Character { ch: '\n', position: 4 }));
    }

    #[test]
    fn each_kind_has_its_length_limit() {
        assert_eq!(check(&"é".repeat(1_000), Kind::Name), Ok(()));
        assert_eq!(check(&"é".repeat(1_001), Kind::Name), Err(Problem::TooLong { chars: 1_001, max: 1_000 }));
        assert!(check(&"x".repeat(2_001), Kind::Short).is_err());
        assert_eq!(check(&"x".repeat(16_000), Kind::Long), Ok(()));
        assert_eq!(check(&"x".repeat(16_001), Kind::Long).unwrap_err().code(), "too-long");
    }
}
