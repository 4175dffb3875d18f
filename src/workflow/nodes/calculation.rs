//! calculation: evaluates an expression with math.js / formula.js (one evaluator) or the string engine.

use serde::Deserialize;
use serde_json::Value;

use super::{check_engine, lenient, Field, Instruction, Step};
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::model::{JobStatus, Node};

pub struct Calculation;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalculationConfig {
    /// `math.js` when absent.
    pub engine: Field<String>,
    /// A template; its syntax is checked at run time (kept).
    #[serde(deserialize_with = "lenient")]
    pub expression: String,
}

impl Instruction for Calculation {
    type Config = CalculationConfig;

    fn check(&self, config: &CalculationConfig) -> Vec<Entry> {
        let mut out = Vec::new();
        check_engine(
            &config.engine,
            &["math.js", "formula.js", "string"],
            &mut out,
        );
        out
    }

    fn run(
        &self,
        p: &mut Processor,
        _node: &Node,
        config: &CalculationConfig,
        _job: usize,
        _resume: Option<(Value, JobStatus)>,
    ) -> Step {
        let engine = config.engine.get().map_or("math.js", String::as_str);
        match p.evaluate(engine, &config.expression) {
            Ok(v) => Step::resolved(v),
            Err(e) => Step::error_text(e),
        }
    }
}
