//! The sandbox of the `script` (JavaScript) node: a fresh QuickJS runtime and context per run, as
//! NocoBase 2.2.15's default engine (`QuickJs.js`, used when `WORKFLOW_SCRIPT_MODULES` is unset) makes
//! one per run. Nothing of the host is given to it — no `require`, no `process`, no timers, no host
//! function at all (the console is `script.js`'s own and its lines are read back after the run) — so a
//! script reaches neither files, network nor the process, and one run sees nothing of another.
//!
//! A run is bounded: its time (the node's `timeout`, at most [`MAX_TIME`]; QuickJS's interrupt handler
//! stops even `while (true) {}`), its heap ([`MEMORY_LIMIT`]) and its stack; and at most
//! `js::max_live()` scripts run at once, so memory stays at that many heaps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use rquickjs::context::EvalOptions;
use rquickjs::{Context, Function, Object, Persistent, Runtime, Value as JsValue};
use serde_json::Value;

use super::js::{compile_only, epoch, max_live, thrown_text};

const GLUE: &str = include_str!("script.js");

/// The longest a script may run. NocoBase has no limit unless the node sets `timeout`; flowgate caps it
/// because a sync run may hold the store's writer (as the `sql` node's 5 s limit does).
pub const MAX_TIME: Duration = Duration::from_secs(5);
/// Heap of one run's runtime (NocoBase's QuickJS worker allows 128 MiB; flowgate runs them in-process).
const MEMORY_LIMIT: usize = 64 << 20;
/// JavaScript stack: what a 2 MiB worker thread with debug-build Rust frames under it can spare.
const STACK_LIMIT: usize = 512 << 10;

/// What a run gave: `Ok` the returned value as JSON (undefined → null), `Err` the error's text as
/// NocoBase's job result words it; and the console's lines either way.
#[derive(Debug)]
pub struct Outcome {
    pub result: Result<Value, String>,
    pub logs: Vec<String>,
}

/// The text of a run stopped by its time limit (NocoBase's own wording for its timeout).
pub fn timed_out(limit: Duration) -> String {
    format!("Script execution timed out after {}ms", limit.as_millis())
}

/// The script NocoBase evaluates for `source`: its body inside an async function, called.
fn wrapped(source: &str) -> String {
    format!("(async function __main() {{\n{source}\n}})()")
}

/// The syntax error every run of `source` would end with, found by compiling it without running it;
/// `None` when it compiles.
pub fn check(source: &str) -> Option<String> {
    match Sandbox::new(None) {
        Ok(s) => s
            .context
            .with(|ctx| compile_only(&ctx, &wrapped(source), false)),
        Err(e) => Some(e),
    }
}

/// Runs `source` with `args` (a JSON object whose keys become globals) for at most `limit`.
pub fn run(source: &str, args: &Value, limit: Duration) -> Outcome {
    let _permit = Permit::take();
    let deadline = Arc::new(AtomicU64::new(0));
    let sandbox = match Sandbox::new(Some(deadline.clone())) {
        Ok(s) => s,
        Err(e) => {
            return Outcome {
                result: Err(e),
                logs: Vec::new(),
            }
        }
    };
    let until = epoch().elapsed() + limit.min(MAX_TIME);
    deadline.store(until.as_nanos() as u64, Ordering::Relaxed);
    let stopped = || epoch().elapsed() >= until;

    let started = sandbox.with(|ctx, glue| start(ctx, glue, source, args));
    let result = match started {
        Err(_) if stopped() => Err(timed_out(limit.min(MAX_TIME))),
        Err(e) => Err(e),
        Ok(()) => drain(&sandbox, &stopped, limit.min(MAX_TIME)),
    };
    deadline.store(0, Ordering::Relaxed);
    let logs = sandbox.with(|_, glue| read_logs(glue));
    Outcome { result, logs }
}

/// Sets the arguments, evaluates the wrapped script and hands its promise to the glue's `settle`.
fn start<'js>(
    ctx: &rquickjs::Ctx<'js>,
    glue: &Object<'js>,
    source: &str,
    args: &Value,
) -> Result<(), String> {
    let call = |name: &str, arg: JsValue<'js>| -> Result<(), String> {
        let f: Function = glue.get(name).map_err(|e| format!("Error: {e}"))?;
        f.call::<_, ()>((arg,)).map_err(|_| thrown_text(ctx))
    };
    let json = rquickjs::String::from_str(ctx.clone(), &args.to_string())
        .map_err(|e| format!("Error: {e}"))?;
    call("setArgs", json.into_value())?;
    let promise: JsValue = ctx
        .eval_with_options(wrapped(source), sloppy())
        .map_err(|_| thrown_text(ctx))?;
    call("settle", promise)
}

/// Runs the job queue until it is empty (no timers exist, so nothing can settle the promise later),
/// then reads the outcome.
fn drain(sandbox: &Sandbox, stopped: &dyn Fn() -> bool, limit: Duration) -> Result<Value, String> {
    loop {
        match sandbox.runtime.execute_pending_job() {
            Ok(true) => continue,
            Ok(false) => break,
            // Only an uncatchable stop gets here: the glue's handlers catch the script's own errors.
            Err(_) if stopped() => return Err(timed_out(limit)),
            Err(job) => return Err(job.0.with(|ctx| thrown_text(&ctx))),
        }
    }
    let outcome: Option<String> = sandbox
        .with(|_, glue| {
            let f: Function = glue.get("outcome")?;
            f.call::<_, Option<String>>(())
        })
        .map_err(|e| format!("Error: {e}"))?;
    match outcome.as_deref().and_then(|o| o.split_at_checked(1)) {
        None => Err("Script promise did not settle".into()),
        Some(("R", json)) => serde_json::from_str(json)
            .map_err(|e| format!("Error: the script's result is not JSON: {e}")),
        Some((_, message)) => Err(message.to_string()),
    }
}

