//! The sandbox that runs math.js and formula.js: QuickJS (rquickjs) with the vendored mathjs and
//! @formulajs/formulajs bundles and flowgate's glue (`host.js`) loaded, and nothing else — no host
//! function is ever given to it, so expression code reaches neither files, network, clock
//! setters nor the process. Each evaluation has a time limit (a runaway loop becomes a job error)
//! and the runtime a memory limit.
//!
//! Loading the libraries costs tens of milliseconds, so runtimes are pooled: an evaluation takes
//! an idle one (or makes one), and gives it back unless it broke its limits. Within a runtime,
//! math.js compiles each expression text once (a node's text is fixed; see `vars`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{Context, Function, Persistent, Runtime};

const MATHJS: &str = include_str!("../../../vendor/expr/math.js");
const FORMULAJS: &str = include_str!("../../../vendor/expr/formula.js");
const HOST: &str = include_str!("host.js");

/// Longest one evaluation may run. NocoBase has no limit (a `while (true)` hangs its process);
/// flowgate ends it as a job error instead.
pub const TIME_LIMIT: Duration = Duration::from_secs(1);
/// Heap of one runtime, libraries included (they take about 10 MiB of it).
const MEMORY_LIMIT: usize = 64 << 20;
/// JavaScript stack: deep enough for mathjs's recursive parser, shallow enough for a 2 MiB
/// worker thread with debug-build Rust frames under it.
const STACK_LIMIT: usize = 512 << 10;
/// The most sandboxes that exist at once, whatever the number of cores.
const MAX_LIVE: usize = 4;

/// Why an evaluation gave no answer of its own.
const TIMED_OUT: &str = "Error: Expression took longer than 1 s and was stopped";

struct Sandbox {
    // Field order is drop order: the functions before their context before its runtime.
    run: Persistent<Function<'static>>,
    check: Persistent<Function<'static>>,
    context: Context,
    _runtime: Runtime,
    /// Nanoseconds after `epoch()` past which the interrupt handler stops the code; 0 = none.
    deadline: Arc<AtomicU64>,
}

// SAFETY: a Sandbox is only ever used by one thread at a time (it is owned by the caller of `run`
// or lies idle in the pool's Mutex) and moves as a whole: the persistent function is a value of
// its own runtime, which rquickjs's "parallel" feature already makes Send. Nothing else points
// into the runtime.
unsafe impl Send for Sandbox {}

pub(super) fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// The sandboxes: at most `max_live()` exist at once (each holds its own copy of the libraries, ~14 MiB),
/// so a burst of runs waits for one instead of building a sandbox per thread; they are kept for reuse.
struct Pool {
    idle: Vec<Sandbox>,
    live: usize,
}

fn pool() -> &'static (Mutex<Pool>, Condvar) {
    static POOL: (Mutex<Pool>, Condvar) = (
        Mutex::new(Pool {
            idle: Vec::new(),
            live: 0,
        }),
        Condvar::new(),
    );
    &POOL
}

/// How many sandboxes exist now.
#[cfg(test)]
pub fn live() -> usize {
    pool().0.lock().unwrap_or_else(|e| e.into_inner()).live
}

/// One per core (two at least, four at most): more runs at once only queue for the cores.
pub(super) fn max_live() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, MAX_LIVE)
}

fn take() -> Result<Sandbox, String> {
    let (lock, freed) = pool();
    let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if let Some(s) = p.idle.pop() {
            return Ok(s);
        }
        if p.live < max_live() {
            p.live += 1;
            drop(p);
            return Sandbox::new().inspect_err(|_| give_back(None));
        }
        // Waiting cannot deadlock: a sandbox's holder only evaluates (pure JavaScript, no store), so it
        // gives the sandbox back whatever the waiter holds (the store's writer included).
        p = freed.wait(p).unwrap_or_else(|e| e.into_inner());
    }
}

/// Returns a sandbox for reuse, or (`None`) gives up its place after a limit stopped it or it broke.
fn give_back(sandbox: Option<Sandbox>) {
    let (lock, freed) = pool();
    let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
    match sandbox {
        Some(s) => p.idle.push(s),
        None => p.live -= 1,
    }
    drop(p);
    freed.notify_one();
}

/// Runs `source` (placeholders already replaced) with `engine` ("math.js" or "formula.js") over
/// the variables in `scope_json`. `Ok` holds the result as NocoBase stores it (JSON), `Err` the
/// error's text (`e.toString()`, as NocoBase's job result).
pub fn run(engine: &str, source: &str, scope_json: &str) -> Result<serde_json::Value, String> {
    with_sandbox(|sandbox| {
        let (answer, healthy) = sandbox.call(&sandbox.run, (engine, source, scope_json));
        (answer.and_then(|text| decode(&text)), healthy)
    })?
}

