//! calculation: evaluates an expression with math.js / formula.js (one evaluator) or the string engine.

use serde::Deserialize;
use serde_json::Value;

use super::{check_engine, invalid, lenient, Field, Instruction, Step};
use crate::collections::Schema;
use crate::error::Entry;
use crate::workflow::engine::Processor;
use crate::workflow::expr;
use crate::workflow::model::{JobStatus, Node};

pub struct Calculation;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalculationConfig {
    /// `math.js` when absent.
    pub engine: Field<String>,
    /// A template. What fails every run (a syntax error, math.js calling a function mathjs lacks) is
    /// refused on create/update (`check_schema`); a stored one fails its runs as on NocoBase.
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

    /// Checked on create/update only (a stored node keeps loading and running as before): what
    /// fails every run, as NocoBase would refuse it at run time.
    fn check_schema(&self, config: &CalculationConfig, _schema: &Schema) -> Vec<Entry> {
        let engine = config.engine.get().map_or("math.js", String::as_str);
        doomed_expression(engine, &config.expression)
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

    fn test(&self, config: &CalculationConfig) -> Option<Result<Value, String>> {
        let engine = config.engine.get().map_or("math.js", String::as_str);
        Some(expr::evaluate(engine, &config.expression, &|_| None))
    }
}

/// The `expression` entry for an expression every run of which fails with `engine` (none for what
/// could succeed for some variables); condition nodes use it too.
pub fn doomed_expression(engine: &str, expression: &str) -> Vec<Entry> {
    expr::doomed(engine, expression)
        .map(|d| invalid("expression", d.message(engine)))
        .into_iter()
        .collect()
}
