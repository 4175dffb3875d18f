//! Node types. Each type is one file implementing [`Instruction`] (with its typed config) plus one line in
//! [`get`].
//!
//! Architecture invariant: adding a node type touches only this folder.
//!
//! A config is parsed once into the type's serde struct: on `flow_nodes:create`/`update` (refused with
//! `INVALID_NODE_CONFIG` entries naming each field) and when a version is loaded (`Flow::load`), so `run`
//! reads typed fields. The stored JSON is kept verbatim beside the struct: NocoBase configs carry UI keys
//! that must round-trip, so unknown keys are never refused.

mod aggregate;
mod calculation;
mod collection_ops;
mod condition;
mod date_calculation;
mod delay;
mod end;
mod javascript;
mod json_query;
mod json_variable_mapping;
mod loops;
mod multi_conditions;
mod output;
mod parallel;
mod request;
mod response_message;
mod sql;
mod variable;

use std::any::Any;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use super::engine::Processor;
use super::model::{coded_enum, JobStatus, Node};
use super::template::Lookup;
use crate::collections::Schema;
use crate::error::Entry;

/// What one step of a node's run decided.
pub enum Step {
    /// The job is finished with this status and result.
    Done {
        status: JobStatus,
        result: Value,
        meta: Option<Value>,
    },
    /// Run branch `index`, then call `run` again with `resume = (state, branch status)`.
    Branch { index: i64, state: Value },
    /// Leave the job PENDING until `due_ms` (delay).
    Pending { result: Value, due_ms: i64 },
}

impl Step {
    pub fn resolved(result: Value) -> Step {
        Step::Done {
            status: JobStatus::Resolved,
            result,
            meta: None,
        }
    }
    pub fn with_status(status: JobStatus, result: Value) -> Step {
        Step::Done {
            status,
            result,
            meta: None,
        }
    }
    /// A thrown error: job ERROR with `{"message": …}`.
    pub fn error(msg: impl Into<String>) -> Step {
        Step::Done {
            status: JobStatus::Error,
            result: json!({ "message": msg.into() }),
            meta: None,
        }
    }
    /// An expression error: job ERROR with the message as a string result (workflows.md §6).
    pub fn error_text(msg: impl Into<String>) -> Step {
        Step::Done {
            status: JobStatus::Error,
            result: Value::String(msg.into()),
            meta: None,
        }
    }
}

/// A node type. `Config` is its config as parsed; `check` and `check_schema` replace a validation over
/// raw JSON, and `run` gets the parsed config.
pub trait Instruction: Sync + 'static {
    /// Unknown keys are ignored; fields that must be refused are [`Field`]s, the others read leniently
    /// ([`lenient`]) as the raw-JSON reads did.
    type Config: DeserializeOwned + Send + Sync + 'static;

    /// `INVALID_NODE_CONFIG` entries (with `field`) that need no collections: wrong-shaped or missing
    /// fields. Checked on create/update and at load.
    fn check(&self, _config: &Self::Config) -> Vec<Entry> {
        Vec::new()
    }

    /// Entries that depend on the collections, checked on create/update only: a collection dropped later
    /// is found by `run`, as before.
    fn check_schema(&self, _config: &Self::Config, _schema: &Schema) -> Vec<Entry> {
        Vec::new()
    }

    /// Whether this node may have a branch with `index`.
    fn has_branch(&self, _config: &Self::Config, _index: i64) -> bool {
        false
    }

    /// Whether running this node waits on the network or the clock: a run holding the writer's
    /// transaction (`Flow::in_one_write`) must not reach such a node.
    fn waits(&self) -> bool {
        false
    }

    /// Runs (or, with `resume`, continues after a branch) the node whose job is `job`.
    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &Self::Config,
        job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step;

    /// What `flow_nodes:test` answers (NocoBase's `instruction.test`): the config's expression evaluated
    /// with no variables, `Err` the failed job's text; `None` for a type that has no test.
    fn test(&self, _config: &Self::Config) -> Option<Result<Value, String>> {
        None
    }
}

