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
        for part in self.parts(prev_hash) {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What both chains hash, in order; a missing before/after is a NUL so that it differs
    /// from an empty one.
    fn parts<'p>(&'p self, prev_hash: &'p str) -> [std::borrow::Cow<'p, str>; 8] {
        [
            prev_hash.into(),
            self.seq.to_string().into(),
            self.at.into(),
            self.actor.into(),
            self.action.into(),
            self.subject.into(),
            self.before.unwrap_or("\u{0}").into(),
            self.after.unwrap_or("\u{0}").into(),
        ]
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

/// The action of the entry that starts the keyed part of a log: entries before it (written by
/// versions of Observa without a key) are checked by their plain SHA-256; it and every entry
/// after it by their HMAC under the key whose fingerprint it records in `after`.
pub const KEY_INSTALLED: &str = "audit-key-installed";

/// The secret key of a database's audit chain: 256 bits kept outside the database (a key file or
/// an environment variable), so someone who can write the database cannot recompute the chain.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    // Never print the key itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.fingerprint())
    }
}

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        AuditKey(bytes)
    }

    /// Reads a key written by [`AuditKey::to_hex`] (64 hex digits, surrounding space ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("an audit key is 64 hexadecimal digits".into());
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(AuditKey(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A public name of the key (16 hex digits of a hash of it), recorded in the log and in
    /// checkpoints so that a wrong key is told apart from a tampered log.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"observa audit key fingerprint");
        h.update(self.0);
        hex(&h.finalize())[..16].to_string()
    }

    /// HMAC-SHA256 of length-prefixed parts, in hex.
    fn mac(&self, parts: &[&str]) -> String {
        use hmac::Mac;
        let mut m = HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        for part in parts {
            m.update(&(part.len() as u64).to_le_bytes());
            m.update(part.as_bytes());
        }
        hex(&m.finalize().into_bytes())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Content<'_> {
    /// The keyed hash (HMAC) of this content chained to `prev_hash`: what entries from
    /// [`KEY_INSTALLED`] on carry.
    pub fn mac(&self, key: &AuditKey, prev_hash: &str) -> String {
        let parts = self.parts(prev_hash);
        key.mac(&parts.each_ref().map(|p| p.as_ref()))
    }
}

/// The log's head as stored beside it: its last entry's number and hash, with a MAC. Every
/// append rewrites it, so deleting the last entries leaves a head that names an entry that is
/// gone, and a head cannot be made to match a shorter log without the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub mac: String,
}

impl Head {
    pub fn new(key: &AuditKey, seq: i64, hash: &str) -> Self {
        Head { seq, hash: hash.to_string(), mac: key.mac(&["head", &seq.to_string(), hash]) }
    }
}

/// A point of the log an administrator keeps elsewhere (`observa audit checkpoint`): if the log
/// is later cut short or rewritten, even by someone holding the key, the entry it names no
/// longer has this hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// When the checkpoint was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// The fingerprint of the audit key.
    pub key: String,
    pub mac: String,
}

impl Checkpoint {
    pub fn new(key: &AuditKey, seq: i64, hash: &str, taken_at: &str) -> Self {
        let mac = key.mac(&["checkpoint", &seq.to_string(), hash, taken_at]);
        Checkpoint { seq, hash: hash.to_string(), taken_at: taken_at.to_string(), key: key.fingerprint(), mac }
    }

    /// Whether this checkpoint was made with `key` and not altered since.
    pub fn made_with(&self, key: &AuditKey) -> bool {
        Checkpoint::new(key, self.seq, &self.hash, &self.taken_at).mac == self.mac
    }
}

/// Checks a log entry by entry, oldest first, in constant memory: entries are consecutive from
/// 1, each links to the previous hash, each hash matches its content (plain SHA-256 before the
/// [`KEY_INSTALLED`] entry, HMAC under `key` from it on).
pub struct Verifier<'a> {
    key: Option<&'a AuditKey>,
    checkpoint: Option<&'a Checkpoint>,
    prev: String,
    count: i64,
    keyed: bool,
}

impl<'a> Verifier<'a> {
    pub fn new(key: Option<&'a AuditKey>, checkpoint: Option<&'a Checkpoint>) -> Self {
        Verifier { key, checkpoint, prev: GENESIS.to_string(), count: 0, keyed: false }
    }

