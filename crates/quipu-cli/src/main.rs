//! The `quipu` command: tags people, places and institutions in files, folders and streams.
//!
//! The binary is thin: argument parsing (here), input and output (`input`, `output`),
//! parallelism (`tag`). Everything else is the `quipu` library.

mod cli;
mod eval;
mod gazetteer;
mod input;
mod output;
mod report;
mod tag;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, GazetteerCommand};

/// What a command that ran to the end reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything succeeded.
    Ok,
    /// Some inputs failed (each reported on standard error); the others were processed.
    SomeFailed,
}

/// An error that stops a command before it does anything: bad usage, a gazetteer that does
/// not parse, an output folder that is not allowed. Exit code 2.
pub type Fatal = anyhow::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Gazetteer {
            command: GazetteerCommand::Check(args),
        } => gazetteer::check(args),
        Command::Gazetteer {
            command: GazetteerCommand::Stats(args),
        } => gazetteer::stats(args),
        Command::Gazetteer {
            command: GazetteerCommand::Snapshot(args),
        } => gazetteer::snapshot(args),
        Command::Eval(args) => eval::run(args),
    };
    match result {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::SomeFailed) => ExitCode::from(1),
        Err(e) => {
            eprintln!("quipu: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
