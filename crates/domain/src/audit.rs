//! The audit log's hash chain: each entry's hash covers its own content and the previous
//! entry's hash, so changing or deleting any entry breaks every hash after it.
//! [`verify`] walks the chain and names the first entry that does not match.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry: who did what, when (UTC), to what, with the state before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What an entry records, before it is chained.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl Content<'_> {
    /// The hash of this content chained to `prev_hash`. Fields are length-prefixed so that
    /// moving text from one field to the next changes the hash.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        let parts = [
            prev_hash,
            &seq,
            self.at,
            self.actor,
            self.action,
            self.subject,
            self.before.unwrap_or("\u{0}"),
            self.after.unwrap_or("\u{0}"),
        ];
        for part in parts {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl AuditEntry {
    pub fn content(&self) -> Content<'_> {
        Content {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            subject: &self.subject,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
        }
    }
}

/// The SHA-256 of a text, in hex (a fingerprint of a registry's content).
pub fn fingerprint(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the chain breaks, if it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub reason: String,
}

/// Checks that entries are consecutive from 1, each links to the previous hash, and each hash
/// matches its content.
pub fn verify(entries: &[AuditEntry]) -> Result<usize, Break> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(Break {
                seq: e.seq,
                reason: format!("entry {expected_seq} is missing (found {} next)", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Err(Break { seq: e.seq, reason: "it does not link to the previous entry's hash".into() });
        }
        if e.content().hash(&e.prev_hash) != e.hash {
            return Err(Break {
                seq: e.seq,
                reason: "its content does not match its hash (changed after it was written)".into(),
            });
        }
        prev = e.hash.clone();
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let at = format!("2026-01-0{seq}T00:00:00Z");
                let content = Content {
                    seq,
                    at: &at,
                    actor: "cli",
                    action: "import",
                    subject: "registry",
                    before: None,
                    after: Some("{}"),
                };
                let hash = content.hash(&prev);
                let e = AuditEntry {
                    seq,
                    at,
                    actor: "cli".into(),
                    action: "import".into(),
                    subject: "registry".into(),
                    before: None,
                    after: Some("{}".into()),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(3)), Ok(3));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn a_changed_a_deleted_or_a_relinked_entry_is_detected() {
        let mut changed = chain(3);
        changed[1].actor = "someone else".into();
        assert_eq!(verify(&changed).unwrap_err().seq, 2);
        let mut deleted = chain(3);
        deleted.remove(1);
        assert!(verify(&deleted).unwrap_err().reason.contains("missing"));
        let mut last_dropped_and_rehashed = chain(3);
        last_dropped_and_rehashed[2].prev_hash = GENESIS.into();
        assert!(verify(&last_dropped_and_rehashed).unwrap_err().reason.contains("link"));
        // Moving text between fields changes the hash.
        let a = Content { seq: 1, at: "a", actor: "bc", action: "d", subject: "e", before: None, after: None };
        let b = Content { at: "ab", actor: "c", ..a };
        assert_ne!(a.hash(GENESIS), b.hash(GENESIS));
    }
}