    pub fn push(&mut self, e: &AuditEntry) -> Result<(), Break> {
        let broken = |reason: String| Err(Break { seq: e.seq, reason });
        let expected_seq = self.count + 1;
        if e.seq != expected_seq {
            return broken(format!("entry {expected_seq} is missing (found {} next)", e.seq));
        }
        if e.prev_hash != self.prev {
            return broken("it does not link to the previous entry's hash".into());
        }
        if e.action == KEY_INSTALLED {
            let Some(key) = self.key else {
                return broken("entries from here on are keyed: the audit key is needed to check them".into());
            };
            if e.after.as_deref() != Some(key.fingerprint().as_str()) {
                return broken(format!(
                    "entries from here on were written under another audit key (fingerprint {}); the key given is {}",
                    e.after.as_deref().unwrap_or("?"),
                    key.fingerprint()
                ));
            }
            self.keyed = true;
        }
        let expected = match (self.keyed, self.key) {
            (true, Some(key)) => e.content().mac(key, &e.prev_hash),
            _ => e.content().hash(&e.prev_hash),
        };
        if expected != e.hash {
            return broken("its content does not match its hash (changed after it was written)".into());
        }
        if let Some(cp) = self.checkpoint.filter(|cp| cp.seq == e.seq) {
            if cp.hash != e.hash {
                return broken("it is not the entry the checkpoint recorded: the log was rewritten".into());
            }
        }
        self.prev = e.hash.clone();
        self.count += 1;
        Ok(())
    }

    /// After the last entry: the stored head must name it, and a checkpoint must not name an
    /// entry past it. Returns the number of entries.
    pub fn finish(self, head: Option<&Head>) -> Result<usize, Break> {
        let last = self.count;
        let broken = |reason: String| Err(Break { seq: last, reason });
        if let Some(key) = self.key {
            if last > 0 && !self.keyed {
                return broken("no entry of the log was written with this audit key: the log was rewritten without it, or the key belongs to another database".into());
            }
            match head {
                Some(h) if Head::new(key, h.seq, &h.hash) != *h => {
                    return broken("the log's head record was altered".into());
                }
                Some(h) if h.seq != last || h.hash != self.prev => {
                    return broken(format!(
                        "the log's head names entry {} but the log ends at entry {last}: entries were deleted or added outside Observa",
                        h.seq
                    ));
                }
                None if self.keyed => return broken("the log's head record is missing".into()),
                _ => {}
            }
        }
        if let Some(cp) = self.checkpoint {
            if cp.seq > last {
                return broken(format!(
                    "the checkpoint names entry {} but the log ends at entry {last}: entries were deleted",
                    cp.seq
                ));
            }
        }
        Ok(last as usize)
    }
}

