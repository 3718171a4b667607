//! Accounts and roles: who may sign in and what each role may do. Passwords are checked here
//! against the published policy (8 to 128 characters, not a common password, not the e-mail
//! address); hashing them is the web layer's job (argon2id).

use serde::{Deserialize, Serialize};

use crate::StateCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Accounts, roles, the audit log; everything an analyst can do.
    Administrator,
    /// The secretariat: cycles, reviews, analysis, the report's editorial text.
    Analyst,
    /// A government's liaison officer: only their own State's answers.
    Liaison,
    /// A plan coordinator (a national commission's technical secretariat): reports on their own
    /// State's plans.
    Coordinator,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Administrator, Role::Analyst, Role::Liaison, Role::Coordinator];

    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Analyst => "analyst",
            Role::Liaison => "liaison",
            Role::Coordinator => "coordinator",
        }
    }

    pub fn parse(text: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == text)
            .ok_or_else(|| format!("`{text}` is not a role; use administrator, analyst, liaison or coordinator"))
    }

    /// Whether the role must use a second factor (TOTP) to sign in.
    pub fn needs_second_factor(self) -> bool {
        self.is_secretariat()
    }

    /// Whether the role acts for the States its account names (liaison officers and plan
    /// coordinators), and so must name at least one.
    pub fn is_scoped(self) -> bool {
        matches!(self, Role::Liaison | Role::Coordinator)
    }

    /// Whether the role writes the secretariat's text (editorial blocks, reviews).
    pub fn is_secretariat(self) -> bool {
        matches!(self, Role::Administrator | Role::Analyst)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The States a liaison officer answers for (empty for other roles).
    pub states: Vec<StateCode>,
    pub must_change_password: bool,
    pub disabled: bool,
    /// Whether a second factor (TOTP) is set up.
    pub totp: bool,
}

/// Reads an e-mail address as accounts use it: trimmed, lower case, one `@` with text on both
/// sides and a dot in the domain. Deliverability is not checked (no mail server is needed).
pub fn parse_email(text: &str) -> Result<String, String> {
    let email = text.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split('@').count() == 2
        && email.split_once('@').is_some_and(|(user, domain)| {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        // The text may be anything a form sent: quote only its start.
        let shown: String = text.trim().chars().take(80).collect();
        let more = if text.trim().chars().count() > 80 { "…" } else { "" };
        Err(format!("`{shown}{more}` is not an e-mail address"))
    }
}

pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 128;

/// Common passwords refused whatever their length (a short list of the most used ones of eight
/// characters or more; shorter ones fail the length rule anyway).
const COMMON: &str = include_str!("common-passwords.txt");

/// Which rule of the password policy a new password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
    IsEmail,
}

impl PasswordProblem {
    /// A stable code, for interface texts (`password-too-short`, ...).
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "too-short",
            PasswordProblem::TooLong => "too-long",
            PasswordProblem::Common => "common",
            PasswordProblem::IsEmail => "is-email",
        }
    }
}

impl std::fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordProblem::TooShort => write!(f, "the password needs at least {MIN_PASSWORD} characters"),
            PasswordProblem::TooLong => write!(f, "the password may have at most {MAX_PASSWORD} characters"),
            PasswordProblem::Common => f.write_str("this password is among the most common ones; choose another"),
            PasswordProblem::IsEmail => f.write_str("the password may not be the e-mail address"),
        }
    }
}

/// Checks a new password against the policy.
pub fn check_password(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON.lines().any(|c| c.trim() == lower) {
        return Err(PasswordProblem::Common);
    }
    let local = email.split('@').next().unwrap_or("");
    if lower == email.to_lowercase() || (!local.is_empty() && lower == local.to_lowercase()) {
        return Err(PasswordProblem::IsEmail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_policy() {
        assert!(check_password("short", "a@b.org").unwrap_err().to_string().contains("at least 8"));
        assert_eq!(check_password(&"x".repeat(129), "a@b.org"), Err(PasswordProblem::TooLong));
        assert_eq!(check_password("Password1", "a@b.org"), Err(PasswordProblem::Common));
        assert_eq!(check_password("liaison.chile", "liaison.chile@gob.cl"), Err(PasswordProblem::IsEmail));
        assert!(check_password("corto-pero-raro-2015", "a@b.org").is_ok());
        assert!(check_password(&"ñ".repeat(128), "a@b.org").is_ok(), "characters, not bytes, are counted");
    }

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(parse_email("  Ana@Example.ORG ").unwrap(), "ana@example.org");
        for bad in ["", "ana", "ana@", "@x.org", "ana@x", "a b@x.org", "a@b@x.org", "ana@.org"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
        assert_eq!(Role::parse("liaison").unwrap(), Role::Liaison);
        assert!(Role::parse("root").unwrap_err().contains("not a role"));
    }
}