/// Why every evaluation of an expression fails, whatever its variables: found without running it.
#[derive(Debug, Clone, PartialEq)]
pub enum Doomed {
    /// The error every run ends with (a syntax error, SES's refusal).
    Fails(String),
    /// math.js: a function mathjs does not have, always called; `lower` is mathjs's lower-case
    /// name when it has one, `formula` whether formula.js has the name.
    UndefinedFunction {
        name: String,
        lower: Option<String>,
        formula: bool,
    },
}

/// Checks `source` (placeholders already replaced) for `engine` without running it: math.js parses
/// and compiles it and looks for calls of undefined functions; formula.js compiles the script as its
/// run would (strict mode, after SES's text checks). `Err` only when the sandbox itself failed.
pub fn check(engine: &str, source: &str) -> Result<Option<Doomed>, String> {
    with_sandbox(|sandbox| {
        let (answer, healthy) = sandbox.call(&sandbox.check, (engine, source));
        let doomed = answer.and_then(|text| match text.split_at_checked(1) {
            Some(("R", _)) if engine == "math.js" || may_use_new_target(source) => Ok(None),
            Some(("R", _)) => Ok(sandbox
                .compile(&formula_script(source))
                .filter(|e| !sandbox_limit(e))
                .map(Doomed::Fails)),
            // The sandbox's own stack and memory limits are flowgate's, not NocoBase's: undecided.
            Some(("E", message)) if sandbox_limit(message) => Ok(None),
            Some(("E", message)) => Ok(Some(Doomed::Fails(message.to_string()))),
            Some(("U", json)) => undefined_function(json).map(Some),
            _ => Err(format!(
                "Error: unexpected answer from the sandbox: {text:?}"
            )),
        });
        (doomed, healthy)
    })?
}

/// Whether `error` is one of the sandbox's limits (stack, memory) rather than the expression's own.
fn sandbox_limit(error: &str) -> bool {
    error.starts_with("InternalError") || error.starts_with("RangeError")
}

/// `new.target` is valid in the eval code a formula.js run makes, not in the global script the check
/// compiles: such a source is not judged.
fn may_use_new_target(source: &str) -> bool {
    source.contains("new") && source.contains("target")
}

/// The script a formula.js run evaluates (host.js `formula`).
fn formula_script(source: &str) -> String {
    format!("\"use strict\"; void 0; {source}")
}

fn undefined_function(json: &str) -> Result<Doomed, String> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("Error: unexpected answer from the sandbox: {e}"))?;
    Ok(Doomed::UndefinedFunction {
        name: v["name"].as_str().unwrap_or_default().to_string(),
        lower: v["lower"].as_str().map(str::to_string),
        formula: v["formula"] == true,
    })
}

/// Runs `f` with an idle sandbox (or a new one) and gives it back if `f` says it is still healthy.
fn with_sandbox<T>(f: impl FnOnce(&Sandbox) -> (T, bool)) -> Result<T, String> {
    let sandbox = take()?;
    let (answer, healthy) = f(&sandbox);
    give_back(healthy.then_some(sandbox));
    Ok(answer)
}

impl Sandbox {
    fn new() -> Result<Sandbox, String> {
        let fail = |e: rquickjs::Error| format!("Error: the expression sandbox did not start: {e}");
        let runtime = Runtime::new().map_err(fail)?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        runtime.set_max_stack_size(STACK_LIMIT);
        let deadline = Arc::new(AtomicU64::new(0));
        let watch = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            let until = watch.load(Ordering::Relaxed);
            until != 0 && epoch().elapsed().as_nanos() as u64 > until
        })));
        let context = Context::full(&runtime).map_err(fail)?;
        let run = context.with(|ctx| {
            let sloppy = || {
                let mut options = EvalOptions::default();
                options.strict = false;
                options
            };
            let load = |name: &str, code: &str| -> Result<(), String> {
                ctx.eval_with_options::<(), _>(code, sloppy())
                    .map_err(|e| format!("Error: {name} did not load: {}", exception(&ctx, e)))
            };
            load("mathjs", MATHJS)?;
            load("formulajs", FORMULAJS)?;
            let host: rquickjs::Object = ctx
                .eval_with_options(HOST, sloppy())
                .map_err(|e| format!("Error: host.js did not load: {}", exception(&ctx, e)))?;
            let function = |name: &str| -> Result<Persistent<Function<'static>>, String> {
                let f: Function = host
                    .get(name)
                    .map_err(|e| format!("Error: host.js has no {name}: {e}"))?;
                Ok(Persistent::save(&ctx, f))
            };
            Ok::<_, String>((function("run")?, function("check")?))
        })?;
        let (run, check) = run;
        Ok(Sandbox {
            run,
            check,
            context,
            _runtime: runtime,
            deadline,
        })
    }

    /// The text `function` answers (host.js's "R…"/"E…"), and whether the runtime may be reused (not
    /// after a limit stopped it).
    fn call<A>(
        &self,
        function: &Persistent<Function<'static>>,
        args: A,
    ) -> (Result<String, String>, bool)
    where
        A: for<'js> rquickjs::function::IntoArgs<'js>,
    {
        let start = epoch().elapsed() + TIME_LIMIT;
        self.deadline
            .store(start.as_nanos() as u64, Ordering::Relaxed);
        let outcome = self.context.with(|ctx| {
            let f = function.clone().restore(&ctx).map_err(|e| e.to_string())?;
            f.call::<_, String>(args).map_err(|e| exception(&ctx, e))
        });
        self.deadline.store(0, Ordering::Relaxed);
        match outcome {
            Ok(text) => (Ok(text), true),
            // Only an uncatchable stop (the time limit) or a broken runtime gets here.
            Err(e) if e.contains("interrupted") => (Err(TIMED_OUT.into()), false),
            Err(e) => (Err(e), false),
        }
    }
}