/// Checks a whole log held in memory (see [`Verifier`]).
pub fn verify(entries: &[AuditEntry], key: Option<&AuditKey>, head: Option<&Head>) -> Result<usize, Break> {
    let mut v = Verifier::new(key, None);
    for e in entries {
        v.push(e)?;
    }
    v.finish(head)
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
        assert_eq!(verify(&chain(3), None, None), Ok(3));
        assert_eq!(verify(&[], None, None), Ok(0));
    }

    #[test]
    fn a_changed_a_deleted_or_a_relinked_entry_is_detected() {
        let mut changed = chain(3);
        changed[1].actor = "someone else".into();
        assert_eq!(verify(&changed, None, None).unwrap_err().seq, 2);
        let mut deleted = chain(3);
        deleted.remove(1);
        assert!(verify(&deleted, None, None).unwrap_err().reason.contains("missing"));
        let mut last_dropped_and_rehashed = chain(3);
        last_dropped_and_rehashed[2].prev_hash = GENESIS.into();
        assert!(verify(&last_dropped_and_rehashed, None, None).unwrap_err().reason.contains("link"));
        // Moving text between fields changes the hash.
        let a = Content { seq: 1, at: "a", actor: "bc", action: "d", subject: "e", before: None, after: None };
        let b = Content { at: "ab", actor: "c", ..a };
        assert_ne!(a.hash(GENESIS), b.hash(GENESIS));
    }

    /// A log as the store writes it: the key-installed entry first, then keyed entries.
    fn keyed_chain(key: &AuditKey, n: i64) -> (Vec<AuditEntry>, Head) {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for seq in 1..=n {
            let (action, after) = if seq == 1 { (KEY_INSTALLED, key.fingerprint()) } else { ("save", "{}".into()) };
            let at = format!("2026-01-0{seq}T00:00:00Z");
            let content =
                Content { seq, at: &at, actor: "cli", action, subject: "audit", before: None, after: Some(&after) };
            let hash = content.mac(key, &prev);
            out.push(AuditEntry {
                seq,
                at: at.clone(),
                actor: "cli".into(),
                action: action.into(),
                subject: "audit".into(),
                before: None,
                after: Some(after.clone()),
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        let head = Head::new(key, n, &prev);
        (out, head)
    }

    #[test]
    fn a_keyed_log_verifies_only_with_its_key_and_its_head() {
        let key = AuditKey::from_bytes([7; 32]);
        let (log, head) = keyed_chain(&key, 4);
        assert_eq!(verify(&log, Some(&key), Some(&head)), Ok(4));
        let other = AuditKey::from_bytes([8; 32]);
        assert!(verify(&log, Some(&other), Some(&head)).unwrap_err().reason.contains("another audit key"));
        assert!(verify(&log, None, None).unwrap_err().reason.contains("key is needed"));
        assert_eq!(AuditKey::parse(&key.to_hex()), Ok(key.clone()));
        assert!(AuditKey::parse("abc").is_err());
        assert!(!format!("{key:?}").contains(&key.to_hex()), "the key is never printed");
    }

    #[test]
    fn deleting_the_last_entries_is_detected_by_the_head() {
        let key = AuditKey::from_bytes([7; 32]);
        let (mut log, head) = keyed_chain(&key, 5);
        log.truncate(3);
        let err = verify(&log, Some(&key), Some(&head)).unwrap_err();
        assert!(err.reason.contains("head names entry 5"), "{err:?}");
        // A head made up for the shorter log without the key does not pass either.
        let forged = Head { seq: 3, hash: log[2].hash.clone(), mac: "0".repeat(64) };
        assert!(verify(&log, Some(&key), Some(&forged)).unwrap_err().reason.contains("altered"));
        assert!(verify(&log, Some(&key), None).unwrap_err().reason.contains("missing"));
    }

    #[test]
    fn history_rewritten_and_rehashed_without_the_key_is_detected() {
        let key = AuditKey::from_bytes([7; 32]);
        let (log, _) = keyed_chain(&key, 3);
        // Someone with write access recomputes every hash with plain SHA-256 and drops the
        // key-installed entry: there is no keyed entry left.
        let rewritten = chain(3);
        let head = Head { seq: 3, hash: rewritten[2].hash.clone(), mac: "0".repeat(64) };
        assert!(verify(&rewritten, Some(&key), Some(&head)).unwrap_err().reason.contains("no entry"));
        // Or keeps it and rewrites what follows: the MACs do not match.
        let mut changed = log.clone();
        changed[2].actor = "someone else".into();
        changed[2].hash = changed[2].content().hash(&changed[2].prev_hash);
        assert_eq!(verify(&changed, Some(&key), None).unwrap_err().seq, 3);
    }

    #[test]
    fn a_checkpoint_catches_a_rewrite_by_someone_holding_the_key_and_a_cut_log() {
        let key = AuditKey::from_bytes([7; 32]);
        let (log, head) = keyed_chain(&key, 4);
        let cp = Checkpoint::new(&key, 3, &log[2].hash, "2026-02-01T00:00:00Z");
        assert!(cp.made_with(&key));
        assert!(!Checkpoint { seq: 2, ..cp.clone() }.made_with(&key));
        let check = |log: &[AuditEntry], head: &Head| {
            let mut v = Verifier::new(Some(&key), Some(&cp));
            for e in log {
                v.push(e)?;
            }
            v.finish(Some(head))
        };
        assert_eq!(check(&log, &head), Ok(4));
        // The key holder rewrites entry 2 onwards and recomputes every MAC and the head.
        let mut rewritten = log.clone();
        let mut prev = rewritten[0].hash.clone();
        for e in rewritten.iter_mut().skip(1) {
            e.actor = "insider".into();
            e.prev_hash = prev.clone();
            e.hash = e.content().mac(&key, &prev);
            prev = e.hash.clone();
        }
        let new_head = Head::new(&key, 4, &prev);
        assert!(check(&rewritten, &new_head).unwrap_err().reason.contains("checkpoint"));
        // The key holder cuts the log before the checkpoint and makes a matching head.
        let cut = &log[..2];
        let cut_head = Head::new(&key, 2, &cut[1].hash);
        assert!(check(cut, &cut_head).unwrap_err().reason.contains("checkpoint names entry 3"));
    }
}
