//! The schema registry: every collection and field, loaded from the `collections` and `fields` tables
//! and kept in memory as an immutable snapshot that is swapped after each committed schema change.
//!
//! Architecture invariant: an identifier reaches SQL only after it was found here (or is a literal).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Text,
    Integer,
    BigInt,
    Float,
    Double,
    Boolean,
    Date,
    Datetime,
    Json,
}

impl ScalarType {
    pub fn parse(s: &str) -> Option<ScalarType> {
        Some(match s {
            "string" => ScalarType::String,
            "text" => ScalarType::Text,
            "integer" => ScalarType::Integer,
            "bigInt" => ScalarType::BigInt,
            "float" => ScalarType::Float,
            "double" => ScalarType::Double,
            "boolean" => ScalarType::Boolean,
            "date" => ScalarType::Date,
            "datetime" => ScalarType::Datetime,
            "json" => ScalarType::Json,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "string",
            ScalarType::Text => "text",
            ScalarType::Integer => "integer",
            ScalarType::BigInt => "bigInt",
            ScalarType::Float => "float",
            ScalarType::Double => "double",
            ScalarType::Boolean => "boolean",
            ScalarType::Date => "date",
            ScalarType::Datetime => "datetime",
            ScalarType::Json => "json",
        }
    }

    /// The SQLite column type (collections.md §3).
    pub fn column_type(self) -> &'static str {
        match self {
            ScalarType::Integer | ScalarType::BigInt | ScalarType::Boolean => "INTEGER",
            ScalarType::Float | ScalarType::Double => "REAL",
            _ => "TEXT",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Scalar(ScalarType),
    BelongsTo {
        target: String,
        foreign_key: String,
    },
    HasOne {
        target: String,
        foreign_key: String,
    },
    HasMany {
        target: String,
        foreign_key: String,
    },
    BelongsToMany {
        target: String,
        through: String,
        foreign_key: String,
        other_key: String,
    },
}

impl Kind {
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Scalar(t) => t.as_str(),
            Kind::BelongsTo { .. } => "belongsTo",
            Kind::HasOne { .. } => "hasOne",
            Kind::HasMany { .. } => "hasMany",
            Kind::BelongsToMany { .. } => "belongsToMany",
        }
    }

    pub fn target(&self) -> Option<&str> {
        match self {
            Kind::Scalar(_) => None,
            Kind::BelongsTo { target, .. }
            | Kind::HasOne { target, .. }
            | Kind::HasMany { target, .. }
            | Kind::BelongsToMany { target, .. } => Some(target),
        }
    }

