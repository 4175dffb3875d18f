//! The command line (clap) and the server configuration it yields (operations.md §1).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::store::Durability;

#[derive(Parser, Debug)]
#[command(
    name = "flowgate",
    version,
    about = "A NocoBase-compatible backend for custom action workflows"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the server.
    Serve(ServeArgs),
    /// Manage users of a data folder (works while a server runs on it).
    #[command(subcommand)]
    User(UserCommand),
    /// GET <url>/api/health; exit 0 when the server answers 200 ok.
    Healthcheck {
        #[arg(long)]
        url: Option<String>,
    },
    /// Write the app's definitions (collections, roles, workflows) as one JSON document (bridge.md §4).
    Export(ExportArgs),
    /// Apply a definitions document to a data folder no server holds, all or nothing.
    Import(ImportArgs),
    /// Read a live NocoBase (or flowgate) app's definitions and import them (or write them with -o).
    Pull(PullArgs),
    /// Create or update the definitions of a data folder (or a document) on a live NocoBase.
    Push(PushArgs),
    /// Copy a data folder's store to a file, consistently, while a server runs on it.
    Backup(BackupArgs),
    /// Make a backup file the store of a data folder no server holds.
    Restore(RestoreArgs),
}

#[derive(Args, Debug, Clone)]
pub struct BackupArgs {
    #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
    pub data: PathBuf,
    /// the copy to write (must not exist)
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct RestoreArgs {
    /// a file `flowgate backup` (or `GET /api/app:backup`) wrote
    pub file: PathBuf,
    #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
    pub data: PathBuf,
    /// overwrite the store the folder holds
    #[arg(long)]
    pub replace: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
    pub data: PathBuf,
    /// write the document here (default: stdout)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// every version of each workflow key, earlier ones under `history`
    #[arg(long)]
    pub all_versions: bool,
    /// the rows of every collection too
    #[arg(long)]
    pub records: bool,
}

/// Flags every bridge command that applies a document shares.
#[derive(Args, Debug, Clone)]
pub struct ApplyArgs {
    /// print what would change and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// also write the report as JSON to this file
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// exit 3 when the report has unsupported or approximated items
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ImportArgs {
    /// the document (`-` reads stdin)
    pub file: PathBuf,
    #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
    pub data: PathBuf,
    /// make roles, grants and workflows exactly the document's (nothing else is deleted)
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub apply: ApplyArgs,
}

/// How the bridge signs in to a live server.
#[derive(Args, Debug, Clone)]
pub struct RemoteAuth {
    /// a NocoBase API key or a flowgate token
    #[arg(long, conflicts_with_all = ["account", "password", "password_stdin"])]
    pub token: Option<String>,
    #[arg(long, requires = "password_given")]
    pub account: Option<String>,
    #[arg(long, conflicts_with = "password_stdin", group = "password_given")]
    pub password: Option<String>,
    /// read the password from the first line of stdin
    #[arg(long, group = "password_given")]
    pub password_stdin: bool,
    /// the role to act as (default root)
    #[arg(long, default_value = "root")]
    pub role: String,
}

#[derive(Args, Debug, Clone)]
pub struct PullArgs {
    /// the server's address, http:// or https://
    #[arg(long)]
    pub from: String,
    #[command(flatten)]
    pub auth: RemoteAuth,
    #[arg(
        long,
        env = "FLOWGATE_DATA",
        default_value = "./flowgate-data",
        conflicts_with = "out"
    )]
    pub data: PathBuf,
    /// write the document here instead of importing it
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// every version of each workflow key, earlier ones under `history`
    #[arg(long)]
    pub all_versions: bool,
    /// the rows of every collection too
    #[arg(long)]
    pub records: bool,
    #[command(flatten)]
    pub apply: ApplyArgs,
}

