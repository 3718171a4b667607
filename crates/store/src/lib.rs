//! Observa's storage: the narrow [`Store`] interface and its two implementations, SQLite (the
//! embedded default, [`SqliteStore`]) and PostgreSQL (a database shared by several server
//! processes, [`PostgresStore`]). [`open`] picks the engine from the location; [`copy`] moves a
//! whole database between them. Each engine has its own append-only migrations under
//! `migrations/<engine>/`.

mod accounts;
pub mod audit;
pub mod backup;
mod consultation;
pub mod copy;
mod design;
mod history;
mod monitoring;
mod open_monitoring;
mod outbox;
pub mod postgres;
mod rows;
mod sqlite;

pub use audit::AuditFilter;
pub use open_monitoring::monitoring_tables;
pub use outbox::{Delivery, Failure, OutboxStore, Outgoing};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use observa_domain::account::{Account, Role};
use observa_domain::consultation::{Answers, Cycle, Draft, Status};
use observa_domain::editorial::{Annotation, EditorialBlock};
use observa_domain::history::{AsOf, Change, Origin, Version};
use observa_domain::monitoring::{Matrix, Period, ProgressReport, ReportKey};
use observa_domain::questionnaire::Questionnaire;
use observa_domain::Dataset;

/// What can go wrong in storage. Messages name the table or file concerned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {message}")]
    Open { path: String, message: String },
    #[error("migration {name}: {message}")]
    Migration { name: String, message: String },
    #[error("table {table}: {message}")]
    Table { table: String, message: String },
    /// The engine refused a statement; the message is the engine's, for the log (the web layer
    /// never shows it to a visitor).
    #[error("database: {0}")]
    Engine(String),
    #[error("the data is invalid: {0}")]
    Invalid(String),
    /// A save based on a version that is no longer the stored one: someone saved in between.
    #[error("{subject} was changed by someone else (now version {current}, the save was based on {based_on})")]
    Conflict { subject: String, current: i64, based_on: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Observa needs from one database, whichever engine holds it: what the web layer and
/// the commands hold (`Box<dyn Backend>`), so neither ever names an engine.
pub trait Backend:
    Store + AccountStore + ConsultationStore + MonitoringStore + DesignStore + OutboxStore + AuditLog + Send
{
}
impl<T: Store + AccountStore + ConsultationStore + MonitoringStore + DesignStore + OutboxStore + AuditLog + Send>
    Backend for T
{
}

/// Opens the database at `location` and brings its schema up to date: a `postgres://` or
/// `postgresql://` URL is PostgreSQL, anything else a SQLite file (the embedded default).
pub fn open(location: &std::path::Path) -> Result<Box<dyn Backend>> {
    match location.to_str().filter(|l| postgres::is_url(l)) {
        Some(url) => Ok(Box::new(PostgresStore::open(url)?)),
        None => Ok(Box::new(SqliteStore::open(location)?)),
    }
}

/// Where the database at `location` finds its audit key when no `OBSERVA_AUDIT_KEY` is set:
/// `OBSERVA_AUDIT_KEY_FILE`, else `<file>.audit-key` beside a SQLite file, or
/// `<database name>.audit-key` in the current directory for PostgreSQL.
pub fn audit_key_path(location: &std::path::Path) -> std::path::PathBuf {
    match location.to_str().filter(|l| postgres::is_url(l)) {
        Some(url) => audit::key_path(std::path::Path::new(&postgres::database_name(url))),
        None => audit::key_path(location),
    }
}

/// Whether `location` names a PostgreSQL database.
pub fn is_postgres(location: &std::path::Path) -> bool {
    location.to_str().is_some_and(postgres::is_url)
}

/// What [`Store::data_version`] reads, the same SQL on both engines: every registry write adds
/// versions and every editorial or annotation save raises a version, so the sum only grows.
pub(crate) const DATA_VERSION: &str = "SELECT CAST((SELECT COALESCE(MAX(seq), 0) FROM registry_versions)
    + (SELECT COALESCE(SUM(version), 0) FROM editorial) + (SELECT COALESCE(SUM(version), 0) FROM annotations) AS BIGINT)";

