//! The binary's error: a message for stderr and the exit code of docs/interfaces.md.

use std::fmt::Display;

#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A usage or input error: exit code 2.
    pub fn input(message: impl Display) -> Self {
        CliError {
            code: 2,
            message: message.to_string(),
        }
    }
    /// A runtime error: exit code 1.
    pub fn runtime(message: impl Display) -> Self {
        CliError {
            code: 1,
            message: message.to_string(),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::runtime(e)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::runtime(e)
    }
}
