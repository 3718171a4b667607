//! The sign-in throttle's policy, in one place: how long a key (an account, an address, an
//! account's second factor) must wait before its next attempt, given its recent failures.
//!
//! The policy prefers a delay that grows over a hard lock-out of the genuine owner. An account
//! gets [`FREE_FAILURES`] failures in [`WINDOW`]; after that each attempt must wait
//! 2^(failures − FREE_FAILURES) seconds since the last failure, at most [`MAX_DELAY`]. Someone
//! guessing gets about one guess per five minutes, while the owner, who knows the password, is
//! let in after at most that wait — never locked out for the whole window. An address is
//! refused outright after [`PER_ADDRESS`] failures in the window (it is the attacker's, not the
//! owner's, that is blocked). Attempts are reserved (counted as failures) before the password is
//! checked, so parallel attempts cannot all pass the check, and kept in the database, so a restart
//! forgets nothing.

use chrono::{DateTime, Duration, Utc};

/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures an account or a second factor may have in the window before delays start.
pub const FREE_FAILURES: usize = 5;
/// The longest delay between attempts on one account.
pub const MAX_DELAY: Duration = Duration::minutes(5);
/// Failures from one address in the window after which it is refused until they age out.
pub const PER_ADDRESS: usize = 20;

/// What a throttle key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Account,
    Address,
}

/// A key the throttle counts: `account:<email>`, `totp:<email>` (both [`KeyKind::Account`]) or
/// `address:<ip>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    pub kind: KeyKind,
}

impl Key {
    pub fn account(email: &str) -> Key {
        Key { text: format!("account:{email}"), kind: KeyKind::Account }
    }
    pub fn second_factor(email: &str) -> Key {
        Key { text: format!("totp:{email}"), kind: KeyKind::Account }
    }
    pub fn address(ip: &str) -> Key {
        Key { text: format!("address:{ip}"), kind: KeyKind::Address }
    }
}

/// How long a key must still wait at `now` given its failures in the window (oldest first);
/// `None` when it may try now.
pub fn wait(kind: KeyKind, failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let recent: Vec<&DateTime<Utc>> = failures.iter().filter(|t| now - **t < WINDOW).collect();
    let wait = match kind {
        KeyKind::Address if recent.len() >= PER_ADDRESS => {
            // Refused until enough failures age out of the window.
            let oldest = recent[recent.len() - PER_ADDRESS];
            *oldest + WINDOW - now
        }
        KeyKind::Account if recent.len() >= FREE_FAILURES => {
            let over = (recent.len() - FREE_FAILURES).min(16) as u32;
            let delay = Duration::seconds(1i64 << over).min(MAX_DELAY);
            let last = recent.last().expect("at least FREE_FAILURES entries");
            **last + delay - now
        }
        _ => return None,
    };
    (wait > Duration::zero()).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap()
    }

    #[test]
    fn an_account_gets_five_free_failures_then_a_delay_that_doubles_up_to_five_minutes() {
        let five: Vec<_> = (0..5).map(at).collect();
        assert_eq!(wait(KeyKind::Account, &five[..4], at(4)), None);
        assert_eq!(wait(KeyKind::Account, &five, at(4)), Some(Duration::seconds(1)));
        assert_eq!(wait(KeyKind::Account, &five, at(5)), None, "one second after the fifth failure");
        let seven: Vec<_> = (0..7).map(at).collect();
        assert_eq!(wait(KeyKind::Account, &seven, at(6)), Some(Duration::seconds(4)));
        let many: Vec<_> = (0..30).map(at).collect();
        assert_eq!(wait(KeyKind::Account, &many, at(29)), Some(MAX_DELAY), "never more than five minutes");
        // The owner is never locked out for the whole window: after the delay they may try.
        assert_eq!(wait(KeyKind::Account, &many, at(29) + MAX_DELAY), None);
        // Failures older than the window do not count.
        assert_eq!(wait(KeyKind::Account, &five, at(4) + WINDOW), None);
    }

    #[test]
    fn an_address_is_refused_after_twenty_failures_until_they_age_out() {
        let twenty: Vec<_> = (0..20).map(at).collect();
        assert_eq!(wait(KeyKind::Address, &twenty[..19], at(20)), None);
        assert_eq!(wait(KeyKind::Address, &twenty, at(20)), Some(WINDOW - Duration::seconds(20)));
        assert_eq!(wait(KeyKind::Address, &twenty, at(0) + WINDOW), None);
    }
}