/// The audit log and the database's own health, for `observa audit`, `observa check` and the
/// administrators' audit page.
pub trait AuditLog {
    /// Checks the whole chain, row by row, and with `checkpoint` that the entry it names is still
    /// as it was: the number of entries, or where the chain breaks.
    fn verify_audit(
        &self,
        checkpoint: Option<&observa_domain::audit::Checkpoint>,
    ) -> Result<Result<usize, observa_domain::audit::Break>>;
    /// A signed note of the log's last entry, to keep away from the server; `None` when empty.
    fn audit_checkpoint(&self) -> Result<Option<observa_domain::audit::Checkpoint>>;
    /// The audit key's fingerprint (safe to show).
    fn audit_key_fingerprint(&self) -> String;
    /// Up to `limit` entries matching `filter`, newest first, older than entry `before`.
    fn audit_page(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<observa_domain::audit::AuditEntry>>;
    /// Up to `limit` entries after entry number `after`, oldest first.
    fn audit_from(&self, after: i64, limit: usize) -> Result<Vec<observa_domain::audit::AuditEntry>>;
    /// How many entries match `filter`.
    fn audit_count(&self, filter: &AuditFilter) -> Result<i64>;
    /// A value of the database's `meta` table (`origin`, `seeded_at`, ...).
    fn meta(&self, key: &str) -> Result<Option<String>>;
    /// The engine's own integrity checks; what they report (nothing when healthy).
    fn integrity(&self) -> Result<Vec<String>>;
}

/// The storage interface: everything Observa needs from a database engine.
pub trait Store {
    /// Whether the registry holds any data yet (a fresh database does not).
    fn is_seeded(&self) -> Result<bool>;
    /// Makes the registry equal to `dataset`, writing only the records that differ, each with a
    /// version established by `origin` and a field-level audit entry, atomically: on error
    /// nothing changes. Returns how many records changed.
    fn write_dataset(&mut self, dataset: &Dataset, origin: &Origin) -> Result<usize>;
    /// [`Store::write_dataset`] from the command line: established by `established_by` (a file,
    /// an import), for the newest cycle (2014 when there is none yet), taking effect today.
    fn replace_all(&mut self, dataset: &Dataset, established_by: &str) -> Result<usize>;
    /// Applies record-level changes computed from a reading of the registry (with
    /// [`observa_domain::history::diff`]); a change whose record is no longer what it started
    /// from is [`StoreError::Conflict`] and nothing changes.
    fn write_changes(&mut self, changes: &[Change], origin: &Origin) -> Result<()>;
    /// Reads the current registry.
    fn load(&self) -> Result<Dataset>;
    /// Reads State `code`'s part of the current registry (`observa_domain::part`): what an
    /// acceptance of its answers reads, so that it costs what the State's records cost.
    fn load_part(&self, code: &str) -> Result<Dataset>;
    /// The registry's versions that `as_of` includes, in the order they were recorded.
    fn history(&self, as_of: AsOf) -> Result<Vec<Version>>;
    /// The versions recorded after version `seq`, in order, and the last version's number (`seq`
    /// itself when there is none): what a reader built from version `seq` has not seen yet.
    fn versions_after(&self, seq: i64) -> Result<(Vec<Version>, i64)>;
    /// The registry as it stood for a cycle or on a date (the current one for [`AsOf::Now`]).
    fn load_as_of(&self, as_of: AsOf) -> Result<Dataset> {
        match as_of {
            AsOf::Now => self.load(),
            _ => observa_domain::history::rebuild(&self.history(as_of)?, as_of).map_err(StoreError::Invalid),
        }
    }
    /// Takes the history of an export: the database's own history must be its beginning (a new
    /// database has none); the missing versions are appended with their numbers and times, and
    /// the current tables become what the whole history says. Returns how many were appended.
    fn restore_history(&mut self, versions: &[Version], established_by: &str) -> Result<usize>;
    /// The audit log, oldest first (verify it with `observa_domain::audit::verify`).
    fn audit(&self) -> Result<Vec<observa_domain::audit::AuditEntry>>;
    /// Every table as (name, column names, rows of text cells), for CSV export.
    fn tables(&self) -> Result<Vec<Table>>;
    /// A number that changes whenever what the portal's view shows changes (the registry, the
    /// editorial blocks, the annotations), whoever wrote it: a server polls it to follow writes
    /// made by other processes on the same database. Cheap: a few index reads.
    fn data_version(&self) -> Result<i64>;
    /// [`Store::tables`] for the registry as it stood for a cycle or on a date: the same columns,
    /// cells written as the current tables write them.
    fn tables_as_of(&self, as_of: AsOf) -> Result<Vec<Table>> {
        let current = self.tables()?;
        if as_of == AsOf::Now {
            return Ok(current);
        }
        let records = observa_domain::history::records(&self.load_as_of(as_of)?).map_err(StoreError::Invalid)?;
        Ok(current
            .into_iter()
            .map(|t| {
                let rows = records.iter().find(|(name, _)| *name == t.name).map_or(&[][..], |(_, r)| r);
                let rows = rows.iter().map(|r| t.columns.iter().map(|c| cell(r.get(c))).collect()).collect();
                Table { rows, ..t }
            })
            .collect())
    }
    /// The editorial blocks of a cycle, in every language.
    fn editorial(&self, cycle: i32) -> Result<Vec<EditorialBlock>>;
    /// Saves one editorial block with an audit entry by `actor`, if `block.version` is the stored
    /// version (0 for a block not written yet); returns the new version. Otherwise nothing
    /// changes and the answer is [`StoreError::Conflict`].
    fn save_editorial(&mut self, block: &EditorialBlock, actor: &str) -> Result<i64>;
    /// The analysts' annotations of a cycle (SWOT regrouping, Rio replies).
    fn annotations(&self, cycle: i32) -> Result<Vec<Annotation>>;
    /// Saves one annotation, with the same version rule and audit as [`Store::save_editorial`].
    fn save_annotation(&mut self, annotation: &Annotation, actor: &str) -> Result<i64>;
}

/// Accounts and sessions: what signing in needs. Every write and every sign-in attempt is
/// recorded in the audit log with [`AccountStore::record`].
pub trait AccountStore {
    /// Creates an account; an e-mail already in use is [`StoreError::Invalid`].
    fn create_account(&mut self, account: &NewAccount, actor: &str) -> Result<Account>;
    /// The account and its password hash.
    fn account_by_email(&self, email: &str) -> Result<Option<(Account, String)>>;
    /// Replaces the password hash (and clears "must change"); ends the account's other sessions.
    fn set_password(&mut self, account: i64, hash: &str, keep_session: Option<&str>, actor: &str) -> Result<()>;
    /// Starts a session: its token's hash and its CSRF token; `pending` until the second factor.
    fn create_session(&mut self, account: i64, token_hash: &str, csrf: &str, now: &str, pending: bool) -> Result<()>;
    /// The account's TOTP secret (base32), if one is set up.
    fn totp_secret(&self, account: i64) -> Result<Option<String>>;
    /// Sets up the account's TOTP secret and lets the session that proved it through. Audited.
    fn set_totp(&mut self, account: i64, secret: &str, token_hash: &str) -> Result<()>;
    /// Marks a session's second factor as passed.
    fn pass_second_factor(&mut self, token_hash: &str) -> Result<()>;
    /// The session's account, CSRF token, start and last use.
    fn session(&self, token_hash: &str) -> Result<Option<Session>>;
    fn touch_session(&mut self, token_hash: &str, now: &str) -> Result<()>;
    fn end_session(&mut self, token_hash: &str) -> Result<()>;
    /// Every account, by e-mail.
    fn accounts(&self) -> Result<Vec<Account>>;
    /// Disables (ending its sessions) or enables an account.
    fn set_disabled(&mut self, account: i64, disabled: bool, actor: &str) -> Result<()>;
    /// Stores a single-use reset link (its token's hash) valid until `expires_at` (RFC 3339).
    fn create_reset(&mut self, account: i64, token_hash: &str, expires_at: &str, actor: &str) -> Result<()>;
    /// Uses a reset link: sets the new password hash, ends the account's sessions and deletes the
    /// link, in one transaction; `None` when the link is unknown, used or expired.
    fn use_reset(&mut self, token_hash: &str, password_hash: &str, now: &str) -> Result<Option<Account>>;
    /// Appends an audit entry that is not a data write (sign-in, failed sign-in, refused access).
    fn record(&mut self, actor: &str, action: &str, subject: &str) -> Result<()>;
    /// Reserves a sign-in attempt for every key, counted as a failure until forgiven, if the
    /// throttle's policy (`observa_domain::throttle`) lets all of them try at `now`; otherwise
    /// nothing is written and the answer is how long to wait. Check and reservation are one
    /// transaction, so parallel attempts cannot all pass.
    fn reserve_attempt(
        &mut self,
        keys: &[observa_domain::throttle::Key],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Result<Vec<i64>, chrono::Duration>>;
    /// After a successful sign-in: forgets the failures of `key` and the attempts `reserved`.
    fn forgive_attempts(&mut self, key: &str, reserved: &[i64]) -> Result<()>;
    /// Records that the account used the TOTP code of time step `step`; false (and nothing
    /// changes) when a code of that step or a later one was used already: a code works once.
    fn use_totp_step(&mut self, account: i64, step: i64) -> Result<bool>;
}

/// The consultation: cycles, each State's versioned draft, submissions, and API tokens.
pub trait ConsultationStore {
    /// Opens a cycle with its own copy of the questionnaire; an open cycle is [`StoreError::Invalid`].
    fn open_cycle(
        &mut self,
        year: i32,
        questionnaire: &Questionnaire,
        deadline: chrono::NaiveDate,
        actor: &str,
    ) -> Result<()>;
    /// Every cycle, newest first.
    fn cycles(&self) -> Result<Vec<Cycle>>;
    fn drafts(&self, cycle: i32) -> Result<Vec<Draft>>;
    fn draft(&self, cycle: i32, state: &str) -> Result<Option<Draft>>;
    /// Saves a State's answers (the response becomes a draft) if the stored response is still
    /// what the workflow read and decided on (`expected`: version 0 and not started for the first
    /// save); returns the new version. Otherwise it is [`StoreError::Conflict`] and nothing
    /// changes. Audited with what changed. Which statuses may be saved is the workflow's rule.
    fn save_draft(
        &mut self,
        cycle: i32,
        state: &str,
        answers: &Answers,
        expected: Expected,
        actor: &str,
    ) -> Result<i64>;
    /// Submits the draft `expected` names: true when this call created the submission, false
    /// when that version was submitted already (one submission per version, enforced by the
    /// database; then nothing changes). A response no longer as expected is
    /// [`StoreError::Conflict`].
    fn submit(&mut self, cycle: i32, state: &str, expected: Expected, actor: &str) -> Result<bool>;
    /// Returns a response to its liaison officers: the status `Returned` and the comment that
    /// says why, in one transaction, if the response is still as `expected` (else
    /// [`StoreError::Conflict`], nothing changes). Audited with the comment.
    fn return_response(&mut self, cycle: i32, state: &str, expected: Expected, comment: &NewComment) -> Result<()>;
    /// Accepts a response still as `expected` and, in the same transaction, writes `changes` (the
    /// answers projected into the registry, record by record, established by
    /// `answers-<cycle>-<state>`) and the acceptance's `comments`: all of it happens, or nothing.
    fn accept(
        &mut self,
        cycle: i32,
        state: &str,
        expected: Expected,
        changes: &[Change],
        comments: &[NewComment],
        actor: &str,
    ) -> Result<()>;
    /// Adds a comment on one question of a State's answers (a reviewer's, or an officer's reply).
    fn add_comment(&mut self, cycle: i32, state: &str, question: &str, body: &str, actor: &str) -> Result<()>;
    /// The comments on a State's answers, oldest first.
    fn comments(&self, cycle: i32, state: &str) -> Result<Vec<Comment>>;
    /// Stores a document attached to a State's answers; returns its id. Audited (name, type,
    /// size and checksum; not the content).
    fn attach(&mut self, cycle: i32, state: &str, file: &Attachment, content: &[u8], actor: &str) -> Result<i64>;
    /// The documents attached to a State's answers (without their content).
    fn attachments(&self, cycle: i32, state: &str) -> Result<Vec<Attachment>>;
    /// One attachment and its content.
    fn attachment(&self, cycle: i32, state: &str, id: i64) -> Result<Option<(Attachment, Vec<u8>)>>;
    /// The e-mail addresses of the enabled liaison officers of a State.
    fn liaisons(&self, state: &str) -> Result<Vec<String>>;
    /// Queues messages for a mail server, with one audit entry; returns how many.
    fn queue(&mut self, messages: &[Message], actor: &str) -> Result<usize>;
    /// Messages not sent yet, oldest first.
    fn outbox(&self) -> Result<Vec<Message>>;
    /// How many submissions a State made in a cycle.
    fn submissions(&self, cycle: i32, state: &str) -> Result<usize>;
    /// Stores a personal API token (its SHA-256) for an account, valid until `expires_at` (RFC
    /// 3339); returns its id.
    fn create_token(
        &mut self,
        account: &Account,
        token_hash: &str,
        expires_at: &str,
        label: &str,
        actor: &str,
    ) -> Result<i64>;
    /// The e-mail of the enabled account a token belongs to, if the token is neither expired at
    /// `now` nor revoked.
    fn token_account(&self, token_hash: &str, now: &str) -> Result<Option<String>>;
    /// The tokens of one account, or of every account (`None`), newest first.
    fn tokens(&self, account: Option<i64>) -> Result<Vec<ApiToken>>;
    /// Revokes a token; with `owner`, only if it belongs to that account. False when there is no
    /// such (unrevoked) token. Audited.
    fn revoke_token(&mut self, id: i64, owner: Option<i64>, actor: &str) -> Result<bool>;
}

/// Plan monitoring: each plan's action matrix and its periods, progress reports with their
/// comments, reopened periods and evidence. Which writes are allowed, and what a report's status
/// becomes, is the workflow's rule; the store checks that what it decided from is still there.
pub trait MonitoringStore {
    /// A plan's matrix and its version.
    fn matrix(&self, plan: &str) -> Result<Option<(Matrix, i64)>>;
    /// Every matrix with its State, by plan.
    fn matrices(&self) -> Result<Vec<(String, Matrix)>>;
    /// Saves a plan's matrix if its stored version is `expected` (0 for none yet) and makes the
    /// plan's periods `periods`, in one transaction with an audit entry; returns the new
    /// version. Otherwise [`StoreError::Conflict`] and nothing changes.
    fn save_matrix(
        &mut self,
        state: &str,
        matrix: &Matrix,
        expected: i64,
        periods: &[Period],
        actor: &str,
    ) -> Result<i64>;
    /// A plan's reporting periods, by indicator and start.
    fn periods(&self, plan: &str) -> Result<Vec<Period>>;
    /// A plan's progress reports, every status, by indicator and period.
    fn progress(&self, plan: &str) -> Result<Vec<ProgressReport>>;
    fn progress_report(&self, key: &ReportKey) -> Result<Option<ProgressReport>>;
    /// One indicator's reports, by period (what a save compares a value with).
    fn indicator_progress(&self, plan: &str, indicator: &str) -> Result<Vec<ProgressReport>>;
    /// The period of `key`, if the plan's schedule has it.
    fn period(&self, key: &ReportKey) -> Result<Option<Period>>;
    /// Writes a report (its status as the workflow decided) if the stored one is still as
    /// `expected` ([`Expected::NEW`] for none), with `comment` if any, keeping the indicator's
    /// latest approved period up to date, in one transaction with an audit entry `action`;
    /// returns the new version.
    fn save_progress(
        &mut self,
        state: &str,
        report: &ProgressReport,
        expected: Expected,
        comment: Option<&NewComment>,
        action: &str,
    ) -> Result<i64>;
    /// The comments on a report, oldest first.
    fn progress_comments(&self, key: &ReportKey) -> Result<Vec<Comment>>;
    /// Lets entries into a locked period until `until` (audited), and with `report` writes the
    /// period's report as the workflow decided (an approved value sent back), as
    /// [`MonitoringStore::save_progress`] would, in the same transaction.
    fn reopen_period(
        &mut self,
        key: &ReportKey,
        until: chrono::NaiveDate,
        report: Option<Reported<'_>>,
        actor: &str,
    ) -> Result<()>;
    /// The last day of each period's latest reopening: (indicator, period start) → until.
    fn reopenings(
        &self,
        plan: &str,
    ) -> Result<std::collections::BTreeMap<(String, chrono::NaiveDate), chrono::NaiveDate>>;
    /// Every plan's indicators' latest approved period end: plan → indicator → day.
    fn latest_approved(
        &self,
    ) -> Result<std::collections::BTreeMap<String, std::collections::BTreeMap<String, chrono::NaiveDate>>>;
    /// Stores a document as evidence of a report; returns its id. Audited (not the content).
    fn attach_evidence(&mut self, key: &ReportKey, file: &Evidence, content: &[u8], actor: &str) -> Result<i64>;
    /// The evidence of a plan's reports (without content), by report.
    fn evidence(&self, plan: &str) -> Result<Vec<(ReportKey, Evidence)>>;
    /// One document of evidence and its content.
    fn evidence_file(&self, plan: &str, id: i64) -> Result<Option<(ReportKey, Evidence, Vec<u8>)>>;
    /// Writes many reports (State, report) as they are, replacing any stored for the same
    /// period, with one audit entry, in one transaction: loading a demonstration or a benchmark,
    /// or moving reports kept elsewhere. The workflow's rules are the caller's to have applied.
    fn import_reports(&mut self, reports: &[(String, ProgressReport)], actor: &str) -> Result<usize>;
    /// Marks the database as holding demonstration data (`meta.demonstration` = `note`): every
    /// page served from it says so. Audited.
    fn mark_demonstration(&mut self, note: &str, actor: &str) -> Result<()>;
}

/// Plans in design: each State's drafts of its next plan (`observa_domain::monitoring::design`).
/// Which drafts may be written is the workflow's rule; the store keeps the versions.
pub trait DesignStore {
    /// Every draft, by State and id.
    fn plan_drafts(&self) -> Result<Vec<PlanDraft>>;
    fn plan_draft(&self, id: i64) -> Result<Option<PlanDraft>>;
    /// Stores a new draft (its `id` and `version` are ignored) at version 1, audited; returns its
    /// id.
    fn create_plan_draft(&mut self, draft: &PlanDraft, actor: &str) -> Result<i64>;
    /// Saves a draft's title and body if its stored version is `expected`, in one transaction with
    /// an audit entry; returns the new version. Otherwise [`StoreError::Conflict`] and nothing
    /// changes.
    fn save_plan_draft(&mut self, draft: &PlanDraft, expected: i64, actor: &str) -> Result<i64>;
}

pub use observa_domain::monitoring::design::Draft as PlanDraft;

/// A report to write with another write: the report as decided, what the stored one must be,
/// and the comment that says why.
#[derive(Debug, Clone, Copy)]
pub struct Reported<'a> {
    pub state: &'a str,
    pub report: &'a ProgressReport,
    pub expected: Expected,
    pub comment: Option<&'a NewComment>,
}

/// A document of evidence: an attachment, public or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Evidence {
    #[serde(flatten)]
    pub file: Attachment,
    /// Shown to everyone; otherwise only to the State's officers and the secretariat.
    pub public: bool,
}