impl Sandbox {
    /// Compiles `script` as strict global code without running it: the syntax error every run of it
    /// would throw, or `None`.
    fn compile(&self, script: &str) -> Option<String> {
        self.context.with(|ctx| compile_only(&ctx, script, true))
    }
}

/// Compiles `script` as global code (strict or sloppy) without running it (QuickJS's compile-only
/// mode): the syntax error every run of it would throw, or `None`. What compiled is dropped unrun.
pub(super) fn compile_only(ctx: &rquickjs::Ctx, script: &str, strict: bool) -> Option<String> {
    let text = std::ffi::CString::new(script).ok()?;
    let mut flags = rquickjs::qjs::JS_EVAL_TYPE_GLOBAL | rquickjs::qjs::JS_EVAL_FLAG_COMPILE_ONLY;
    if strict {
        flags |= rquickjs::qjs::JS_EVAL_FLAG_STRICT;
    }
    // SAFETY: the context is alive for the call (`ctx` borrows it); the text and the file name are
    // NUL-terminated and outlive the call; the returned value is owned and handed to
    // `Value::from_raw`, which frees it on drop. With the "parallel" feature QuickJS needs the stack
    // top of the calling thread, as rquickjs's own eval sets it.
    let value = unsafe {
        let raw = ctx.as_raw().as_ptr();
        rquickjs::qjs::JS_UpdateStackTop(rquickjs::qjs::JS_GetRuntime(raw));
        let v = rquickjs::qjs::JS_Eval(
            raw,
            text.as_ptr(),
            script.len() as _,
            c"<unknown>".as_ptr(),
            flags as i32,
        );
        if rquickjs::qjs::JS_IsException(v) {
            None
        } else {
            Some(rquickjs::Value::from_raw(ctx.clone(), v))
        }
    };
    match value {
        Some(_compiled) => None,
        None => Some(thrown_text(ctx)),
    }
}

/// The pending exception as JavaScript's `String(e)` writes an error: "SyntaxError: …".
pub(super) fn thrown_text(ctx: &rquickjs::Ctx) -> String {
    let thrown = ctx.catch();
    match thrown.as_exception() {
        Some(e) => {
            let name: String = e.get("name").unwrap_or_else(|_| "Error".into());
            format!("{name}: {}", e.message().unwrap_or_default())
        }
        None => "SyntaxError: the script does not compile".into(),
    }
}

/// `host.js`'s answer: "R" + JSON or "E" + the error's text.
fn decode(text: &str) -> Result<serde_json::Value, String> {
    match text.split_at_checked(1) {
        Some(("R", json)) => serde_json::from_str(json)
            .map_err(|e| format!("Error: the expression's result is not JSON: {e}")),
        Some(("E", message)) => Err(message.to_string()),
        _ => Err(format!(
            "Error: unexpected answer from the sandbox: {text:?}"
        )),
    }
}

/// The text of a pending JavaScript exception.
fn exception(ctx: &rquickjs::Ctx, e: rquickjs::Error) -> String {
    if !e.is_exception() {
        return format!("Error: {e}");
    }
    let thrown = ctx.catch();
    if let Some(err) = thrown.as_exception() {
        return format!("{}", err.message().unwrap_or_default());
    }
    thrown
        .as_string()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_else(|| "Error: uncaught exception".into())
}
