//! The bridge's commands (`export`, `import`, `pull`, `push`; bridge.md §1): flags in, exit code out.
//! The work is in `crate::bridge`; this file reads files, prints the report and picks the exit code
//! (0 done, 1 failure, 2 usage, 3 `--strict` with unsupported or approximated items, or push conflicts).

use crate::config::{ExportArgs, ImportArgs, PullArgs, PushArgs};

pub fn export(_args: ExportArgs) -> i32 {
    eprintln!("flowgate export: not built yet");
    1
}

pub fn import(_args: ImportArgs) -> i32 {
    eprintln!("flowgate import: not built yet");
    1
}

pub fn pull(_args: PullArgs) -> i32 {
    eprintln!("flowgate pull: not built yet");
    1
}

pub fn push(_args: PushArgs) -> i32 {
    eprintln!("flowgate push: not built yet");
    1
}
