//! One module per group of subcommands; `run` dispatches.

mod analysis;
mod brief;
mod data;
mod dynamics;
mod graphs;
mod maps;
mod plans;
mod serve;

use std::path::Path;

use vertoog_store::{Store, StoreError};

use crate::cli::{Cli, Command};
use crate::error::{CliError, CliResult};

/// Who the change log names for writes from the command line.
pub const PRINCIPAL: &str = "local";

pub fn run(cli: Cli) -> CliResult {
    let store_dir = cli.store.as_path();
    match cli.command {
        Command::Map(cmd) => maps::map(store_dir, cmd),
        Command::Import(args) => data::import(store_dir, args),
        Command::Export(args) => data::export(store_dir, args),
        Command::Merge(args) => maps::merge(store_dir, args),
        Command::Log(args) => maps::log(store_dir, args),
        Command::Undo(args) => maps::undo(store_dir, args),
        Command::Erase(args) => maps::erase(store_dir, args),
        Command::Compact => maps::compact(store_dir),
        Command::Token(cmd) => maps::token(store_dir, cmd),
        Command::Backup(args) => maps::backup(store_dir, args),
        Command::Restore(args) => maps::restore(store_dir, args),
        Command::Generate(args) => data::generate(args),
        Command::Analyse(args) => analysis::analyse_cmd(store_dir, args),
        Command::Network(args) => analysis::network(store_dir, args),
        Command::Polarization(args) => analysis::polarization(store_dir, args),
        Command::Timeline(args) => analysis::timeline_cmd(store_dir, args),
        Command::Dynamics(args) => dynamics::dynamics_cmd(store_dir, args),
        Command::Diff(args) => dynamics::diff_cmd(store_dir, args),
        Command::Whatif(args) => analysis::whatif_cmd(store_dir, args),
        Command::Plan(cmd) => plans::plan(store_dir, cmd),
        Command::Contacts(args) => plans::contacts(store_dir, args),
        Command::Coalition(cmd) => plans::coalition(store_dir, cmd),
        Command::Brief(args) => brief::brief_cmd(store_dir, args),
        Command::Serve(args) => serve::serve(store_dir, args),
    }
}

/// Opens the store; a store that cannot be opened is a runtime error (exit 1).
pub fn open_store(dir: &Path) -> CliResult<Store> {
    Store::open(dir).map_err(store_error)
}

/// Maps a store error to the exit code of docs/interfaces.md: what the user gave wrong is 2,
/// what went wrong at run time is 1.
pub fn store_error(e: StoreError) -> CliError {
    match e {
        StoreError::NotFound { .. }
        | StoreError::TokenNotFound(_)
        | StoreError::Conflict(_)
        | StoreError::Invalid(_)
        | StoreError::NearDuplicates(_) => CliError::input(e),
        _ => CliError::runtime(e),
    }
}
