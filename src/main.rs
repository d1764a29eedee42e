//! The `bbreport` binary: parse, run, report the error, exit with its documented code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = bbreport::cli::Cli::parse();
    match bbreport::run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprint!("{}", e.render());
            ExitCode::from(e.exit_code())
        }
    }
}
