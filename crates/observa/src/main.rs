//! `observa`: the one binary. Each subcommand lives in its own module under `commands/`.

mod bundled;
mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "observa",
    version,
    about = "Observatory of national action plans against the sexual exploitation of children"
)]
struct Cli {
    /// The database: a SQLite file (created and seeded with the bundled 2014 data when absent) or
    /// a PostgreSQL URL, `postgres://user@host:port/name`.
    #[arg(long, global = true, env = "OBSERVA_DB", default_value = "observa.db")]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the public portal and the read API (creates and seeds the database when absent).
    Serve {
        /// Where to listen.
        #[arg(long, env = "OBSERVA_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Observa is reached only through HTTPS (a TLS proxy in front): mark cookies `Secure`
        /// and send Strict-Transport-Security.
        #[arg(long, env = "OBSERVA_BEHIND_TLS")]
        behind_tls: bool,
        /// The mail relay that sends the outbox (reminders), in lettre's URL form:
        /// `smtp://host:25` (a local relay, no encryption), `smtp://user:pass@host:587?tls=required`
        /// (STARTTLS) or `smtps://user:pass@host:465` (TLS). Without it nothing is sent.
        #[arg(long, env = "OBSERVA_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// The address messages come from (`Observa <observa@example.org>`); needed with `--smtp-url`.
        #[arg(long, env = "OBSERVA_MAIL_FROM")]
        mail_from: Option<String>,
    },
    /// Build a separate demonstration database (`--db demo.db`): the 2014 registry plus
    /// synthetic monitoring data, marked as such on every page. Refuses a real database.
    Demo,
    /// Validate the data files and the database, and print the curation report.
    Check {
        /// A folder of data files to check instead of the bundled ones.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Only print problems and the summary, not the full curation report.
        #[arg(long)]
        quiet: bool,
    },
    /// Replace the database's content with a JSON export or a folder of TOML data files.
    Import {
        /// A `.json` export, or a folder of data files laid out like `data/`.
        path: PathBuf,
        /// Import even a source with no States (or no plans while the database has some),
        /// which empties the registry.
        #[arg(long)]
        allow_empty: bool,
    },
    /// Write the annual report of a cycle (HTML, PDF, DOCX, XLSX or Markdown) in one language,
    /// or with `--all` every format in every language into the folder `--out`.
    Report {
        /// The consultation cycle (year).
        #[arg(long, default_value_t = 2014)]
        cycle: i32,
        /// en, es, pt or fr.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: observa_domain::Lang,
        /// html, pdf, docx, xlsx or md; guessed from `--out`'s extension when omitted.
        #[arg(long, value_parser = parse_report_format)]
        format: Option<observa_report::Format>,
        /// The file to write (with `--all`, the folder).
        #[arg(long)]
        out: PathBuf,
        /// The date plans are judged in force on; 31 December of the cycle's year by default.
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
        /// The day the monitoring section's figures are computed on (its "last year" ends then);
        /// today by default.
        #[arg(long)]
        monitored_on: Option<chrono::NaiveDate>,
        /// Every format in every language.
        #[arg(long)]
        all: bool,
    },
    /// Consultation cycles.
    Cycle {
        #[command(subcommand)]
        command: CycleCommand,
    },
    /// Personal API tokens for the machine interface.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage accounts (administrators, analysts, liaison officers).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Read or verify the append-only audit log of every write.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the whole database (accounts, drafts, attachments, audit log),
    /// safe while the server is running; the audit key file beside the database is not in it.
    Backup {
        /// The copy to write; an existing file is refused unless `--force`.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Replace the database `--db` with a backup, after checking it; a database that holds
    /// anything is refused unless `--force`. Stop the server first.
    Restore {
        /// A file written by `observa backup`.
        file: PathBuf,
        #[arg(long)]
        force: bool,
    },
    /// Apply the database's migrations (SQLite file or PostgreSQL URL) and say which; writes
    /// nothing else.
    Migrate,
    /// Copy a whole database (registry and its history, editorial text, accounts, the
    /// consultation, the audit log) into an empty one, SQLite or PostgreSQL, either way.
    Copy {
        /// The database to copy: a SQLite file or a PostgreSQL URL.
        #[arg(long)]
        from: PathBuf,
        /// The empty database to fill: a SQLite file or a PostgreSQL URL.
        #[arg(long)]
        to: PathBuf,
    },
    /// Write the whole database as JSON, CSV files, an XLSX workbook or a Frictionless Data Package.
    Export {
        #[arg(long, value_enum)]
        format: Format,
        /// The JSON or XLSX file, or the folder for CSV files or the data package.
        #[arg(long)]
        out: PathBuf,
        /// The registry as it stood for a cycle (`2014`) or on a date (`2014-09-30`; reporting
        /// standings are computed on it, or on 31 December of the cycle); `now` by default.
        #[arg(long, default_value = "now")]
        as_of: observa_domain::history::AsOf,
    },
}

#[derive(Subcommand)]
enum CycleCommand {
    /// Open a cycle whose questionnaire is copied from an earlier cycle's.
    Open {
        #[arg(long)]
        year: i32,
        /// The cycle whose questionnaire is copied.
        #[arg(long)]
        from: i32,
        /// The date answers are due (YYYY-MM-DD).
        #[arg(long)]
        deadline: chrono::NaiveDate,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a personal API token for an account and print it (once).
    Create {
        #[arg(long)]
        email: String,
        /// How many days it works (1 to 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// What it is for (shown in lists).
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List tokens (of one account, or all) without the tokens themselves.
    List {
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account and print its first password (to be changed at the first sign-in).
    Add {
        #[arg(long)]
        email: String,
        /// administrator, analyst or liaison.
        #[arg(long)]
        role: String,
        /// For a liaison officer: the State (ISO code), repeatable.
        #[arg(long = "state")]
        states: Vec<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's keyed hash chain and its head (and, if given, that the log still holds
    /// a checkpoint's entry as it was); exits non-zero and names the entry where it breaks.
    Verify {
        /// A checkpoint written earlier by `observa audit checkpoint`.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Print (or write to `--out`) a signed checkpoint of the log's last entry, to keep elsewhere.
    Checkpoint {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the audit log, newest last.
    List {
        /// Only the last N entries.
        #[arg(long)]
        last: Option<usize>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Xlsx,
    Datapackage,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { addr, behind_tls, smtp_url, mail_from } => {
            let mail = commands::serve::Mail { smtp_url, mail_from };
            commands::serve::run(&cli.db, addr, behind_tls, mail)
        }
        Command::Check { data, quiet } => commands::check::run(&cli.db, data.as_deref(), quiet),
        Command::Import { path, allow_empty } => commands::import::run(&cli.db, &path, allow_empty),
        Command::Report { cycle, lang, format, out, on, monitored_on, all } => commands::report::run(
            &cli.db,
            commands::report::Request { cycle, lang, format, out, on, monitored_on, all },
        ),
        Command::Cycle { command: CycleCommand::Open { year, from, deadline } } => {
            commands::cycle::open(&cli.db, year, from, deadline)
        }
        Command::Token { command: TokenCommand::Create { email, days, label } } => {
            commands::token::create(&cli.db, &email, days, &label)
        }
        Command::Token { command: TokenCommand::List { email } } => commands::token::list(&cli.db, email.as_deref()),
        Command::Token { command: TokenCommand::Revoke { id } } => commands::token::revoke(&cli.db, id),
        Command::User { command: UserCommand::Add { email, role, states } } => {
            commands::user::add(&cli.db, &email, &role, &states)
        }
        Command::Audit { command: AuditCommand::Verify { checkpoint } } => {
            commands::audit::verify(&cli.db, checkpoint.as_deref())
        }
        Command::Audit { command: AuditCommand::Checkpoint { out } } => {
            commands::audit::checkpoint(&cli.db, out.as_deref())
        }
        Command::Audit { command: AuditCommand::List { last } } => commands::audit::list(&cli.db, last),
        Command::Backup { out, force } => commands::backup::backup(&cli.db, &out, force),
        Command::Restore { file, force } => commands::backup::restore(&file, &cli.db, force),
        Command::Migrate => commands::migrate::run(&cli.db),
        Command::Demo => commands::demo::run(&cli.db).map(|()| ExitCode::SUCCESS),
        Command::Copy { from, to } => commands::copy::run(&from, &to),
        Command::Export { format: Format::Json, out, as_of } => commands::export::json(&cli.db, &out, as_of),
        Command::Export { format: Format::Csv, out, as_of } => commands::export::csv(&cli.db, &out, as_of),
        Command::Export { format: Format::Xlsx, out, .. } => commands::export::xlsx(&cli.db, &out),
        Command::Export { format: Format::Datapackage, out, .. } => commands::export::datapackage(&cli.db, &out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_lang(text: &str) -> Result<observa_domain::Lang, String> {
    observa_domain::Lang::ALL
        .into_iter()
        .find(|l| l.code() == text)
        .ok_or_else(|| format!("`{text}` is not a working language; use en, es, pt or fr"))
}

fn parse_report_format(text: &str) -> Result<observa_report::Format, String> {
    observa_report::Format::from_extension(text)
        .ok_or_else(|| format!("`{text}` is not a report format; use html, pdf, docx, xlsx or md"))
}
