//! The outbox's sender: `observa serve --smtp-url ... --mail-from ...` starts [`deliver`], a
//! background task that every few seconds claims the messages due (a bounded batch), sends each
//! through the relay and records how it went. Without a relay nothing is sent: reminders wait in
//! the outbox.
//!
//! - **Once.** A message is claimed (its next attempt moved past a lease) before it is sent and
//!   marked sent after; a message marked sent is never claimed again, so a restart sends nothing
//!   twice. A sender that dies between the relay's acceptance and the mark would send that one
//!   again after the lease, with the same Message-ID (made from the outbox row's id), so a relay
//!   or a mail reader can tell the copies apart.
//! - **Retries.** A failed attempt is retried after 1, 5, 30 minutes and 2 hours; after the fifth
//!   it has failed for good, as has a message the relay refuses permanently (a 5xx answer).
//! - **Secrets.** The relay's URL may hold a password: it goes to the transport and is never kept,
//!   shown or logged; the status page shows the host, port and kind of encryption.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use observa_store::Outgoing;

use crate::AppState;

/// The most messages claimed at once: the lease must outlast sending them all.
const BATCH: usize = 10;
/// How long one exchange with the relay may take.
const TIMEOUT: Duration = Duration::from_secs(20);
/// How long a claim holds its messages: a sender that died gives them back after this.
const LEASE: Duration = Duration::from_secs(600);
/// Waits before the attempt after the first, second, third and fourth failures, in units of
/// [`Timing::unit`] (a minute): then the message has failed for good.
const BACKOFF: [u32; 4] = [1, 5, 30, 120];

/// How often the sender looks, and the unit of its back-off.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub poll: Duration,
    pub unit: Duration,
}

impl Timing {
    /// Every 5 seconds, back-off in minutes; for tests only, `OBSERVA_MAIL_POLL_MS` and
    /// `OBSERVA_MAIL_BACKOFF_MS` (the length of a back-off "minute") make both short.
    pub fn from_env() -> Timing {
        let ms = |name: &str, default: u64| {
            Duration::from_millis(std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default))
        };
        Timing { poll: ms("OBSERVA_MAIL_POLL_MS", 5_000), unit: ms("OBSERVA_MAIL_BACKOFF_MS", 60_000) }
    }

    /// How long to wait after the `attempts`-th failed attempt, or `None`: give up.
    pub fn backoff(&self, attempts: i64) -> Option<Duration> {
        let step = usize::try_from(attempts).ok()?.checked_sub(1)?;
        BACKOFF.get(step).map(|n| self.unit * *n)
    }
}

/// A configured relay: the transport, and what may be said about it.
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of the sender's address, for Message-IDs.
    domain: String,
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` (implicit) or `none`.
    pub security: &'static str,
    pub timing: Timing,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Relay({}:{}, {}, from {})", self.host, self.port, self.security, self.from)
    }
}

impl Relay {
    /// A relay from lettre's URL form (`smtp://user:pass@host:port?tls=required` for STARTTLS,
    /// `smtps://...` for implicit TLS, `smtp://host:port` for a local relay) and the address
    /// messages come from. Errors never repeat the URL (it may hold a password).
    pub fn new(url: &str, from: &str, timing: Timing) -> Result<Relay, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("--smtp-url is not a URL ({e})"))?;
        let tls = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let (security, default_port) = match (parsed.scheme(), tls.as_deref()) {
            ("smtps", _) => ("tls", 465),
            ("smtp", Some("required" | "opportunistic")) => ("starttls", 587),
            ("smtp", None) => ("none", 25),
            (scheme, _) => {
                return Err(format!(
                    "--smtp-url: use smtp://host:port, smtp://user:pass@host:587?tls=required or smtps://...; not `{scheme}` with tls={tls:?}"
                ))
            }
        };
        let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or("--smtp-url names no host")?.to_string();
        let from: Mailbox = from.parse().map_err(|e| format!("--mail-from `{from}` is not an address ({e})"))?;
        let domain = from.email.domain().to_string();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp-url could not be used ({e})"))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Relay { transport, from, domain, host, port: parsed.port().unwrap_or(default_port), security, timing })
    }

    /// The address messages come from.
    pub fn from(&self) -> String {
        self.from.to_string()
    }

    /// The Message-ID of an outbox row: the same for every attempt at it, different for every row.
    pub fn message_id(&self, id: i64) -> String {
        format!("<observa-outbox-{id}@{}>", self.domain)
    }

    /// Sends one message; the error, and whether it is final (the relay refused it for good, or
    /// the message cannot be written).
    async fn send(&self, m: &Outgoing) -> Result<(), (String, bool)> {
        let to: Mailbox = m.message.to.parse().map_err(|e| (format!("the address `{}`: {e}", m.message.to), true))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.message.subject.clone())
            .message_id(Some(self.message_id(m.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(m.message.body.clone())
            .map_err(|e| (e.to_string(), true))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) => Err((e.to_string(), e.is_permanent())),
        }
    }
}