    /// belongsTo and hasOne point at one record; hasMany and belongsToMany at many.
    pub fn is_to_one(&self) -> bool {
        matches!(self, Kind::BelongsTo { .. } | Kind::HasOne { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub kind: Kind,
    pub title: Option<String>,
    pub allow_null: bool,
    pub unique: bool,
    /// `index: true`: the column has a plain index (a unique or FK column has one anyway).
    pub index: bool,
    pub default_value: Value,
    /// id, createdAt, updatedAt, createdById, updatedById, createdBy, updatedBy.
    pub system: bool,
    /// An INTEGER column referencing `fk_target(id)`.
    pub fk_target: Option<String>,
    /// Every attribute of the field as an imported document gave it (NocoBase's names and type
    /// vocabulary: `interface`, `uiSchema`, `key`, `reverseKey`, unknown ones), kept for a lossless export
    /// and echoed by the API (bridge.md §5.1). `None` for fields made through flowgate's API.
    pub attributes: Option<Map<String, Value>>,
    /// The field's index in the document's `fields` (export puts it back there).
    pub position: Option<i64>,
}

impl Field {
    /// Whether the field is a column of its table (scalars, FK columns included).
    pub fn is_column(&self) -> bool {
        matches!(self.kind, Kind::Scalar(_))
    }

    pub fn scalar_type(&self) -> Option<ScalarType> {
        match self.kind {
            Kind::Scalar(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_association(&self) -> bool {
        !self.is_column()
    }

    pub fn to_json(&self, collection: &str) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("type".into(), json!(self.kind.type_name()));
        m.insert("collectionName".into(), json!(collection));
        if self.system {
            m.insert("system".into(), json!(true));
        }
        if let Some(t) = &self.title {
            m.insert("title".into(), json!(t));
        }
        match &self.kind {
            Kind::Scalar(_) => {
                m.insert("allowNull".into(), json!(self.allow_null));
                m.insert("unique".into(), json!(self.unique));
                if self.index {
                    m.insert("index".into(), json!(true));
                }
                m.insert("defaultValue".into(), self.default_value.clone());
                if let Some(t) = &self.fk_target {
                    m.insert("isForeignKey".into(), json!(true));
                    m.insert("target".into(), json!(t));
                }
            }
            Kind::BelongsTo {
                target,
                foreign_key,
            } => {
                m.insert("target".into(), json!(target));
                m.insert("foreignKey".into(), json!(foreign_key));
                m.insert("targetKey".into(), json!("id"));
            }
            Kind::HasOne {
                target,
                foreign_key,
            }
            | Kind::HasMany {
                target,
                foreign_key,
            } => {
                m.insert("target".into(), json!(target));
                m.insert("foreignKey".into(), json!(foreign_key));
                m.insert("sourceKey".into(), json!("id"));
            }
            Kind::BelongsToMany {
                target,
                through,
                foreign_key,
                other_key,
            } => {
                m.insert("target".into(), json!(target));
                m.insert("through".into(), json!(through));
                m.insert("foreignKey".into(), json!(foreign_key));
                m.insert("otherKey".into(), json!(other_key));
                m.insert("sourceKey".into(), json!("id"));
                m.insert("targetKey".into(), json!("id"));
            }
        }
        // The document's other attributes are echoed as NocoBase does; flowgate's own say what the
        // field is here (its `type` is flowgate's, e.g. `datetime` for a NocoBase `date`).
        for (k, v) in self.attributes.iter().flatten() {
            if !m.contains_key(k) {
                m.insert(k.clone(), v.clone());
            }
        }
        Value::Object(m)
    }

    /// What is stored in `fields.options` for this field: flowgate's settings, and the document's
    /// attributes with their position when the field was imported.
    pub fn options_json(&self) -> Value {
        let mut m = Map::new();
        if let Value::Object(own) = self.flowgate_json() {
            m = own;
        }
        if let Some(a) = &self.attributes {
            m.insert("attributes".into(), Value::Object(a.clone()));
        }
        if let Some(p) = self.position {
            m.insert("position".into(), json!(p));
        }
        Value::Object(m)
    }

    /// flowgate's own settings of the field, without name, type and collection.
    fn flowgate_json(&self) -> Value {
        let bare = Field {
            attributes: None,
            ..self.clone()
        };
        let mut v = bare.to_json("");
        if let Value::Object(m) = &mut v {
            m.remove("name");
            m.remove("type");
            m.remove("collectionName");
        }
        v
    }

    fn from_stored(name: String, type_name: &str, options: &Value) -> Option<Field> {
        let s = |k: &str| options.get(k).and_then(Value::as_str).map(str::to_string);
        let kind = match type_name {
            "belongsTo" => Kind::BelongsTo {
                target: s("target")?,
                foreign_key: s("foreignKey")?,
            },
            "hasOne" => Kind::HasOne {
                target: s("target")?,
                foreign_key: s("foreignKey")?,
            },
            "hasMany" => Kind::HasMany {
                target: s("target")?,
                foreign_key: s("foreignKey")?,
            },
            "belongsToMany" => Kind::BelongsToMany {
                target: s("target")?,
                through: s("through")?,
                foreign_key: s("foreignKey")?,
                other_key: s("otherKey")?,
            },
            t => Kind::Scalar(ScalarType::parse(t)?),
        };
        let is_fk = options
            .get("isForeignKey")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Some(Field {
            title: s("title"),
            allow_null: options
                .get("allowNull")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            unique: options
                .get("unique")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            index: options
                .get("index")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            default_value: options.get("defaultValue").cloned().unwrap_or(Value::Null),
            system: false,
            fk_target: if is_fk { s("target") } else { None },
            attributes: options
                .get("attributes")
                .and_then(Value::as_object)
                .cloned(),
            position: options.get("position").and_then(Value::as_i64),
            name,
            kind,
        })
    }
}

fn system_field(name: &str, kind: Kind, fk_target: Option<&str>) -> Field {
    Field {
        name: name.to_string(),
        kind,
        title: None,
        allow_null: true,
        unique: false,
        index: false,
        default_value: Value::Null,
        system: true,
        fk_target: fk_target.map(str::to_string),
        attributes: None,
        position: None,
    }
}

/// The system fields every collection starts with (collections.md §4).
pub fn system_fields() -> Vec<Field> {
    let users = "users".to_string();
    vec![
        system_field("id", Kind::Scalar(ScalarType::BigInt), None),
        system_field("createdAt", Kind::Scalar(ScalarType::Datetime), None),
        system_field("updatedAt", Kind::Scalar(ScalarType::Datetime), None),
        system_field(
            "createdById",
            Kind::Scalar(ScalarType::BigInt),
            Some("users"),
        ),
        system_field(
            "updatedById",
            Kind::Scalar(ScalarType::BigInt),
            Some("users"),
        ),
        system_field(
            "createdBy",
            Kind::BelongsTo {
                target: users.clone(),
                foreign_key: "createdById".into(),
            },
            None,
        ),
        system_field(
            "updatedBy",
            Kind::BelongsTo {
                target: users,
                foreign_key: "updatedById".into(),
            },
            None,
        ),
    ]
}

#[derive(Debug, Clone)]
pub struct Collection {
    pub name: String,
    pub title: String,
    pub created_at: String,
    pub updated_at: String,
    /// System fields first, then user fields in creation order.
    pub fields: Vec<Field>,
    /// The built-in `users` collection: a target for createdBy/updatedBy, not a records resource.
    pub builtin: bool,
    /// Every attribute besides name and title an imported document gave (`template`, `autoGenId`, the
    /// timestamp flags, …), kept verbatim and echoed (bridge.md §5.1). `None`: made through the API.
    pub options: Option<Map<String, Value>>,
}

impl Collection {
    /// A field by name (exact match first, then case-insensitive, as the names are unique that way).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name).or_else(|| {
            self.fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(name))
        })
    }

    pub fn columns(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.is_column())
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "name": self.name,
            "title": self.title,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "fields": self.fields.iter().map(|f| f.to_json(&self.name)).collect::<Vec<_>>(),
        });
        if let (Some(o), Value::Object(m)) = (&self.options, &mut v) {
            for (k, val) in o {
                if !m.contains_key(k) {
                    m.insert(k.clone(), val.clone());
                }
            }
        }
        v
    }
}