/// What a consultation write expects the stored response to be: the version and status the
/// workflow read and decided on. The store compares both inside its transaction, so a decision
/// taken on a response that changed in between is refused ([`StoreError::Conflict`]) rather than
/// applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub version: i64,
    pub status: Status,
}

impl Expected {
    /// A response nobody has saved yet.
    pub const NEW: Expected = Expected { version: 0, status: Status::NotStarted };
}

/// A comment to write with a decision (on `question`, or `general`), by `author`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub question: String,
    pub body: String,
    pub author: String,
}

/// A document attached to a State's answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

/// A personal API token as its owner and administrators see it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub email: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A message for the outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// One comment of a review.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Comment {
    pub question: String,
    pub author: String,
    pub body: String,
    pub at: String,
}

/// What creating an account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub role: Role,
    pub states: Vec<observa_domain::StateCode>,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    pub created_at: String,
    pub last_seen: String,
    /// Signed in with the password, but the TOTP code is still to come.
    pub second_factor_pending: bool,
}

/// A record's field as a text cell, as the engines write it: booleans as 1 or 0, lists and
/// objects as JSON.
fn cell(value: Option<&serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(if *b { "1" } else { "0" }.into()),
        other => Some(other.to_string()),
    }
}

/// A table's content as text, in the database's own column order.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    /// Declared SQL types, one per column: `TEXT`, `INTEGER`, `BOOLEAN`, `JSONTEXT`.
    pub types: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}
