//! flowgate: one binary with a NocoBase-compatible API for custom action workflows triggered over HTTP.
//! The binary is the command line; everything else is the `flowgate` library.

use clap::Parser;
use flowgate::{cli, config};

fn main() {
    let cli = config::Cli::parse();
    let code = match cli.command {
        config::Command::Serve(args) => cli::serve(args),
        config::Command::User(cmd) => cli::user(cmd),
        config::Command::Healthcheck { url } => cli::healthcheck(url),
        config::Command::Export(args) => cli::bridge::export(args),
        config::Command::Import(args) => cli::bridge::import(args),
        config::Command::Pull(args) => cli::bridge::pull(args),
        config::Command::Push(args) => cli::bridge::push(args),
        config::Command::Backup(args) => cli::backup::backup(args),
        config::Command::Restore(args) => cli::backup::restore(args),
    };
    std::process::exit(code);
}