/// A parsed config of some node type, its `Instruction::Config` (shared by the clones of a loaded version).
#[derive(Clone)]
pub struct ParsedConfig(Arc<dyn Any + Send + Sync>);

/// [`Instruction`] without its `Config` type, for the registry: the config travels as [`ParsedConfig`] and
/// is turned back into the type's struct here, in one place.
pub trait DynInstruction: Sync {
    fn parse(&self, raw: &Value) -> Result<ParsedConfig, Vec<Entry>>;
    fn check_schema(&self, config: &ParsedConfig, schema: &Schema) -> Vec<Entry>;
    fn has_branch(&self, config: &ParsedConfig, index: i64) -> bool;
    fn waits(&self) -> bool;
    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &ParsedConfig,
        job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step;
    fn test(&self, config: &ParsedConfig) -> Option<Result<Value, String>>;
}

impl<T: Instruction> DynInstruction for T {
    fn parse(&self, raw: &Value) -> Result<ParsedConfig, Vec<Entry>> {
        if !raw.is_object() {
            return Err(vec![invalid("config", "\"config\" must be an object")]);
        }
        // Every field is a `Field`, lenient or a template, so an object always parses; kept as an entry
        // rather than a panic should a type declare a strict field.
        let config =
            T::Config::deserialize(raw).map_err(|e| vec![invalid("config", e.to_string())])?;
        let problems = self.check(&config);
        if problems.is_empty() {
            Ok(ParsedConfig(Arc::new(config)))
        } else {
            Err(problems)
        }
    }

    fn check_schema(&self, config: &ParsedConfig, schema: &Schema) -> Vec<Entry> {
        config
            .get::<T::Config>()
            .map_or_else(Vec::new, |c| Instruction::check_schema(self, c, schema))
    }

    fn has_branch(&self, config: &ParsedConfig, index: i64) -> bool {
        config
            .get::<T::Config>()
            .is_some_and(|c| Instruction::has_branch(self, c, index))
    }

    fn waits(&self) -> bool {
        Instruction::waits(self)
    }

    fn test(&self, config: &ParsedConfig) -> Option<Result<Value, String>> {
        config
            .get::<T::Config>()
            .and_then(|c| Instruction::test(self, c))
    }

    fn run(
        &self,
        p: &mut Processor,
        node: &Node,
        config: &ParsedConfig,
        job: usize,
        resume: Option<(Value, JobStatus)>,
    ) -> Step {
        match config.get::<T::Config>() {
            Some(c) => Instruction::run(self, p, node, c, job, resume),
            // Unreachable while a ParsedConfig is only made by `parse` of the node's own type (`Typed`).
            None => Step::error(format!(
                "Node \"{}\" has a config of another node type",
                node.key
            )),
        }
    }
}

impl ParsedConfig {
    fn get<C: 'static>(&self) -> Option<&C> {
        self.0.downcast_ref::<C>()
    }
}

/// A node's type with its parsed config.
#[derive(Clone)]
pub struct Typed {
    pub kind: String,
    pub instruction: &'static dyn DynInstruction,
    pub config: ParsedConfig,
}

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Typed({})", self.kind)
    }
}

/// Why a stored or sent config can not become a [`Typed`].
#[derive(Debug)]
pub enum Refused {
    NotRegistered,
    Invalid(Vec<Entry>),
}

impl Refused {
    /// The message a job gets when its node was refused at load (`Flow::load`).
    pub fn job_message(&self, node: &Node) -> String {
        match self {
            Refused::NotRegistered => format!("Node type \"{}\" is not registered", node.kind),
            Refused::Invalid(entries) => {
                let problems: Vec<String> = entries
                    .iter()
                    .map(|e| match e.extra.get("field").and_then(Value::as_str) {
                        Some(f) => format!("{f}: {}", e.message),
                        None => e.message.clone(),
                    })
                    .collect();
                format!(
                    "Node \"{}\" ({}) has an invalid config: {}",
                    node.key,
                    node.kind,
                    problems.join("; ")
                )
            }
        }
    }
}

