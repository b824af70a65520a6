//! `vertoog`: the command line of Vertoog. A thin shell: it parses arguments, opens the
//! store, calls the library crates and prints. Exit codes (docs/interfaces.md): 0 success,
//! 1 runtime error, 2 usage or input error; `--json` output goes to stdout and nothing else.

mod cli;
mod commands;
mod error;
mod output;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", vertoog_model::neutralise(&e.message));
            ExitCode::from(e.code)
        }
    }
}
