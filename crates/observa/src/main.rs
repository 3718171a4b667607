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
    /// The SQLite database file; created and seeded with the bundled 2014 data when absent.
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
    },
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
    },
    /// Read or verify the append-only audit log of every write.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write the whole database as JSON, CSV files, an XLSX workbook or a Frictionless Data Package.
    Export {
        #[arg(long, value_enum)]
        format: Format,
        /// The JSON or XLSX file, or the folder for CSV files or the data package.
        #[arg(long)]
        out: PathBuf,
        /// The date on which reporting standings (overdue, due) are computed; today by default.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain; exits non-zero and names the entry if it was changed.
    Verify,
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
        Command::Serve { addr } => commands::serve::run(&cli.db, addr),
        Command::Check { data, quiet } => commands::check::run(&cli.db, data.as_deref(), quiet),
        Command::Import { path } => commands::import::run(&cli.db, &path),
        Command::Audit { command: AuditCommand::Verify } => commands::audit::verify(&cli.db),
        Command::Audit { command: AuditCommand::List { last } } => commands::audit::list(&cli.db, last),
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