/// Parses `raw` with the rules of node type `kind`.
pub fn parse(kind: &str, raw: &Value) -> Result<Typed, Refused> {
    let instruction = get(kind).ok_or(Refused::NotRegistered)?;
    let config = instruction.parse(raw).map_err(Refused::Invalid)?;
    Ok(Typed {
        kind: kind.to_string(),
        instruction,
        config,
    })
}

impl Typed {
    pub fn check_schema(&self, schema: &Schema) -> Vec<Entry> {
        self.instruction.check_schema(&self.config, schema)
    }

    pub fn has_branch(&self, index: i64) -> bool {
        self.instruction.has_branch(&self.config, index)
    }

    /// See [`Instruction::test`].
    pub fn test(&self) -> Option<Result<Value, String>> {
        self.instruction.test(&self.config)
    }

    /// The status a pending `delay` ends with; `None` for other types.
    pub fn delay_end_status(&self) -> Option<JobStatus> {
        self.config
            .get::<delay::DelayConfig>()
            .map(delay::end_status)
    }
}

/// The registry of node types.
pub fn get(kind: &str) -> Option<&'static dyn DynInstruction> {
    Some(match kind {
        "condition" => &condition::Condition,
        "multi-conditions" => &multi_conditions::MultiConditions,
        "calculation" => &calculation::Calculation,
        "query" => &collection_ops::Query,
        "create" => &collection_ops::Create,
        "update" => &collection_ops::Update,
        "destroy" => &collection_ops::Destroy,
        "end" => &end::End,
        "response-message" => &response_message::ResponseMessage,
        "output" => &output::Output,
        "variable" => &variable::Variable,
        "loop" => &loops::Loop,
        "parallel" => &parallel::Parallel,
        "request" => &request::Request,
        "delay" => &delay::Delay,
        "aggregate" => &aggregate::Aggregate,
        "sql" => &sql::Sql,
        "json-query" => &json_query::JsonQuery,
        "json-variable-mapping" => &json_variable_mapping::JsonVariableMapping,
        "dateCalculation" => &date_calculation::DateCalculation,
        "script" => &javascript::Script,
        _ => return None,
    })
}

/// One `INVALID_NODE_CONFIG` entry.
pub fn invalid(field: &str, message: impl Into<String>) -> Entry {
    Entry::new(message).with("field", field)
}

/// One config field that `check` may refuse. Parsing never stops at a wrong-shaped value, so that every
/// wrong field gets its entry (as the raw-JSON validation gave them all at once).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    #[default]
    Absent,
    Valid(T),
    /// Present but not a `T`: JSON `null` too, unless `T` is an `Option`.
    Invalid,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field<T>, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(T::deserialize(&v).map_or(Field::Invalid, Field::Valid))
    }
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Valid(v) => Some(v),
            _ => None,
        }
    }

    /// An optional field: absent is fine, a present value must be a `T`.
    pub fn check(&self, field: &str, message: &str, out: &mut Vec<Entry>) {
        if matches!(self, Field::Invalid) {
            out.push(invalid(field, message));
        }
    }

    /// A required field: absent is as wrong as a wrong-shaped value.
    pub fn require(&self, field: &str, message: &str, out: &mut Vec<Entry>) {
        if self.get().is_none() {
            out.push(invalid(field, message));
        }
    }
}

/// `deserialize_with` for fields no rule refuses: a wrong-shaped value reads as the default, as the
/// raw-JSON reads (`as_bool().unwrap_or(false)` and the like) did.
pub fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(T::deserialize(&v).unwrap_or_default())
}