/// The built-in users collection as seen by appends and filters: no password column.
fn users_collection() -> Collection {
    let col = |n: &str, t: ScalarType| system_field(n, Kind::Scalar(t), None);
    Collection {
        name: "users".into(),
        title: "Users".into(),
        created_at: String::new(),
        updated_at: String::new(),
        fields: vec![
            col("id", ScalarType::BigInt),
            col("username", ScalarType::String),
            col("email", ScalarType::String),
            col("nickname", ScalarType::String),
            col("createdAt", ScalarType::Datetime),
            col("updatedAt", ScalarType::Datetime),
        ],
        builtin: true,
        options: None,
    }
}

/// System tables read through the records layer (filter, sort, pagination, appends, fields, except) by
/// the workflow APIs: their columns, then their associations, named as NocoBase's plugin-workflow names
/// them. Every identifier here is a table or view of schema.sql / [`crate::store`]'s statistics views.
fn system_table(
    name: &str,
    columns: &[(&str, ScalarType)],
    links: Vec<(&str, Kind)>,
) -> Collection {
    let mut fields: Vec<Field> = columns
        .iter()
        .map(|(n, t)| system_field(n, Kind::Scalar(*t), None))
        .collect();
    fields.extend(links.into_iter().map(|(n, k)| system_field(n, k, None)));
    Collection {
        name: name.into(),
        title: name.into(),
        created_at: String::new(),
        updated_at: String::new(),
        fields,
        builtin: true,
        options: None,
    }
}

fn belongs_to(target: &str, foreign_key: &str) -> Kind {
    Kind::BelongsTo {
        target: target.into(),
        foreign_key: foreign_key.into(),
    }
}

fn has_many(target: &str, foreign_key: &str) -> Kind {
    Kind::HasMany {
        target: target.into(),
        foreign_key: foreign_key.into(),
    }
}

/// The statistics views (`stats` per key, `versionStats` per version) are keyed by the version's id.
fn has_one_by_id(target: &str) -> Kind {
    Kind::HasOne {
        target: target.into(),
        foreign_key: "id".into(),
    }
}

/// The view of executed counts per workflow key, one row per version (`workflows.stats`).
pub const WORKFLOW_STATS: &str = "fg_workflow_stats";
/// The view of executed counts per workflow version (`workflows.versionStats`).
pub const WORKFLOW_VERSION_STATS: &str = "fg_workflow_version_stats";
/// The failed attempts of executions (`executions.attempts`).
pub const EXECUTION_ATTEMPTS: &str = "fg_execution_attempts";