fn read_logs(glue: &Object) -> Vec<String> {
    let text = glue
        .get::<_, Function>("logs")
        .and_then(|f| f.call::<_, String>(()));
    text.ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn sloppy() -> EvalOptions {
    let mut options = EvalOptions::default();
    options.strict = false;
    options
}

/// One run's runtime with the limits and its context with the glue loaded.
struct Sandbox {
    // Field order is drop order: the glue before its context before its runtime.
    glue: Persistent<Object<'static>>,
    context: Context,
    runtime: Runtime,
}

impl Sandbox {
    /// `deadline` (nanoseconds after `epoch()`, 0 = none) arms the interrupt handler.
    fn new(deadline: Option<Arc<AtomicU64>>) -> Result<Sandbox, String> {
        let fail = |e: rquickjs::Error| format!("Error: the script sandbox did not start: {e}");
        let runtime = Runtime::new().map_err(fail)?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        runtime.set_max_stack_size(STACK_LIMIT);
        if let Some(watch) = deadline {
            runtime.set_interrupt_handler(Some(Box::new(move || {
                let until = watch.load(Ordering::Relaxed);
                until != 0 && epoch().elapsed().as_nanos() as u64 > until
            })));
        }
        let context = Context::full(&runtime).map_err(fail)?;
        let glue = context.with(|ctx| {
            let glue: Object = ctx
                .eval_with_options(GLUE, sloppy())
                .map_err(|_| format!("Error: script.js did not load: {}", thrown_text(&ctx)))?;
            Ok::<_, String>(Persistent::save(&ctx, glue))
        })?;
        Ok(Sandbox {
            glue,
            context,
            runtime,
        })
    }

    /// Runs `f` in the context with the glue object.
    fn with<T>(&self, f: impl for<'js> FnOnce(&rquickjs::Ctx<'js>, &Object<'js>) -> T) -> T {
        self.context.with(|ctx| {
            // Restoring into the context it was saved from cannot fail.
            let glue = self
                .glue
                .clone()
                .restore(&ctx)
                .expect("the glue belongs to this context");
            f(&ctx, &glue)
        })
    }
}

/// One of the `max_live()` places for a running script; a holder only computes (no store, no lock), so
/// a waiter never deadlocks with it.
struct Permit;

fn permits() -> &'static (Mutex<usize>, Condvar) {
    static PERMITS: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());
    &PERMITS
}

impl Permit {
    fn take() -> Permit {
        let (lock, freed) = permits();
        let mut running = lock.lock().unwrap_or_else(|e| e.into_inner());
        while *running >= max_live() {
            running = freed.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        *running += 1;
        Permit
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let (lock, freed) = permits();
        *lock.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn result(source: &str, args: Value) -> Result<Value, String> {
        run(source, &args, Duration::from_secs(2)).result
    }

    #[test]
    fn returns_awaits_and_reads_arguments() {
        assert_eq!(
            result("return a + 90;", json!({"a": "post"})),
            Ok(json!("post90"))
        );
        assert_eq!(
            result(
                "const a = await Promise.resolve(10); return a + (await Promise.resolve(20));",
                json!({})
            ),
            Ok(json!(30))
        );
        assert_eq!(result("", json!({})), Ok(Value::Null));
        assert_eq!(
            result("return { d: new Date(0), u: undefined };", json!({})),
            Ok(json!({"d": "1970-01-01T00:00:00.000Z"}))
        );
    }

    #[test]
    fn errors_are_worded_as_nocobase_words_them() {
        assert_eq!(
            result("throw new Error('fail')", json!({})),
            Err("Error: fail".into())
        );
        assert_eq!(
            result("return Promise.reject(new TypeError('no'))", json!({})),
            Err("TypeError: no".into())
        );
        assert_eq!(result("throw 'plain'", json!({})), Err("plain".into()));
        assert_eq!(
            result("return new Promise(() => {})", json!({})),
            Err("Script promise did not settle".into())
        );
        assert_eq!(
            result("require('fs')", json!({})),
            Err("ReferenceError: require is not defined".into())
        );
    }

    #[test]
    fn an_endless_loop_stops_at_the_limit() {
        let t = std::time::Instant::now();
        let out = run("while (true) {}", &json!({}), Duration::from_millis(200));
        assert_eq!(
            out.result,
            Err("Script execution timed out after 200ms".into())
        );
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        let out = run(
            "await null; for (;;) {}",
            &json!({}),
            Duration::from_millis(100),
        );
        assert_eq!(
            out.result,
            Err("Script execution timed out after 100ms".into())
        );
    }

    #[test]
    fn console_lines_are_collected() {
        let out = run(
            "console.log(1, 'a', {b: 2}); console.error('e'); return 0;",
            &json!({}),
            MAX_TIME,
        );
        assert_eq!(out.logs, ["1 a {\"b\":2}", "e"]);
    }

    #[test]
    fn check_finds_syntax_errors_only() {
        assert_eq!(check("return 1;"), None);
        assert_eq!(check("return await x;"), None);
        assert!(check("const\nreturn 1;").is_some_and(|e| e.starts_with("SyntaxError")));
    }
}
