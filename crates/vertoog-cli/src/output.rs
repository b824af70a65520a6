//! Printing helpers: JSON to stdout, progress bars on stderr (hidden when stderr is not a
//! terminal, e.g. in scripts and tests).

use std::io::{IsTerminal, Write};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::error::CliResult;

/// Phase timings for benchmarks: with the environment variable `VERTOOG_TIMINGS` set, each
/// [`Timings::mark`] prints `timing: PHASE MS` (milliseconds since the start) on stderr.
pub struct Timings {
    start: Instant,
    on: bool,
}

impl Timings {
    pub fn start() -> Self {
        Timings {
            start: Instant::now(),
            on: std::env::var_os("VERTOOG_TIMINGS").is_some(),
        }
    }

    pub fn mark(&self, phase: &str) {
        if self.on {
            let ms = self.start.elapsed().as_secs_f64() * 1e3;
            eprintln!("timing: {phase} {ms:.1}");
        }
    }
}

/// Writes `value` as pretty JSON and a newline to stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> CliResult {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A spinner with a running count for long work, drawn on stderr only when it is a terminal.
pub fn spinner(message: &str) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {human_pos} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// A byte-count bar for reading files of known total size.
pub fn byte_bar(message: &str, total: u64) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}