fn workflows_collection() -> Collection {
    use ScalarType::*;
    system_table(
        "workflows",
        &[
            ("id", BigInt),
            ("key", String),
            ("title", String),
            ("description", Text),
            ("type", String),
            ("config", Json),
            ("enabled", Boolean),
            ("sync", Boolean),
            ("current", Boolean),
            ("options", Json),
            ("executed", Integer),
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
            ("createdById", BigInt),
            ("updatedById", BigInt),
        ],
        vec![
            ("createdBy", belongs_to("users", "createdById")),
            ("updatedBy", belongs_to("users", "updatedById")),
            ("nodes", has_many("flow_nodes", "workflowId")),
            ("executions", has_many("executions", "workflowId")),
            ("stats", has_one_by_id(WORKFLOW_STATS)),
            ("versionStats", has_one_by_id(WORKFLOW_VERSION_STATS)),
        ],
    )
}

fn nodes_collection() -> Collection {
    use ScalarType::*;
    system_table(
        "flow_nodes",
        &[
            ("id", BigInt),
            ("key", String),
            ("workflowId", BigInt),
            ("upstreamId", BigInt),
            ("downstreamId", BigInt),
            ("branchIndex", Integer),
            ("type", String),
            ("title", String),
            ("config", Json),
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
        ],
        vec![
            ("workflow", belongs_to("workflows", "workflowId")),
            ("upstream", belongs_to("flow_nodes", "upstreamId")),
            ("downstream", belongs_to("flow_nodes", "downstreamId")),
        ],
    )
}

fn executions_collection() -> Collection {
    use ScalarType::*;
    system_table(
        "executions",
        &[
            ("id", BigInt),
            ("key", String),
            ("workflowId", BigInt),
            ("context", Json),
            ("status", Integer),
            ("output", Json),
            ("reason", String),
            ("manually", Boolean),
            ("startedAt", Datetime),
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
            ("rerunOf", BigInt),
            ("attempt", Integer),
            ("retryAt", Datetime),
        ],
        vec![
            ("workflow", belongs_to("workflows", "workflowId")),
            ("jobs", has_many("jobs", "executionId")),
            ("attempts", has_many(EXECUTION_ATTEMPTS, "executionId")),
        ],
    )
}

/// `attempts` of an execution: the failed attempts `options.retry` ran again.
fn execution_attempts_collection() -> Collection {
    use ScalarType::*;
    system_table(
        EXECUTION_ATTEMPTS,
        &[
            ("id", BigInt),
            ("executionId", BigInt),
            ("attempt", Integer),
            ("status", Integer),
            ("reason", String),
            ("nodeKey", String),
            ("createdAt", Datetime),
        ],
        vec![],
    )
}

fn jobs_collection() -> Collection {
    use ScalarType::*;
    system_table(
        "jobs",
        &[
            ("id", BigInt),
            ("executionId", BigInt),
            ("nodeId", BigInt),
            ("nodeKey", String),
            ("upstreamId", BigInt),
            ("status", Integer),
            ("result", Json),
            ("meta", Json),
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
        ],
        vec![
            ("execution", belongs_to("executions", "executionId")),
            ("node", belongs_to("flow_nodes", "nodeId")),
        ],
    )
}

/// `stats`: NocoBase's `workflowStats` row of the version's key (`key`, `executed`), without an `id`.
fn workflow_stats_collection() -> Collection {
    use ScalarType::*;
    system_table(
        WORKFLOW_STATS,
        &[
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
            ("key", String),
            ("executed", Integer),
        ],
        vec![],
    )
}

/// `versionStats`: NocoBase's `workflowVersionStats` row (`id` is the version's id, `executed`).
fn workflow_version_stats_collection() -> Collection {
    use ScalarType::*;
    system_table(
        WORKFLOW_VERSION_STATS,
        &[
            ("createdAt", Datetime),
            ("updatedAt", Datetime),
            ("id", BigInt),
            ("executed", Integer),
        ],
        vec![],
    )
}

/// Names NocoBase's tables have and flowgate's do not (NocoBase's clients send them in `except`, as
/// `except[]=stack` on executions): accepted in `fields` and `except`, where they change nothing.
pub fn absent_column(collection: &str, name: &str) -> bool {
    let names: &[&str] = match collection {
        "workflows" => &["triggerTitle", "invalid", "allExecuted"],
        "executions" => &[
            "stack",
            "eventKey",
            "dispatched",
            "parentExecutionId",
            "expiresAt",
        ],
        "jobs" => &["startedAt", "log"],
        _ => &[],
    };
    names.contains(&name)
}

