//! The `rampart` command: flags, commands and exit codes. The work happens in the library
//! crates; this file only wires them together.

mod catalog;
mod cli;
mod db;
mod iam;
mod images;
mod netpol;
mod pss;
mod rbac;
mod render;
mod sbom;
mod scan;
mod webhook;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use serde::Serialize;

use crate::cli::{Cli, Command, DbCommand, IamCommand, NetpolCommand, RbacCommand};

/// Exit codes, as DESIGN.md fixes them.
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Node(args) => scan::node(&args),
        Command::Image(args) => scan::image(&args),
        Command::Images(args) => images::run(&args),
        Command::Rules(args) => catalog::list(&args),
        Command::Rule(args) => catalog::explain(&args),
        Command::Pss(args) => pss::run(&args),
        Command::Rbac(args) => match args.command {
            RbacCommand::CanI(args) => rbac::can_i(&args),
            RbacCommand::WhoCan(args) => rbac::who_can(&args),
            RbacCommand::Permissions(args) => rbac::permissions(&args),
            RbacCommand::Escalations(args) => rbac::escalations(&args),
        },
        Command::Db(args) => match args.command {
            DbCommand::Import(args) => db::import(&args),
            DbCommand::Update(args) => db::update(&args),
            DbCommand::Status(args) => db::status(&args),
        },
        Command::Netpol(args) => match args.command {
            NetpolCommand::Connlist(args) => netpol::connlist(&args),
            NetpolCommand::Reach(args) => netpol::reach(&args),
        },
        Command::Sbom(args) => sbom::run(&args),
        Command::Iam(args) => match args.command {
            IamCommand::CanI(args) => iam::can_i(&args),
        },
        Command::Webhook(args) => webhook::run(args),
        Command::Render(args) => render::run(&args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "rampart", &mut std::io::stdout());
            Ok(false)
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map(|()| false)
            .map_err(Into::into),
    };
    match outcome {
        Ok(true) => ExitCode::from(EXIT_FINDINGS),
        Ok(false) => ExitCode::from(EXIT_CLEAN),
        Err(error) => {
            eprintln!("rampart: error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Problems in the input of a command whose answer is not a report: on standard error, so that
/// standard output holds only the answer.
fn eprint_diagnostics(diagnostics: &[rampart_core::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{}: {diagnostic}", diagnostic.level.as_str());
    }
}

/// A command's JSON answer: pretty-printed, ending in a newline.
fn write_json(out: &mut dyn Write, answer: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, answer)?;
    writeln!(out)
}