/// Strings of a JSON array; anything else, and non-string items, are left out (`appends`).
#[derive(Debug, Clone, Default)]
pub struct Strings(pub Vec<String>);

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strings, D::Error> {
        let v = Value::deserialize(d)?;
        let items = v.as_array().map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        });
        Ok(Strings(items.unwrap_or_default()))
    }
}

/// Flattened into a nested config struct, makes serde read that struct only from a JSON object: a derived
/// struct also reads an array positionally (`["math.js"]` as `{engine: "math.js"}`), which the raw-JSON
/// reads (`v.get("engine")`) never did. A config's top level is checked to be an object before parsing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ObjectOnly {}

/// `{engine, calculation, expression}`: the test of condition, multi-conditions and loop.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Test {
    /// An evaluator name (`expr::evaluate`); `basic` when absent.
    pub engine: Field<String>,
    pub calculation: Value,
    #[serde(deserialize_with = "lenient")]
    pub expression: String,
    #[serde(flatten)]
    _object_only: ObjectOnly,
}

impl Test {
    pub fn check_engine(&self, allowed: &[&str], out: &mut Vec<Entry>) {
        check_engine(&self.engine, allowed, out);
    }
}

/// Evaluates a [`Test`].
pub fn evaluate_condition(p: &Processor, test: &Test) -> Result<bool, String> {
    test_value(test, &|path: &str| p.lookup(path)).map(|v| super::compare::truthy(&v))
}

/// A [`Test`]'s value before it is taken as true or false: the basic engine's boolean, or what the
/// expression engine returned.
pub fn test_value(test: &Test, lookup: &Lookup) -> Result<Value, String> {
    let engine = test.engine.get().map_or("basic", String::as_str);
    if engine == "basic" {
        return super::basic::evaluate_calculation(&test.calculation, lookup).map(Value::Bool);
    }
    super::expr::evaluate(engine, &test.expression, lookup)
}

/// An `engine` that, when present, must name one of `allowed`.
pub fn check_engine(engine: &Field<String>, allowed: &[&str], out: &mut Vec<Entry>) {
    check_one_of(engine, "engine", allowed, out);
}

/// A text field that, when present, must be one of `allowed` (joi's `valid(…)` message).
pub fn check_one_of(value: &Field<String>, field: &str, allowed: &[&str], out: &mut Vec<Entry>) {
    let ok = match value {
        Field::Absent => true,
        Field::Valid(e) => allowed.contains(&e.as_str()),
        Field::Invalid => false,
    };
    if !ok {
        out.push(invalid(
            field,
            format!("\"{field}\" must be one of [{}]", allowed.join(", ")),
        ));
    }
}

