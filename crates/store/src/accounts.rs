//! [`AccountStore`] for SQLite: accounts, sessions, and audit entries for sign-ins.

use observa_domain::account::{Account, Role};
use observa_domain::StateCode;
use rusqlite::{OptionalExtension, Row};

use crate::sqlite::{append_audit, SqliteStore};
use crate::{AccountStore, NewAccount, Result, Session, StoreError};

const ACCOUNT_COLUMNS: &str =
    "a.id, a.email, a.role, a.states, a.must_change_password, a.disabled, a.totp_secret IS NOT NULL";

fn account(r: &Row) -> rusqlite::Result<Account> {
    let role: String = r.get(2)?;
    let states: String = r.get(3)?;
    Ok(Account {
        id: r.get(0)?,
        email: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Liaison),
        states: serde_json::from_str::<Vec<StateCode>>(&states).unwrap_or_default(),
        must_change_password: r.get(4)?,
        disabled: r.get(5)?,
        totp: r.get(6)?,
    })
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl AccountStore for SqliteStore {
    fn create_account(&mut self, new: &NewAccount, actor: &str) -> Result<Account> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let taken: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM accounts WHERE email = ?1)", [&new.email], |r| r.get(0))?;
        if taken {
            return Err(StoreError::Invalid(format!("an account with the e-mail {} exists already", new.email)));
        }
        let states = serde_json::to_string(&new.states).map_err(|e| StoreError::Invalid(e.to_string()))?;
        tx.execute(
            "INSERT INTO accounts (email, role, states, password_hash, must_change_password, disabled, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, 0, ?5)",
            rusqlite::params![new.email, new.role.code(), states, new.password_hash, now()],
        )?;
        let id = tx.last_insert_rowid();
        let after =
            serde_json::json!({ "email": new.email, "role": new.role.code(), "states": new.states }).to_string();
        append_audit(
            &self.audit_key,
            &tx,
            actor.to_string(),
            "create-account",
            &format!("account/{id}"),
            None,
            Some(&after),
        )?;
        tx.commit()?;
        Ok(Account {
            id,
            email: new.email.clone(),
            role: new.role,
            states: new.states.clone(),
            must_change_password: true,
            disabled: false,
            totp: false,
        })
    }

    fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM accounts a WHERE a.email = ?1");
        Ok(self.conn.query_row(&sql, [email], |r| Ok((account(r)?, r.get(7)?))).optional()?)
    }

    fn set_password(&mut self, account: i64, hash: &str, keep_session: Option<&str>, actor: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE accounts SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
            rusqlite::params![hash, account],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no account {account}")));
        }
        tx.execute(
            "DELETE FROM sessions WHERE account = ?1 AND token_hash IS NOT ?2",
            rusqlite::params![account, keep_session],
        )?;
        append_audit(
            &self.audit_key,
            &tx,
            actor.to_string(),
            "change-password",
            &format!("account/{account}"),
            None,
            None,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn create_session(&mut self, account: i64, token_hash: &str, csrf: &str, now: &str, pending: bool) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sessions (token_hash, account, csrf, created_at, last_seen, second_factor_pending)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            rusqlite::params![token_hash, account, csrf, now, pending],
        )?;
        Ok(())
    }

    fn totp_secret(&self, account: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT totp_secret FROM accounts WHERE id = ?1", [account], |r| r.get(0))
            .optional()?
            .flatten())
    }

    fn set_totp(&mut self, account: i64, secret: &str, token_hash: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("UPDATE accounts SET totp_secret = ?1 WHERE id = ?2", rusqlite::params![secret, account])?;
        tx.execute("UPDATE sessions SET second_factor_pending = 0 WHERE token_hash = ?1", [token_hash])?;
        append_audit(
            &self.audit_key,
            &tx,
            format!("account/{account}"),
            "enrol-second-factor",
            &format!("account/{account}"),
            None,
            None,
        )?;
        tx.commit()?;
        Ok(())
    }

    fn pass_second_factor(&mut self, token_hash: &str) -> Result<()> {
        self.conn.execute("UPDATE sessions SET second_factor_pending = 0 WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, s.csrf, s.created_at, s.last_seen, s.second_factor_pending FROM sessions s JOIN accounts a ON a.id = s.account
             WHERE s.token_hash = ?1"
        );
        Ok(self
            .conn
            .query_row(&sql, [token_hash], |r| {
                Ok(Session {
                    account: account(r)?,
                    csrf: r.get(7)?,
                    created_at: r.get(8)?,
                    last_seen: r.get(9)?,
                    second_factor_pending: r.get(10)?,
                })
            })
            .optional()?)
    }

    fn touch_session(&mut self, token_hash: &str, now: &str) -> Result<()> {
        self.conn.execute("UPDATE sessions SET last_seen = ?1 WHERE token_hash = ?2", [now, token_hash])?;
        Ok(())
    }

    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn.prepare(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.email"))?;
        let rows = stmt.query_map([], account)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn set_disabled(&mut self, id: i64, disabled: bool, actor: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if tx.execute("UPDATE accounts SET disabled = ?1 WHERE id = ?2", rusqlite::params![disabled, id])? == 0 {
            return Err(StoreError::Invalid(format!("no account {id}")));
        }
        tx.execute("DELETE FROM sessions WHERE account = ?1", [id])?;
        let action = if disabled { "disable-account" } else { "enable-account" };
        append_audit(&self.audit_key, &tx, actor.to_string(), action, &format!("account/{id}"), None, None)?;
        tx.commit()?;
        Ok(())
    }

    fn create_reset(&mut self, id: i64, token_hash: &str, expires_at: &str, actor: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO password_resets (token_hash, account, expires_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![token_hash, id, expires_at],
        )?;
        append_audit(
            &self.audit_key,
            &tx,
            actor.to_string(),
            "issue-reset-link",
            &format!("account/{id}"),
            None,
            Some(expires_at),
        )?;
        tx.commit()?;
        Ok(())
    }

    fn use_reset(&mut self, token_hash: &str, password_hash: &str, now: &str) -> Result<Option<Account>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: Option<(i64, String)> = tx
            .query_row("SELECT account, expires_at FROM password_resets WHERE token_hash = ?1", [token_hash], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        // Times are RFC 3339 UTC with seconds, written by one formatter: text order is time order.
        let Some((id, _)) = found.filter(|(_, expires_at)| expires_at.as_str() > now) else { return Ok(None) };
        tx.execute("DELETE FROM password_resets WHERE token_hash = ?1", [token_hash])?;
        tx.execute(
            "UPDATE accounts SET password_hash = ?1, must_change_password = 0 WHERE id = ?2",
            rusqlite::params![password_hash, id],
        )?;
        tx.execute("DELETE FROM sessions WHERE account = ?1", [id])?;
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = ?1");
        let account = tx.query_row(&sql, [id], account)?;
        append_audit(
            &self.audit_key,
            &tx,
            account.email.clone(),
            "reset-password",
            &format!("account/{id}"),
            None,
            None,
        )?;
        tx.commit()?;
        Ok(Some(account))
    }

    fn record(&mut self, actor: &str, action: &str, subject: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        append_audit(&self.audit_key, &tx, actor.to_string(), action, subject, None, None)?;
        tx.commit()?;
        Ok(())
    }

    fn reserve_attempt(
        &mut self,
        keys: &[observa_domain::throttle::Key],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<std::result::Result<Vec<i64>, chrono::Duration>> {
        use observa_domain::throttle::{wait, WINDOW};
        let since = (now - WINDOW).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Attempts older than the window no longer count for anything.
        tx.execute("DELETE FROM sign_in_attempts WHERE at < ?1", [&since])?;
        let mut longest = chrono::Duration::zero();
        for key in keys {
            let mut stmt =
                tx.prepare_cached("SELECT at FROM sign_in_attempts WHERE key = ?1 AND failed ORDER BY at")?;
            let times = stmt
                .query_map([&key.text], |r| r.get::<_, String>(0))?
                .filter_map(|t| t.ok())
                .filter_map(|t| chrono::DateTime::parse_from_rfc3339(&t).ok().map(|d| d.with_timezone(&chrono::Utc)))
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
            tx.execute("INSERT INTO sign_in_attempts (key, at, failed) VALUES (?1, ?2, 1)", [&key.text, &at])?;
            ids.push(tx.last_insert_rowid());
        }
        tx.commit()?;
        Ok(Ok(ids))
    }

    fn forgive_attempts(&mut self, key: &str, reserved: &[i64]) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM sign_in_attempts WHERE key = ?1", [key])?;
        for id in reserved {
            tx.execute("DELETE FROM sign_in_attempts WHERE rowid = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn use_totp_step(&mut self, account: i64, step: i64) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE accounts SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2",
            rusqlite::params![account, step],
        )?;
        Ok(changed == 1)
    }
}