#[derive(Args, Debug, Clone)]
pub struct PushArgs {
    /// the NocoBase's address, http:// or https://
    #[arg(long)]
    pub to: String,
    #[command(flatten)]
    pub auth: RemoteAuth,
    #[arg(
        long,
        env = "FLOWGATE_DATA",
        default_value = "./flowgate-data",
        conflicts_with = "file"
    )]
    pub data: PathBuf,
    /// push this document instead of a data folder
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// print the plan and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// the plan as JSON
    #[arg(long)]
    pub json: bool,
    /// make admin and member exactly the document's (default: only add)
    #[arg(long)]
    pub exact_roles: bool,
    /// leave conflicting objects out instead of refusing the push
    #[arg(long)]
    pub skip_conflicts: bool,
    /// also write the report as JSON to this file
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// push to a NocoBase whose major version is not 2
    #[arg(long)]
    pub force_version: bool,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (default role member); prints its id and any generated password.
    Add {
        #[arg(long, required_unless_present = "username")]
        email: Option<String>,
        #[arg(long)]
        username: Option<String>,
        #[command(flatten)]
        password: PasswordArgs,
        #[arg(long = "role")]
        roles: Vec<String>,
        #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
        data: PathBuf,
    },
    /// Set a user's password and revoke their sign-in tokens.
    Passwd {
        /// username or email
        account: String,
        #[command(flatten)]
        password: PasswordArgs,
        #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
        data: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct PasswordArgs {
    #[arg(long, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// read the password from the first line of stdin
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// address to listen on (port 0 = any free port)
    #[arg(long, env = "FLOWGATE_LISTEN", default_value = "127.0.0.1:13000")]
    pub listen: String,
    /// data folder (created if missing)
    #[arg(long, env = "FLOWGATE_DATA", default_value = "./flowgate-data")]
    pub data: PathBuf,
    #[arg(
        long,
        env = "FLOWGATE_DURABILITY",
        value_enum,
        default_value = "normal"
    )]
    pub durability: Durability,
    /// JSON body limit in bytes
    #[arg(long, env = "FLOWGATE_BODY_LIMIT", default_value_t = 1_048_576)]
    pub body_limit: usize,
    /// sign-in token lifetime, <n>ms|s|m|h|d
    #[arg(long, env = "FLOWGATE_TOKEN_TTL", default_value = "7d", value_parser = parse_duration)]
    pub token_ttl: Duration,
    /// allowed CORS origin (repeatable); none by default
    #[arg(
        long = "cors-origin",
        env = "FLOWGATE_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// install the demo collections and workflows and print a token
    #[arg(long, env = "FLOWGATE_DEMO")]
    pub demo: bool,
    /// run async executions (off: they are queued only)
    #[arg(long, env = "FLOWGATE_WORKER", value_enum, default_value = "on")]
    pub worker: OnOff,
    /// read connections (default: CPUs, at least 2)
    #[arg(long, env = "FLOWGATE_READ_POOL")]
    pub read_pool: Option<u32>,
    /// how long a client may take to send a request's headers, and then its body, <n>ms|s|m|h|d
    #[arg(long, env = "FLOWGATE_REQUEST_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    #[arg(long, env = "FLOWGATE_SHUTDOWN_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub shutdown_timeout: Duration,
    #[arg(long, env = "FLOWGATE_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// apply this definitions document at start (idempotent; bridge.md §4)
    #[arg(long = "import", env = "FLOWGATE_IMPORT")]
    pub import: Option<PathBuf>,
    /// finished executions kept store-wide, the newest (0 = no cap); older ones are deleted in batches
    #[arg(long, env = "FLOWGATE_KEEP_EXECUTIONS", default_value_t = 100_000)]
    pub keep_executions: u64,
    /// days a finished execution is kept (0 = no age limit)
    #[arg(long, env = "FLOWGATE_KEEP_DAYS", default_value_t = 30)]
    pub keep_days: u64,
    /// serve GET /metrics without a token (default: root or admin only)
    #[arg(long, env = "FLOWGATE_METRICS_PUBLIC")]
    pub metrics_public: bool,
    /// largest store (file and WAL, MiB) a dry run (`?dryRun=true`) copies; a bigger one refuses it
    #[arg(long, env = "FLOWGATE_DRY_RUN_MAX_MB", default_value_t = 256)]
    pub dry_run_max_mb: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    crate::time::parse_duration(s)
}

/// Settings the running server reads; built once from `ServeArgs` and the environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub serve: ServeArgs,
    pub read_pool: u32,
    pub loop_limit: usize,
    /// `FLOWGATE_ROOT_PASSWORD`: root's password at first start (none: generated and printed once).
    pub root_password: Option<String>,
    /// `FLOWGATE_ROOT_EMAIL`: root's email at first start.
    pub root_email: Option<String>,
    /// Always `Cost::Spec` from the command line; in-process test servers lower it.
    pub password_cost: crate::auth::password::Cost,
}

impl Config {
    /// The configuration of `flowgate serve`: the arguments and the process environment.
    pub fn from_args(serve: ServeArgs) -> Config {
        Config::from_args_and_env(serve, |name| std::env::var(name).ok())
    }

    /// Like [`Config::from_args`], with the variables that are not `ServeArgs` flags (`FLOWGATE_LOOP_LIMIT`,
    /// `FLOWGATE_ROOT_PASSWORD`, `FLOWGATE_ROOT_EMAIL`) looked up through `env` (in-process test servers
    /// pass their own).
    pub fn from_args_and_env(serve: ServeArgs, env: impl Fn(&str) -> Option<String>) -> Config {
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get() as u32)
            .unwrap_or(2);
        let read_pool = serve.read_pool.unwrap_or(cpus).max(2);
        let loop_limit = env("FLOWGATE_LOOP_LIMIT")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        Config {
            serve,
            read_pool,
            loop_limit,
            root_password: env("FLOWGATE_ROOT_PASSWORD"),
            root_email: env("FLOWGATE_ROOT_EMAIL"),
            password_cost: crate::auth::password::Cost::Spec,
        }
    }

    pub fn worker_on(&self) -> bool {
        self.serve.worker == OnOff::On
    }
}
