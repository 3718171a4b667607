//! [`AccountStore`] for PostgreSQL: accounts, sessions, sign-in attempts and the second factor,
//! as the SQLite engine keeps them. Writes that are audited, and the sign-in throttle's check and
//! reservation, hold the write lock; a session's own bookkeeping (touch, end) does not need it.

use observa_domain::account::{Account, Role};
use observa_domain::StateCode;
use postgres::{GenericClient, Row};

use super::audit::append;
use super::PostgresStore;
use crate::{AccountStore, NewAccount, Result, Session, StoreError};

const ACCOUNT_COLUMNS: &str =
    "a.id, a.email, a.role, a.states::text, a.must_change_password, a.disabled, a.totp_secret IS NOT NULL";

fn account(r: &Row) -> Account {
    let role: String = r.get(2);
    let states: String = r.get(3);
    Account {
        id: r.get(0),
        email: r.get(1),
        role: Role::parse(&role).unwrap_or(Role::Liaison),
        states: serde_json::from_str::<Vec<StateCode>>(&states).unwrap_or_default(),
        must_change_password: r.get(4),
        disabled: r.get(5),
        totp: r.get(6),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn account_by_id(c: &mut impl GenericClient, id: i64) -> Result<Account> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1");
    Ok(account(&c.query_one(&sql, &[&id])?))
}

impl AccountStore for PostgresStore {
    fn create_account(&mut self, new: &NewAccount, actor: &str) -> Result<Account> {
        self.write(|tx| {
            let taken: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM accounts WHERE email = $1)", &[&new.email])?.get(0);
            if taken {
                return Err(StoreError::Invalid(format!("an account with the e-mail {} exists already", new.email)));
            }
            let states = serde_json::to_string(&new.states).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO accounts (email, role, states, password_hash, must_change_password, disabled, created_at)
                     VALUES ($1, $2, $3::text, $4, true, false, $5) RETURNING id",
                    &[&new.email, &new.role.code(), &states, &new.password_hash, &now()],
                )?
                .get(0);
            let after = serde_json::json!({ "email": new.email, "role": new.role.code(), "states": new.states }).to_string();
            append(tx, &self.audit_key, actor, "create-account", &format!("account/{id}"), None, Some(&after))?;
            account_by_id(tx, id)
        })
    }

    fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM accounts a WHERE a.email = $1");
        self.run(|c| Ok(c.query_opt(&sql, &[&email])?.map(|r| (account(&r), r.get(7)))))
    }

    fn set_password(&mut self, account: i64, hash: &str, keep_session: Option<&str>, actor: &str) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE accounts SET password_hash = $1, must_change_password = false WHERE id = $2",
                &[&hash, &account],
            )?;
            if changed == 0 {
                return Err(StoreError::Invalid(format!("no account {account}")));
            }
            tx.execute(
                "DELETE FROM sessions WHERE account = $1 AND token_hash IS DISTINCT FROM $2",
                &[&account, &keep_session],
            )?;
            append(tx, &self.audit_key, actor, "change-password", &format!("account/{account}"), None, None)
        })
    }

    fn create_session(&mut self, account: i64, token_hash: &str, csrf: &str, now: &str, pending: bool) -> Result<()> {
        self.run(|c| {
            c.execute(
                "INSERT INTO sessions (token_hash, account, csrf, created_at, last_seen, second_factor_pending)
                 VALUES ($1, $2, $3, $4, $4, $5)",
                &[&token_hash, &account, &csrf, &now, &pending],
            )?;
            Ok(())
        })
    }

    fn totp_secret(&self, account: i64) -> Result<Option<String>> {
        self.run(|c| {
            Ok(c.query_opt("SELECT totp_secret FROM accounts WHERE id = $1", &[&account])?.and_then(|r| r.get(0)))
        })
    }

    fn set_totp(&mut self, account: i64, secret: &str, token_hash: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE accounts SET totp_secret = $1 WHERE id = $2", &[&secret, &account])?;
            tx.execute("UPDATE sessions SET second_factor_pending = false WHERE token_hash = $1", &[&token_hash])?;
            let who = format!("account/{account}");
            append(tx, &self.audit_key, &who, "enrol-second-factor", &who, None, None)
        })
    }

    fn pass_second_factor(&mut self, token_hash: &str) -> Result<()> {
        self.run(|c| {
            c.execute("UPDATE sessions SET second_factor_pending = false WHERE token_hash = $1", &[&token_hash])?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, s.csrf, s.created_at, s.last_seen, s.second_factor_pending
             FROM sessions s JOIN accounts a ON a.id = s.account WHERE s.token_hash = $1"
        );
        self.run(|c| {
            Ok(c.query_opt(&sql, &[&token_hash])?.map(|r| Session {
                account: account(&r),
                csrf: r.get(7),
                created_at: r.get(8),
                last_seen: r.get(9),
                second_factor_pending: r.get(10),
            }))
        })
    }

    fn touch_session(&mut self, token_hash: &str, now: &str) -> Result<()> {
        self.run(|c| {
            c.execute("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", &[&now, &token_hash])?;
            Ok(())
        })
    }

    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.run(|c| {
            c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])?;
            Ok(())
        })
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email COLLATE \"C\"");
        self.run(|c| Ok(c.query(&sql, &[])?.iter().map(account).collect()))
    }

    fn set_disabled(&mut self, id: i64, disabled: bool, actor: &str) -> Result<()> {
        self.write(|tx| {
            if tx.execute("UPDATE accounts SET disabled = $1 WHERE id = $2", &[&disabled, &id])? == 0 {
                return Err(StoreError::Invalid(format!("no account {id}")));
            }
            tx.execute("DELETE FROM sessions WHERE account = $1", &[&id])?;
            let action = if disabled { "disable-account" } else { "enable-account" };
            append(tx, &self.audit_key, actor, action, &format!("account/{id}"), None, None)
        })
    }

    fn create_reset(&mut self, id: i64, token_hash: &str, expires_at: &str, actor: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO password_resets (token_hash, account, expires_at) VALUES ($1, $2, $3)",
                &[&token_hash, &id, &expires_at],
            )?;
            append(tx, &self.audit_key, actor, "issue-reset-link", &format!("account/{id}"), None, Some(expires_at))
        })
    }

    fn use_reset(&mut self, token_hash: &str, password_hash: &str, now: &str) -> Result<Option<Account>> {
        self.write(|tx| {
            let found: Option<(i64, String)> = tx
                .query_opt("SELECT account, expires_at FROM password_resets WHERE token_hash = $1", &[&token_hash])?
                .map(|r| (r.get(0), r.get(1)));
            // Times are RFC 3339 UTC with seconds, written by one formatter: text order is time order.
            let Some((id, _)) = found.filter(|(_, expires_at)| expires_at.as_str() > now) else { return Ok(None) };
            tx.execute("DELETE FROM password_resets WHERE token_hash = $1", &[&token_hash])?;
            tx.execute(
                "UPDATE accounts SET password_hash = $1, must_change_password = false WHERE id = $2",
                &[&password_hash, &id],
            )?;
            tx.execute("DELETE FROM sessions WHERE account = $1", &[&id])?;
            let account = account_by_id(tx, id)?;
            append(tx, &self.audit_key, &account.email, "reset-password", &format!("account/{id}"), None, None)?;
            Ok(Some(account))
        })
    }

    fn record(&mut self, actor: &str, action: &str, subject: &str) -> Result<()> {
        self.write(|tx| append(tx, &self.audit_key, actor, action, subject, None, None))
    }

    fn reserve_attempt(
        &mut self,
        keys: &[observa_domain::throttle::Key],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<std::result::Result<Vec<i64>, chrono::Duration>> {
        use observa_domain::throttle::{wait, WINDOW};
        let since = (now - WINDOW).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        // Under the write lock: parallel attempts from any process are checked one after another.
        self.write(|tx| {
            tx.execute("DELETE FROM sign_in_attempts WHERE at < $1", &[&since])?;
            let mut longest = chrono::Duration::zero();
            for key in keys {
                let times = tx
                    .query("SELECT at FROM sign_in_attempts WHERE key = $1 AND failed ORDER BY at", &[&key.text])?
                    .iter()
                    .filter_map(|r| chrono::DateTime::parse_from_rfc3339(&r.get::<_, String>(0)).ok())
                    .map(|d| d.with_timezone(&chrono::Utc))
                    .collect::<Vec<_>>();
                if let Some(w) = wait(key.kind, &times, now) {
                    longest = longest.max(w);
                }
            }
            if longest > chrono::Duration::zero() {
                return Ok(Err(longest));
            }
            let mut ids = Vec::new();
            for key in keys {
                let row = tx.query_one(
                    "INSERT INTO sign_in_attempts (key, at, failed) VALUES ($1, $2, true) RETURNING _row",
                    &[&key.text, &at],
                )?;
                ids.push(row.get(0));
            }
            Ok(Ok(ids))
        })
    }

    fn forgive_attempts(&mut self, key: &str, reserved: &[i64]) -> Result<()> {
        self.run(|c| {
            let mut tx = c.transaction()?;
            tx.execute("DELETE FROM sign_in_attempts WHERE key = $1 OR _row = ANY($2)", &[&key, &reserved])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn use_totp_step(&mut self, account: i64, step: i64) -> Result<bool> {
        // One conditional UPDATE: PostgreSQL re-checks the condition on the locked row, so a
        // step is taken once even by two processes at the same instant.
        self.run(|c| {
            let changed = c.execute(
                "UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
                &[&account, &step],
            )?;
            Ok(changed == 1)
        })
    }
}
