//! flowgate: one binary with a NocoBase-compatible API for custom action workflows triggered over HTTP.

mod acl;
mod admin;
mod app;
mod auth;
mod cli;
mod collections;
mod config;
mod demo;
mod error;
mod http;
mod store;
mod time;
mod trigger;
mod workflow;

use clap::Parser;

fn main() {
    let cli = config::Cli::parse();
    let code = match cli.command {
        config::Command::Serve(args) => cli::serve(args),
        config::Command::User(cmd) => cli::user(cmd),
        config::Command::Healthcheck { url } => cli::healthcheck(url),
    };
    std::process::exit(code);
}