/// A computed number as JSON the way JavaScript prints it: integral values as integers, NaN and the
/// infinities as `null` (what `JSON.stringify` gives).
pub fn js_number(n: f64) -> Value {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if !n.is_finite() {
        return Value::Null;
    }
    if n == n.trunc() && n.abs() <= MAX_SAFE {
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

coded_enum! {
    /// `endStatus` of end and delay: 1 (the run goes on / resolves) or -1 (it fails).
    EndStatus {
        Resolved = 1,
        Failed = -1,
    }
}

impl From<EndStatus> for JobStatus {
    fn from(s: EndStatus) -> JobStatus {
        match s {
            EndStatus::Resolved => JobStatus::Resolved,
            EndStatus::Failed => JobStatus::Failed,
        }
    }
}

pub const END_STATUS_MESSAGE: &str = "\"endStatus\" must be one of [1, -1]";

#[cfg(test)]
mod tests {
    use super::*;

    /// `(field, message)` of each entry `parse` refuses `config` with; empty = parsed.
    fn problems(kind: &str, config: Value) -> Vec<(String, String)> {
        match parse(kind, &config) {
            Ok(_) => Vec::new(),
            Err(Refused::NotRegistered) => vec![("type".into(), "not registered".into())],
            Err(Refused::Invalid(entries)) => entries
                .into_iter()
                .map(|e| {
                    (
                        e.extra
                            .get("field")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        e.message,
                    )
                })
                .collect(),
        }
    }

    fn entry(field: &str, message: &str) -> (String, String) {
        (field.to_string(), message.to_string())
    }

    const ENGINES_TEST: &str = "\"engine\" must be one of [basic, math.js, formula.js]";

    #[test]
    fn good_configs_parse_with_extra_ui_keys() {
        let ui = json!({ "ui": { "x": 1 }, "title": "shown" });
        let cases = [
            (
                "calculation",
                json!({ "engine": "formula.js", "expression": "1 + 1" }),
            ),
            ("calculation", json!({})),
            (
                "condition",
                json!({ "rejectOnFalse": false, "engine": "basic", "calculation": { "group": {} } }),
            ),
            (
                "multi-conditions",
                json!({ "conditions": [{ "engine": "math.js", "expression": "1" }, 5], "continueOnNoMatch": true }),
            ),
            ("multi-conditions", json!({})),
            (
                "query",
                json!({ "collection": "posts", "params": { "sort": [{ "field": "id" }, 3], "page": "2", "pageSize": 0 } }),
            ),
            ("query", json!({ "multiple": "yes", "params": [] })),
            (
                "create",
                json!({ "collection": "main:posts", "params": { "values": { "title": "{{$context.data.t}}" } } }),
            ),
            ("update", json!({ "params": "none" })),
            ("destroy", json!({ "params": { "filter": { "id": 1 } } })),
            ("end", json!({ "endStatus": -1 })),
            ("end", json!({ "endStatus": null })),
            (
                "response-message",
                json!({ "message": "{{$context.data}}" }),
            ),
            ("output", json!({ "value": [1, 2] })),
            ("variable", json!({ "target": 7, "value": 1 })),
            (
                "loop",
                json!({ "target": "{{$context.data.items}}", "exit": 2, "condition": { "checkpoint": 1, "engine": "lua" } }),
            ),
            ("loop", json!({ "target": 3, "condition": false })),
            ("parallel", json!({ "mode": "allSettled" })),
            ("parallel", json!({ "mode": null })),
            (
                "request",
                json!({ "url": "http://x/{{$context.data.id}}", "method": "patch", "contentType": "application/x-www-form-urlencoded", "timeout": "{{$env.T}}" }),
            ),
            (
                "delay",
                json!({ "endStatus": 1, "unit": 60000, "duration": "{{$context.data.wait}}" }),
            ),
        ];
        for (kind, mut config) in cases {
            for (k, v) in ui.as_object().into_iter().flatten() {
                config[k] = v.clone();
            }
            assert_eq!(
                problems(kind, config.clone()),
                Vec::<(String, String)>::new(),
                "{kind} {config}"
            );
        }
    }

    #[test]
    fn bad_configs_name_each_field() {
        let cases: Vec<(&str, Value, Vec<(String, String)>)> = vec![
            ("calculation", json!("1 + 1"), vec![entry("config", "\"config\" must be an object")]),
            ("calculation", json!({ "engine": "basic" }), vec![entry("engine", "\"engine\" must be one of [math.js, formula.js, string]")]),
            ("calculation", json!({ "engine": null }), vec![entry("engine", "\"engine\" must be one of [math.js, formula.js, string]")]),
            ("condition", json!({}), vec![entry("rejectOnFalse", "\"rejectOnFalse\" is required")]),
            (
                "condition",
                json!({ "rejectOnFalse": "yes", "engine": 3 }),
                vec![entry("rejectOnFalse", "\"rejectOnFalse\" is required"), entry("engine", ENGINES_TEST)],
            ),
            ("multi-conditions", json!({ "conditions": {} }), vec![entry("conditions", "\"conditions\" must be an array")]),
            (
                "multi-conditions",
                json!({ "conditions": [{ "engine": "string" }, { "engine": "basic" }, { "engine": "lua" }] }),
                vec![entry("engine", ENGINES_TEST), entry("engine", ENGINES_TEST)],
            ),
            ("end", json!({ "endStatus": 99 }), vec![entry("endStatus", END_STATUS_MESSAGE)]),
            ("end", json!({ "endStatus": "1" }), vec![entry("endStatus", END_STATUS_MESSAGE)]),
            ("delay", json!({}), vec![entry("endStatus", END_STATUS_MESSAGE)]),
            (
                "delay",
                json!({ "endStatus": 0, "unit": 7 }),
                vec![
                    entry("endStatus", END_STATUS_MESSAGE),
                    entry("unit", "\"unit\" must be one of [1, 1000, 60000, 3600000, 86400000, 604800000]"),
                ],
            ),
            (
                "loop",
                json!({ "exit": 5 }),
                vec![entry("target", "\"target\" is required"), entry("exit", "\"exit\" must be one of [0, 1, 2]")],
            ),
            (
                "loop",
                json!({ "target": null, "exit": null, "condition": { "checkpoint": 2 } }),
                vec![
                    entry("target", "\"target\" is required"),
                    entry("exit", "\"exit\" must be one of [0, 1, 2]"),
                    entry("condition.checkpoint", "\"checkpoint\" must be one of [0, 1]"),
                ],
            ),
            ("parallel", json!({ "mode": "some" }), vec![entry("mode", "\"mode\" must be one of [all, any, race, allSettled]")]),
            (
                "request",
                json!({ "method": "FETCH" }),
                vec![entry("url", "\"url\" is required"), entry("method", "\"method\" must be one of [GET, POST, PUT, PATCH, DELETE]")],
            ),
            (
                "request",
                json!({ "url": "  ", "contentType": "text/plain" }),
                vec![
                    entry("url", "\"url\" is required"),
                    entry("contentType", "\"contentType\" must be application/json or application/x-www-form-urlencoded"),
                ],
            ),
            ("nope", json!({}), vec![entry("type", "not registered")]),
        ];
        for (kind, config, expected) in cases {
            assert_eq!(problems(kind, config.clone()), expected, "{kind} {config}");
        }
    }

    const KINDS: [&str; 21] = [
        "condition",
        "multi-conditions",
        "calculation",
        "query",
        "create",
        "update",
        "destroy",
        "end",
        "response-message",
        "output",
        "variable",
        "loop",
        "parallel",
        "request",
        "delay",
        "aggregate",
        "sql",
        "json-query",
        "json-variable-mapping",
        "dateCalculation",
        "script",
    ];

    /// Only the nodes that wait on the network or the clock keep a run out of one write transaction.
    #[test]
    fn only_request_and_delay_wait() {
        let waiting: Vec<&str> = KINDS
            .into_iter()
            .filter(|k| get(k).is_some_and(|i| i.waits()))
            .collect();
        assert_eq!(waiting, ["request", "delay"]);
    }

    #[test]
    fn every_type_refuses_a_config_that_is_no_object() {
        for kind in KINDS {
            for config in [json!("x"), json!([]), json!(null), json!(1)] {
                assert_eq!(
                    problems(kind, config.clone()),
                    vec![entry("config", "\"config\" must be an object")],
                    "{kind} {config}"
                );
            }
        }
    }

    /// The collection is checked against the schema on create/update only (`check_schema`), not at parse.
    #[test]
    fn record_nodes_check_their_collection_against_the_schema() {
        let schema = Schema::default();
        let cases = [
            (json!({}), "Collection is not configured"),
            (json!({ "collection": "" }), "Collection is not configured"),
            (json!({ "collection": 5 }), "Collection is not configured"),
            (
                json!({ "collection": "posts" }),
                "Collection \"posts\" does not exist in data source \"main\"",
            ),
            (
                json!({ "collection": "main:posts" }),
                "Collection \"posts\" does not exist in data source \"main\"",
            ),
            (
                json!({ "collection": "ds:posts" }),
                "Data source \"ds\" does not exist",
            ),
        ];
        for kind in ["query", "create", "update", "destroy"] {
            for (config, message) in &cases {
                let typed =
                    parse(kind, config).unwrap_or_else(|e| panic!("{kind} {config}: {e:?}"));
                let got: Vec<(String, String)> = typed
                    .check_schema(&schema)
                    .into_iter()
                    .map(|e| {
                        (
                            e.extra
                                .get("field")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                            e.message,
                        )
                    })
                    .collect();
                assert_eq!(got, vec![entry("collection", message)], "{kind} {config}");
            }
        }
        let typed = parse("calculation", &json!({})).expect("calculation");
        assert!(typed.check_schema(&schema).is_empty());
    }

    /// The typed fields `run` reads, for configs the raw-JSON reads took leniently.
    #[test]
    fn parsed_fields_keep_the_lenient_reads() {
        let typed = parse("request", &json!({ "url": "u", "method": "get" })).expect("request");
        let c = typed
            .config
            .get::<request::RequestConfig>()
            .expect("request config");
        assert_eq!(
            (c.method.get().map(|m| m.as_str()), c.content_type.get()),
            (Some("GET"), None)
        );

        let typed = parse(
            "multi-conditions",
            &json!({ "conditions": [{ "engine": "math.js" }, 1] }),
        )
        .expect("multi");
        assert!(typed.has_branch(2) && !typed.has_branch(3) && !typed.has_branch(-1));

        let typed = parse("delay", &json!({ "endStatus": -1 })).expect("delay");
        assert_eq!(typed.delay_end_status(), Some(JobStatus::Failed));
        let typed = parse("end", &json!({})).expect("end");
        assert_eq!(typed.delay_end_status(), None);

        let test = Test::deserialize(&json!({ "engine": 5, "expression": ["x"] })).expect("test");
        assert_eq!(
            (test.engine, test.expression),
            (Field::Invalid, String::new())
        );

        // Nested structs are read from objects only, never positionally from an array.
        let typed = parse("multi-conditions", &json!({ "conditions": [["lua"]] }))
            .expect("an array item tests as basic");
        assert!(typed.has_branch(1));
        let typed = parse(
            "query",
            &json!({ "params": [{ "a": 1 }, ["id"], [[{ "field": "id" }]], 2, 3] }),
        )
        .expect("query");
        let c = typed
            .config
            .get::<collection_ops::QueryConfig>()
            .expect("query config");
        assert_eq!((&c.params.filter, c.params.sort.len()), (&Value::Null, 0));
        let typed = parse("query", &json!({ "params": { "sort": [["id", "desc"], { "field": "id", "direction": "desc" }] } })).expect("query");
        let c = typed
            .config
            .get::<collection_ops::QueryConfig>()
            .expect("query config");
        assert_eq!(
            c.params
                .sort
                .iter()
                .map(|s| s.get().map(|s| s.field.as_str()))
                .collect::<Vec<_>>(),
            vec![None, Some("id")]
        );
    }

    #[test]
    fn a_refused_stored_node_names_itself_and_each_problem() {
        let node = Node {
            id: 1,
            key: "wait".into(),
            workflow_id: 1,
            upstream_id: None,
            downstream_id: None,
            branch_index: None,
            kind: "delay".into(),
            title: None,
            config: json!({ "endStatus": 2 }),
            created_at: String::new(),
            updated_at: String::new(),
        };
        let refused = parse(&node.kind, &node.config).expect_err("refused");
        assert_eq!(
            refused.job_message(&node),
            "Node \"wait\" (delay) has an invalid config: endStatus: \"endStatus\" must be one of [1, -1]"
        );
        assert_eq!(
            Refused::NotRegistered.job_message(&Node {
                kind: "gone".into(),
                ..node
            }),
            "Node type \"gone\" is not registered"
        );
    }
}
