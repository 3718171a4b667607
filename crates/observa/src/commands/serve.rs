//! `observa serve`: the portal and the read API on an address (127.0.0.1:8080 by default),
//! logging each request, until Ctrl-C; with `--smtp-url` and `--mail-from`, it sends the outbox
//! too (`observa_web::mail`).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};

use crate::bundled;

/// The mail relay's flags (or their environment variables).
pub struct Mail {
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
}

impl Mail {
    /// The relay, or none (said on the output, so an operator sees that nothing will be sent).
    fn relay(self) -> Result<Option<observa_web::mail::Relay>> {
        let Some(url) = self.smtp_url.filter(|u| !u.trim().is_empty()) else {
            println!("mail: no relay configured (--smtp-url); nothing is sent, reminders wait in the outbox");
            return Ok(None);
        };
        let from = self.mail_from.filter(|f| !f.trim().is_empty()).ok_or_else(|| {
            anyhow!("--smtp-url needs --mail-from (or OBSERVA_MAIL_FROM): the address messages come from")
        })?;
        let relay = observa_web::mail::Relay::new(&url, &from, observa_web::mail::Timing::from_env())
            .map_err(|e| anyhow!(e))?;
        println!(
            "mail: sending the outbox through {}:{} ({}) from {}",
            relay.host,
            relay.port,
            relay.security,
            relay.from()
        );
        Ok(Some(relay))
    }
}

pub fn run(db: &Path, addr: SocketAddr, behind_tls: bool, mail: Mail) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("OBSERVA_LOG")
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let relay = mail.relay()?;
    let store = bundled::open_seeded(db)?;
    let questionnaires = bundled::questionnaire(i32::MAX)?.into_iter().collect();
    let state = observa_web::AppState::new(store, questionnaires)
        .context("building the portal")?
        .behind_tls(behind_tls)
        .with_mail(relay);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(observa_web::serve(addr, state)).with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}