/// Sends the outbox through `relay` until the process ends.
pub async fn deliver(app: AppState, relay: Arc<Relay>) {
    loop {
        deliver_due(&app, &relay).await;
        tokio::time::sleep(relay.timing.poll).await;
    }
}

/// Claims the messages due and sends them one by one, recording each attempt; how many were
/// sent. A store that cannot be reached is logged and tried again at the next poll.
pub async fn deliver_due(app: &AppState, relay: &Relay) -> usize {
    let now = Utc::now();
    let lease_until = now + LEASE;
    let claimed = app.store.lock().expect("store lock").claim_due(now, lease_until, BATCH);
    let claimed = match claimed {
        Ok(claimed) => claimed,
        Err(e) => {
            tracing::error!(error = %e, "the outbox could not be read");
            return 0;
        }
    };
    let mut sent = 0;
    for m in claimed {
        let result = relay.send(&m).await;
        let at = Utc::now();
        let mut store = app.store.lock().expect("store lock");
        let recorded = match result {
            Ok(()) => {
                sent += 1;
                store.mark_sent(m.id, &relay.message_id(m.id), at)
            }
            Err((error, permanent)) => {
                let attempts = m.attempts + 1;
                let retry = if permanent { None } else { relay.timing.backoff(attempts) };
                let retry_at = retry.and_then(|d| chrono::Duration::from_std(d).ok()).map(|d| at + d);
                tracing::warn!(message = m.id, attempts, %error, retry = ?retry_at, "a message was not sent");
                store.record_failure(m.id, &error, at, retry_at)
            }
        };
        if let Err(e) = recorded {
            // The lease keeps the message from being sent again until it ends.
            tracing::error!(message = m.id, error = %e, "the attempt could not be recorded");
        }
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_attempts_wait_1_5_30_and_120_units_then_give_up() {
        let t = Timing { poll: Duration::from_secs(5), unit: Duration::from_secs(60) };
        let waits: Vec<_> = (1..=5).map(|n| t.backoff(n).map(|d| d.as_secs() / 60)).collect();
        assert_eq!(waits, [Some(1), Some(5), Some(30), Some(120), None]);
        assert_eq!(t.backoff(0), None);
    }

    #[test]
    fn a_relay_says_its_host_and_encryption_never_its_password() {
        let t = Timing::from_env();
        let r =
            Relay::new("smtp://ana:s3cret@mail.example.org:587?tls=required", "Observa <o@example.org>", t).unwrap();
        assert_eq!((r.host.as_str(), r.port, r.security), ("mail.example.org", 587, "starttls"));
        assert!(!format!("{r:?}").contains("s3cret"));
        assert_eq!(r.message_id(42), "<observa-outbox-42@example.org>");
        let plain = Relay::new("smtp://127.0.0.1:2525", "o@example.org", t).unwrap();
        assert_eq!((plain.port, plain.security), (2525, "none"));
        assert_eq!(Relay::new("smtps://mail.example.org", "o@example.org", t).unwrap().port, 465);
        let bad = Relay::new("http://ana:s3cret@x", "o@example.org", t).unwrap_err();
        assert!(!bad.contains("s3cret"), "{bad}");
        assert!(Relay::new("smtp://x:25", "not an address", t).is_err());
    }
}