/// One immutable view of all collections.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub version: u64,
    collections: HashMap<String, Arc<Collection>>,
    /// Lower-case names of generated through tables (reserved).
    throughs: HashSet<String>,
}

impl Schema {
    pub fn get(&self, name: &str) -> Option<&Arc<Collection>> {
        self.collections.get(&name.to_ascii_lowercase())
    }

    /// Puts `coll` in this snapshot in place of its stored state: a schema change that adds many fields
    /// plans each against the fields added before it without re-reading the registry each time.
    pub fn put(&mut self, coll: Collection) {
        self.collections
            .insert(coll.name.to_ascii_lowercase(), Arc::new(coll));
    }

    pub fn is_through(&self, name: &str) -> bool {
        self.throughs.contains(&name.to_ascii_lowercase())
    }

    /// User collections sorted by creation time, then name.
    pub fn user_collections(&self) -> Vec<Arc<Collection>> {
        let mut v: Vec<_> = self
            .collections
            .values()
            .filter(|c| !c.builtin)
            .cloned()
            .collect();
        v.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.name.cmp(&b.name)));
        v
    }

    /// Reads the registry tables (inside a write transaction this sees uncommitted changes).
    pub fn read(c: &Connection, version: u64) -> Result<Schema> {
        let mut collections: HashMap<String, Collection> = HashMap::new();
        let mut st =
            c.prepare("SELECT name, title, createdAt, updatedAt, options FROM collections")?;
        let rows = st.query_map([], |r| {
            let options: Option<String> = r.get(4)?;
            Ok(Collection {
                name: r.get(0)?,
                title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                created_at: r.get(2)?,
                updated_at: r.get(3)?,
                fields: system_fields(),
                builtin: false,
                options: options
                    .and_then(|o| serde_json::from_str::<Value>(&o).ok())
                    .and_then(|o| o.as_object().cloned()),
            })
        })?;
        for c in rows {
            let c = c?;
            collections.insert(c.name.to_ascii_lowercase(), c);
        }
        let mut throughs = HashSet::new();
        let mut st =
            c.prepare("SELECT collectionName, name, type, options FROM fields ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (coll, name, type_name, options) = row?;
            let options: Value = serde_json::from_str(&options).unwrap_or(Value::Null);
            let Some(field) = Field::from_stored(name, &type_name, &options) else {
                tracing::warn!(collection = %coll, field_type = %type_name, "skipping unreadable field definition");
                continue;
            };
            if let Kind::BelongsToMany { through, .. } = &field.kind {
                throughs.insert(through.to_ascii_lowercase());
            }
            if let Some(c) = collections.get_mut(&coll.to_ascii_lowercase()) {
                c.fields.push(field);
            }
        }
        let mut map: HashMap<String, Arc<Collection>> = collections
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect();
        map.insert("users".into(), Arc::new(users_collection()));
        map.insert("workflows".into(), Arc::new(workflows_collection()));
        for c in [
            executions_collection(),
            nodes_collection(),
            jobs_collection(),
            workflow_stats_collection(),
            workflow_version_stats_collection(),
            execution_attempts_collection(),
        ] {
            map.insert(c.name.to_ascii_lowercase(), Arc::new(c));
        }
        Ok(Schema {
            version,
            collections: map,
            throughs,
        })
    }
}

/// The live registry: a snapshot behind a lock, replaced whole after schema changes.
#[derive(Default)]
pub struct Registry {
    current: RwLock<Arc<Schema>>,
    next_version: AtomicU64,
}

impl Registry {
    pub fn load(store: &Store) -> Result<Registry> {
        let r = Registry::default();
        let schema = store.read(|c| Schema::read(c, r.new_version()))?;
        r.install(schema);
        Ok(r)
    }

    /// A version number for a schema read now; later reads get larger numbers.
    pub fn new_version(&self) -> u64 {
        self.next_version.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Swaps in `schema` unless a newer one is already installed.
    pub fn install(&self, schema: Schema) {
        let mut cur = self.current.write().unwrap_or_else(|p| p.into_inner());
        if schema.version > cur.version {
            *cur = Arc::new(schema);
        }
    }

    pub fn snapshot(&self) -> Arc<Schema> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Any collection, the built-in `users` included.
    pub fn get(&self, name: &str) -> Option<Arc<Collection>> {
        self.snapshot().get(name).cloned()
    }

    /// A collection made through the API (records resource).
    pub fn user_collection(&self, name: &str) -> Option<Arc<Collection>> {
        self.get(name).filter(|c| !c.builtin)
    }
}
