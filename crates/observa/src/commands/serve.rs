//! `observa serve`: the portal and the read API on an address (127.0.0.1:8080 by default),
//! logging each request, until Ctrl-C.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::bundled;

pub fn run(db: &Path, addr: SocketAddr, behind_tls: bool) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("OBSERVA_LOG")
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let store = bundled::open_seeded(db)?;
    let questionnaires = bundled::questionnaire(i32::MAX)?.into_iter().collect();
    let state =
        observa_web::AppState::new(store, questionnaires).context("building the portal")?.behind_tls(behind_tls);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(observa_web::serve(addr, state)).with_context(|| format!("serving on {addr}"))?;
    Ok(ExitCode::SUCCESS)
}
