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
    // Field order is drop order: the function before its context before its runtime.
    run: Persistent<Function<'static>>,
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

fn epoch() -> Instant {
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
    let sandbox = take()?;
    let (answer, healthy) = sandbox.call(engine, source, scope_json);
    give_back(healthy.then_some(sandbox));
    answer
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
            let run: Function = ctx
                .eval_with_options(HOST, sloppy())
                .map_err(|e| format!("Error: host.js did not load: {}", exception(&ctx, e)))?;
            Ok::<_, String>(Persistent::save(&ctx, run))
        })?;
        Ok(Sandbox {
            run,
            context,
            _runtime: runtime,
            deadline,
        })
    }

    /// The answer, and whether the runtime may be reused (not after a limit stopped it).
    fn call(
        &self,
        engine: &str,
        source: &str,
        scope: &str,
    ) -> (Result<serde_json::Value, String>, bool) {
        let start = epoch().elapsed() + TIME_LIMIT;
        self.deadline
            .store(start.as_nanos() as u64, Ordering::Relaxed);
        let outcome = self.context.with(|ctx| {
            let run = self.run.clone().restore(&ctx).map_err(|e| e.to_string())?;
            run.call::<_, String>((engine, source, scope))
                .map_err(|e| exception(&ctx, e))
        });
        self.deadline.store(0, Ordering::Relaxed);
        match outcome {
            Ok(text) => (decode(&text), true),
            // Only an uncatchable stop (the time limit) or a broken runtime gets here.
            Err(e) if e.contains("interrupted") => (Err(TIMED_OUT.into()), false),
            Err(e) => (Err(e), false),
        }
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
