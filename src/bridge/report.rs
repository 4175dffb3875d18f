//! The report of bridge.md §6.4: one item per definition a command could not carry as it is, printed one
//! line each on stderr and, with `--report FILE`, written as JSON with a summary.

use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// kept, not active in flowgate
    Unsupported,
    /// active, with a stated difference
    Approximated,
    /// changed losslessly (node ids in `$scopes` turned into keys)
    Rewritten,
    Warning,
    /// not pulled (system collections, root)
    Skipped,
    /// push only
    Conflict,
}

impl Severity {
    pub const ALL: [Severity; 6] = [
        Severity::Unsupported,
        Severity::Approximated,
        Severity::Rewritten,
        Severity::Warning,
        Severity::Skipped,
        Severity::Conflict,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unsupported => "unsupported",
            Severity::Approximated => "approximated",
            Severity::Rewritten => "rewritten",
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
            Severity::Conflict => "conflict",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Collection,
    Field,
    Role,
    Grant,
    Workflow,
    Node,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Collection => "collection",
            Kind::Field => "field",
            Kind::Role => "role",
            Kind::Grant => "grant",
            Kind::Workflow => "workflow",
            Kind::Node => "node",
        }
    }
}

/// One reported definition. `path` is dotted: `collections.<c>.fields.<f>`,
/// `roles.<r>.resources.<c>.actions.<a>`, `workflows.<key>.nodes.<nodeKey>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub severity: Severity,
    pub kind: Kind,
    pub path: String,
    pub what: String,
    pub effect: String,
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    pub items: Vec<Item>,
}

impl Report {
    pub fn add(
        &mut self,
        severity: Severity,
        kind: Kind,
        path: impl Into<String>,
        what: impl Into<String>,
        effect: impl Into<String>,
    ) {
        self.items.push(Item {
            severity,
            kind,
            path: path.into(),
            what: what.into(),
            effect: effect.into(),
        });
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|i| i.severity == severity).count()
    }

    /// `--strict` fails (exit 3) on these.
    pub fn has_unsupported_or_approximated(&self) -> bool {
        self.count(Severity::Unsupported) + self.count(Severity::Approximated) > 0
    }

    /// The stderr form: `unsupported  workflows.br_wf_weekly_cleanup  trigger type schedule — kept for export
    /// and push; not runnable`.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.items.iter().map(|i| {
            format!(
                "{}  {}  {} — {}",
                i.severity.as_str(),
                i.path,
                i.what,
                i.effect
            )
        })
    }

    /// The `--report FILE` form of §6.4, with a summary counting every severity.
    pub fn to_json(&self) -> Value {
        let items: Vec<Value> = self
            .items
            .iter()
            .map(|i| {
                json!({"severity": i.severity.as_str(), "kind": i.kind.as_str(), "path": i.path,
                       "what": i.what, "effect": i.effect})
            })
            .collect();
        let mut summary = serde_json::Map::new();
        for s in Severity::ALL {
            summary.insert(s.as_str().to_string(), json!(self.count(s)));
        }
        json!({"items": items, "summary": summary})
    }
}
