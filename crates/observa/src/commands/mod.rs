//! One module per subcommand.

pub mod audit;
pub mod backup;
pub mod check;
pub mod copy;
pub mod cycle;
pub mod demo;
pub mod export;
pub mod import;
pub mod migrate;
pub mod report;
pub mod serve;
pub mod token;
pub mod user;
