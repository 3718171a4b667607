//! Audit entries for refused requests that anyone can send (failed and throttled sign-ins,
//! requests without valid credentials), recorded at most [`PER_WINDOW`] per address per
//! [`WINDOW`]: beyond that they are counted, and the next entry recorded for that address says
//! how many were left out. Without this bound an anonymous client could grow the append-only log
//! as fast as it can send requests.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::AppState;

pub const PER_WINDOW: u32 = 30;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Addresses remembered at once; the table is emptied when it grows past this (an attacker with
/// many addresses then gets a few more entries, never unbounded memory).
const MAX_ADDRESSES: usize = 10_000;

#[derive(Default)]
pub struct Refusals {
    by_address: Mutex<HashMap<String, Window>>,
}

struct Window {
    started: Instant,
    recorded: u32,
    left_out: u32,
}

impl Refusals {
    /// Whether to record a refusal from `address` now, and how many were left out before it.
    fn admit(&self, address: &str) -> Option<u32> {
        let mut map = self.by_address.lock().expect("refusals lock");
        if map.len() >= MAX_ADDRESSES && !map.contains_key(address) {
            map.clear();
        }
        let w = map.entry(address.to_string()).or_insert(Window { started: Instant::now(), recorded: 0, left_out: 0 });
        if w.started.elapsed() > WINDOW {
            *w = Window { started: Instant::now(), recorded: 0, left_out: w.left_out };
        }
        if w.recorded >= PER_WINDOW {
            w.left_out += 1;
            return None;
        }
        w.recorded += 1;
        Some(std::mem::take(&mut w.left_out))
    }
}

impl AppState {
    /// Records a refused request from `address` (bounded per address, see the module doc).
    pub fn record_refusal(&self, address: &str, actor: &str, action: &str) {
        let Some(left_out) = self.refusals.admit(address) else { return };
        let subject = match left_out {
            0 => address.to_string(),
            n => format!("{address} ({n} earlier refusals from this address not recorded)"),
        };
        if let Err(e) = self.store.lock().expect("store lock").record(actor, action, &subject) {
            tracing::error!(%e, "recording a refused request");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_recorded_up_to_the_bound_then_counted() {
        let r = Refusals::default();
        for _ in 0..PER_WINDOW {
            assert_eq!(r.admit("192.0.2.1"), Some(0));
        }
        assert_eq!(r.admit("192.0.2.1"), None);
        assert_eq!(r.admit("192.0.2.1"), None);
        assert_eq!(r.admit("192.0.2.2"), Some(0), "another address has its own bound");
    }
}
