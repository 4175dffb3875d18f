//! The filter compiler (collections.md §9): a JSON filter becomes a SQL condition with bound values.
//!
//! The main table is aliased `t0`. A to-one path (`category.title`) becomes a LEFT JOIN in the scope it
//! appears in, so a missing associated record compares as NULL (as NocoBase's joins do); a to-many path
//! becomes an `EXISTS (…)` subquery with its own scope ("some associated row"). Every identifier comes
//! from the registry; every value is bound with `?` in text order.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::operators;
use super::records::{Allowed, Reach};
use super::registry::{Collection, Field, Kind, ScalarType, Schema};
use super::sql::{q, SqlValue};
use crate::error::{bad, Code, Error, Result};

/// The alias of the queried table in every statement built from a [`Where`].
pub const ROOT: &str = "t0";
/// Logical nesting (`$and`/`$or`/`$not`/associations) allowed in one filter.
const MAX_DEPTH: usize = 32;
/// Association hops allowed in one path (`a.b.c.d.e`).
const MAX_HOPS: usize = 6;
/// Values one filter may bind (SQLite allows 32,766 per statement; the ACL scope and paging add a few).
pub const MAX_VALUES: usize = 10_000;

/// A compiled condition over `t0`: LEFT JOINs for the FROM clause and ANDed parts for WHERE.
#[derive(Debug, Default, Clone)]
pub struct Where {
    joins: String,
    parts: Vec<String>,
    params: Vec<SqlValue>,
}

impl Where {
    /// No condition at all (an empty filter).
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// ANDs a condition written over `t0`; its `?` bind `params` in order.
    pub fn and(&mut self, sql: String, params: Vec<SqlValue>) {
        self.parts.push(sql);
        self.params.extend(params);
    }

    /// Only rows created by `user` (ACL scope `own`). The built-in users table has no creator: there a
    /// user owns only its own row.
    pub fn and_own(&mut self, coll: &Collection, user: Option<i64>) {
        if let Some(u) = user {
            self.and(
                format!("{ROOT}.{} = ?", q(owner_column(coll))),
                vec![SqlValue::Integer(u)],
            );
        }
    }

    /// Text to put after `FROM "<table>" t0`.
    pub fn joins(&self) -> &str {
        &self.joins
    }

    /// The WHERE condition (`1` when empty).
    pub fn cond(&self) -> String {
        if self.parts.is_empty() {
            return "1".into();
        }
        self.parts
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    pub fn params(&self) -> &[SqlValue] {
        &self.params
    }
}

/// The column scope `own` compares with the caller: `createdById`, or `id` in the built-in users table,
/// which has no creator (a user owns only its own row).
pub fn owner_column(coll: &Collection) -> &'static str {
    if coll.field("createdById").is_some_and(|f| f.is_column()) {
        "createdById"
    } else {
        "id"
    }
}

/// A piece of SQL with its bound values in text order.
#[derive(Debug, Clone)]
pub struct Frag {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Frag {
    pub fn new(sql: impl Into<String>, params: Vec<SqlValue>) -> Frag {
        Frag {
            sql: sql.into(),
            params,
        }
    }

    pub fn raw(sql: impl Into<String>) -> Frag {
        Frag::new(sql, Vec::new())
    }

    /// `parts` joined by `op` as a balanced tree: SQLite parses `a OR b OR c …` into an expression as
    /// deep as it is long and refuses past 1,000 levels, so a long `$or` nests in halves (depth log₂ n).
    fn join(mut parts: Vec<Frag>, op: &str) -> Option<Frag> {
        match parts.len() {
            0 | 1 => parts.pop(),
            2 => {
                let b = parts.pop()?;
                let a = parts.pop()?;
                let mut params = a.params;
                params.extend(b.params);
                Some(Frag::new(format!("({}){op}({})", a.sql, b.sql), params))
            }
            n => {
                let right = parts.split_off(n / 2);
                Frag::join(vec![Frag::join(parts, op)?, Frag::join(right, op)?], op)
            }
        }
    }

    /// All of `parts`; `None` when there are none (no condition).
    pub fn all(parts: Vec<Frag>) -> Option<Frag> {
        Frag::join(parts, " AND ")
    }

    pub fn any(parts: Vec<Frag>) -> Option<Frag> {
        Frag::join(parts, " OR ")
    }

    pub fn not(self) -> Frag {
        Frag::new(format!("NOT ({})", self.sql), self.params)
    }
}

/// `400 INVALID_FILTER` `Invalid filter: <reason>`.
pub fn invalid(reason: impl std::fmt::Display) -> Error {
    bad(Code::InvalidFilter, format!("Invalid filter: {reason}"))
}

pub fn unknown_field(field: &str, collection: &str) -> Error {
    bad(
        Code::UnknownField,
        format!("Field \"{field}\" does not exist in collection \"{collection}\""),
    )
}

pub fn not_an_association(path: &str, collection: &str) -> Error {
    bad(
        Code::NotAnAssociation,
        format!("\"{path}\" is not an association of collection \"{collection}\""),
    )
}

/// Compiles `filter` (an object, or absent) over `coll`.
pub fn compile(schema: &Schema, coll: &Collection, filter: Option<&Value>) -> Result<Where> {
    compile_within(schema, coll, filter, None)
}

/// Compiles `filter` for a caller: a path through an association applies the target's `view` scope
/// (rows out of it are absent, as in appends), and one whose target the role may not view at all is
/// `403 NO_PERMISSIONS` naming the association, so a filter is never an oracle on hidden rows.
pub fn compile_within(
    schema: &Schema,
    coll: &Collection,
    filter: Option<&Value>,
    reach: Option<Reach>,
) -> Result<Where> {
    let Some(filter) = filter else {
        return Ok(Where::default());
    };
    let obj = match filter {
        Value::Object(m) => m,
        Value::Null => return Ok(Where::default()),
        _ => return Err(invalid("a filter must be a JSON object")),
    };
    let c = Compiler {
        schema,
        reach,
        next: Cell::new(1),
    };
    let mut scope = Scope::default();
    let at = Node {
        coll,
        alias: ROOT.to_string(),
        hops: 0,
    };
    let frag = c.object(&mut scope, &at, obj, 0)?;
    let bound = frag.as_ref().map_or(0, |f| f.params.len()) + scope.params.len();
    if bound > MAX_VALUES {
        return Err(invalid(format!(
            "a filter may hold at most {MAX_VALUES} values"
        )));
    }
    // The joins' values come first: their text precedes the WHERE clause in every statement.
    let mut w = Where {
        joins: scope.sql,
        params: scope.params,
        ..Where::default()
    };
    if let Some(f) = frag {
        w.and(f.sql, f.params);
    }
    Ok(w)
}

/// One SQL scope (the statement or an EXISTS subquery) and the LEFT JOINs its to-one paths added.
#[derive(Default)]
struct Scope {
    /// (`<alias>.<field>`, join alias): one join per path, shared by its conditions.
    joined: Vec<(String, String)>,
    sql: String,
    /// The values `sql` binds, in text order.
    params: Vec<SqlValue>,
}

/// The table a part of the filter speaks about.
struct Node<'a> {
    coll: &'a Collection,
    alias: String,
    hops: usize,
}

struct Compiler<'s, 'r> {
    schema: &'s Schema,
    reach: Option<Reach<'r>>,
    next: Cell<usize>,
}

impl<'s> Compiler<'s, '_> {
    fn alias(&self, prefix: &str) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        format!("{prefix}{n}")
    }

    /// An object: its entries ANDed.
    fn object(
        &self,
        sc: &mut Scope,
        at: &Node,
        obj: &Map<String, Value>,
        depth: usize,
    ) -> Result<Option<Frag>> {
        if depth > MAX_DEPTH {
            return Err(invalid("the filter is nested too deeply"));
        }
        let mut parts = Vec::new();
        for (key, value) in obj {
            if let Some(f) = self.entry(sc, at, key, value, depth)? {
                parts.push(f);
            }
        }
        Ok(Frag::all(parts))
    }

    fn entry(
        &self,
        sc: &mut Scope,
        at: &Node,
        key: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Frag>> {
        match key {
            "$and" => {
                let mut parts = Vec::new();
                for item in array(value, key)? {
                    if let Some(f) = self.object(sc, at, object(item, key)?, depth + 1)? {
                        parts.push(f);
                    }
                }
                Ok(Frag::all(parts))
            }
            "$or" => {
                let mut parts = Vec::new();
                for item in array(value, key)? {
                    match self.object(sc, at, object(item, key)?, depth + 1)? {
                        Some(f) => parts.push(f),
                        // An empty branch holds for every row, and so does the whole `$or`.
                        None => return Ok(None),
                    }
                }
                Ok(Frag::any(parts))
            }
            "$not" => Ok(self
                .object(sc, at, object(value, key)?, depth + 1)?
                .map(Frag::not)),
            k if k.starts_with('$') => Err(unknown_operator(k)),
            k => self.path(sc, at, k, value, depth),
        }
    }

    /// A field name or a dotted path whose first segment is an association.
    fn path(
        &self,
        sc: &mut Scope,
        at: &Node,
        key: &str,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Frag>> {
        let (head, rest) = match key.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (key, None),
        };
        let field = at
            .coll
            .field(head)
            .ok_or_else(|| unknown_field(head, &at.coll.name))?;
        match (field.is_association(), rest) {
            (false, None) => self.column(at, field, value),
            (false, Some(rest)) if field.scalar_type() == Some(ScalarType::Json) => {
                json_path(at, field, rest, value)
            }
            (false, Some(_)) => Err(not_an_association(key, &at.coll.name)),
            (true, Some(rest)) => {
                let mut nested = Map::new();
                nested.insert(rest.to_string(), value.clone());
                self.association(sc, at, field, &Value::Object(nested), depth)
            }
            (true, None) => self.association(sc, at, field, value, depth),
        }
    }

    /// A column: a bare value (`$eq`) or an object of operators, ANDed.
    fn column(&self, at: &Node, field: &Field, value: &Value) -> Result<Option<Frag>> {
        let col = format!("{}.{}", at.alias, q(&field.name));
        match value {
            Value::Object(ops) => {
                let mut parts = Vec::new();
                for (op, operand) in ops {
                    parts.push(operators::apply(&col, field, op, operand)?);
                }
                Ok(Frag::all(parts))
            }
            other => operators::apply(&col, field, "$eq", other).map(Some),
        }
    }

    /// An association: `$exists`/`$notExists` and a nested filter on its target.
    fn association(
        &self,
        sc: &mut Scope,
        at: &Node,
        field: &Field,
        value: &Value,
        depth: usize,
    ) -> Result<Option<Frag>> {
        let obj = value.as_object().ok_or_else(|| {
            invalid(format!(
                "association \"{}\" expects an object of conditions",
                field.name
            ))
        })?;
        if at.hops >= MAX_HOPS {
            return Err(invalid("the association path is too long"));
        }
        let target = self.target(field)?;
        let own = self.own(at, field, target)?;
        let mut exists = None;
        let mut nested = Map::new();
        for (k, v) in obj {
            match k.as_str() {
                "$exists" => exists = Some(truthy(v, k)?),
                "$notExists" => exists = Some(!truthy(v, k)?),
                _ => {
                    nested.insert(k.clone(), v.clone());
                }
            }
        }
        let mut parts = Vec::new();
        if field.kind.is_to_one() {
            let alias = self.join(sc, at, field, target, own);
            if let Some(e) = exists {
                parts.push(Frag::raw(format!(
                    "{alias}.\"id\" IS {}NULL",
                    if e { "NOT " } else { "" }
                )));
            }
            let node = Node {
                coll: target,
                alias,
                hops: at.hops + 1,
            };
            if let Some(f) = self.object(sc, &node, &nested, depth + 1)? {
                parts.push(f);
            }
        } else {
            if let Some(e) = exists {
                if let Some(f) = self.exists(at, field, target, own, None, depth)? {
                    parts.push(if e { f } else { f.not() });
                }
            }
            if !nested.is_empty() {
                if let Some(f) = self.exists(at, field, target, own, Some(&nested), depth)? {
                    parts.push(f);
                }
            }
        }
        Ok(Frag::all(parts))
    }

    /// The caller's `view` scope on an association's target: `Some(user)` for its own rows only.
    fn own(&self, at: &Node, field: &Field, target: &Collection) -> Result<Option<i64>> {
        match self.reach.map(|r| r.allowed(target, "view")) {
            None | Some(Allowed::All) => Ok(None),
            Some(Allowed::Own(user)) => Ok(Some(user)),
            Some(Allowed::Denied) => Err(Error::new(
                Code::NoPermissions,
                format!(
                    "No permissions: the filter goes through association \"{}\" of \"{}\" to collection \"{}\", which the role may not view",
                    field.name, at.coll.name, target.name
                ),
            )
            .with("field", field.name.clone())),
        }
    }

    fn target(&self, field: &Field) -> Result<&'s Collection> {
        field
            .kind
            .target()
            .and_then(|t| self.schema.get(t))
            .map(|c| c.as_ref())
            .ok_or_else(|| {
                Error::internal(format!(
                    "association {} has no target in the registry",
                    field.name
                ))
            })
    }

    /// The LEFT JOIN of a to-one association in this scope (added once), returning its alias; with
    /// `own`, rows of other creators do not join (they compare as a missing record).
    fn join(
        &self,
        sc: &mut Scope,
        at: &Node,
        field: &Field,
        target: &Collection,
        own: Option<i64>,
    ) -> String {
        let key = format!("{}.{}", at.alias, field.name);
        if let Some((_, alias)) = sc.joined.iter().find(|(k, _)| *k == key) {
            return alias.clone();
        }
        let alias = self.alias("t");
        let mine = |a: &str| match own {
            Some(_) => format!(" AND {a}.{} = ?", q(owner_column(target))),
            None => String::new(),
        };
        let on = match &field.kind {
            Kind::BelongsTo { foreign_key, .. } => format!(
                "{alias}.\"id\" = {}.{}{}",
                at.alias,
                q(foreign_key),
                mine(&alias)
            ),
            // hasOne: the lowest id pointing here, so a stray second row never duplicates the parent.
            Kind::HasOne { foreign_key, .. } => {
                let x = self.alias("x");
                format!(
                    "{alias}.\"id\" = (SELECT MIN({x}.\"id\") FROM {t} {x} WHERE {x}.{fk} = {p}.\"id\"{m})",
                    t = q(&target.name),
                    fk = q(foreign_key),
                    p = at.alias,
                    m = mine(&x),
                )
            }
            _ => "0".into(),
        };
        sc.params.extend(own.map(SqlValue::Integer));
        sc.sql
            .push_str(&format!(" LEFT JOIN {} {alias} ON {on}", q(&target.name)));
        sc.joined.push((key, alias.clone()));
        alias
    }

    /// `EXISTS (…)` over a to-many association, optionally with a nested filter on the same row;
    /// `None` when the nested filter turned out empty.
    fn exists(
        &self,
        at: &Node,
        field: &Field,
        target: &Collection,
        own: Option<i64>,
        nested: Option<&Map<String, Value>>,
        depth: usize,
    ) -> Result<Option<Frag>> {
        let alias = self.alias("t");
        let (from, link) = match &field.kind {
            Kind::HasMany { foreign_key, .. } | Kind::HasOne { foreign_key, .. } => (
                format!("{} {alias}", q(&target.name)),
                format!("{alias}.{} = {}.\"id\"", q(foreign_key), at.alias),
            ),
            Kind::BelongsToMany {
                through,
                foreign_key,
                other_key,
                ..
            } => {
                let j = self.alias("j");
                (
                    format!(
                        "{} {j} JOIN {} {alias} ON {alias}.\"id\" = {j}.{}",
                        q(through),
                        q(&target.name),
                        q(other_key)
                    ),
                    format!("{j}.{} = {}.\"id\"", q(foreign_key), at.alias),
                )
            }
            _ => return Err(Error::internal("EXISTS over a to-one association")),
        };
        let mut sub = Scope::default();
        let node = Node {
            coll: target,
            alias,
            hops: at.hops + 1,
        };
        let inner = match nested {
            Some(m) => match self.object(&mut sub, &node, m, depth + 1)? {
                Some(f) => Some(f),
                None => return Ok(None),
            },
            None => None,
        };
        let mut sql = format!("EXISTS (SELECT 1 FROM {from}{} WHERE {link}", sub.sql);
        // In text order: the subquery's joins, the own scope, the nested filter.
        let mut params = sub.params;
        if let Some(user) = own {
            sql.push_str(&format!(
                " AND {}.{} = ?",
                node.alias,
                q(owner_column(target))
            ));
            params.push(SqlValue::Integer(user));
        }
        if let Some(f) = inner {
            sql.push_str(&format!(" AND ({})", f.sql));
            params.extend(f.params);
        }
        sql.push(')');
        Ok(Some(Frag::new(sql, params)))
    }
}

/// A path inside a JSON column (`"config.collection": "samples"`, as NocoBase's JSON-path filters):
/// `json_extract(<column>, ?)` with the path bound, compared by each operator with the operand as the
/// JSON value it is (a string as text, a number as a number, a boolean as 1 or 0).
fn json_path(at: &Node, field: &Field, rest: &str, value: &Value) -> Result<Option<Frag>> {
    let mut path = String::from("$");
    for seg in rest.split('.') {
        if seg.is_empty() || seg.contains('"') {
            return Err(invalid(format!(
                "\"{}.{rest}\" is not a path inside a JSON field",
                field.name
            )));
        }
        if seg.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{seg}]"));
        } else {
            path.push_str(&format!(".\"{seg}\""));
        }
    }
    let expr = format!("json_extract({}.{}, ?)", at.alias, q(&field.name));
    let ops: Vec<(&str, &Value)> = match value {
        Value::Object(m) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        other => vec![("$eq", other)],
    };
    let mut parts = Vec::new();
    for (op, operand) in ops {
        let typed = Field {
            name: format!("{}.{rest}", field.name),
            kind: Kind::Scalar(json_operand_type(operand)),
            ..field.clone()
        };
        // The operator's SQL names the value once or more: each mention binds the path again, in order.
        let f = operators::apply(JSON_VALUE, &typed, op, operand)?;
        let mut sql = String::with_capacity(f.sql.len());
        let mut params = Vec::with_capacity(f.params.len() + 1);
        let mut given = f.params.into_iter();
        for ch in f.sql.chars() {
            match ch {
                JSON_VALUE_CHAR => {
                    sql.push_str(&expr);
                    params.push(SqlValue::Text(path.clone()));
                }
                '?' => {
                    sql.push('?');
                    params.extend(given.next());
                }
                c => sql.push(c),
            }
        }
        parts.push(Frag::new(sql, params));
    }
    Ok(Frag::all(parts))
}

/// Stands for the JSON value in an operator's SQL until [`json_path`] writes the expression in.
const JSON_VALUE_CHAR: char = '\u{1}';
const JSON_VALUE: &str = "\u{1}";

/// How an operand inside a JSON value compares: by its own JSON type (the first item of a list).
fn json_operand_type(v: &Value) -> ScalarType {
    let first = match v {
        Value::Array(items) => items.iter().find(|i| !i.is_null()).unwrap_or(&Value::Null),
        other => other,
    };
    match first {
        Value::Number(_) => ScalarType::Double,
        Value::Bool(_) => ScalarType::Boolean,
        _ => ScalarType::String,
    }
}

fn unknown_operator(op: &str) -> Error {
    bad(
        Code::InvalidFilter,
        format!("Unknown filter operator \"{op}\""),
    )
}

fn array<'v>(v: &'v Value, op: &str) -> Result<&'v Vec<Value>> {
    v.as_array()
        .ok_or_else(|| invalid(format!("{op} expects an array")))
}

fn object<'v>(v: &'v Value, op: &str) -> Result<&'v Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| invalid(format!("{op} expects objects")))
}

/// `true`, `"true"`, `1`… for flag operators.
pub fn truthy(v: &Value, op: &str) -> Result<bool> {
    super::values::boolean(v).ok_or_else(|| invalid(format!("{op} expects true or false")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(include_str!("../../schema.sql")).unwrap();
        let now = "2025-03-01T00:00:00.000Z";
        c.execute_batch(&format!(
            "INSERT INTO collections (name, title, createdAt, updatedAt) VALUES ('posts','Posts','{now}','{now}'), ('categories','C','{now}','{now}'),
               ('comments','Cm','{now}','{now}'), ('tags','T','{now}','{now}');
             INSERT INTO fields (collectionName,name,type,options,createdAt,updatedAt) VALUES
               ('posts','title','string','{{}}','{now}','{now}'),
               ('posts','indicator','integer','{{}}','{now}','{now}'),
               ('posts','categoryId','bigInt','{{\"isForeignKey\":true,\"target\":\"categories\"}}','{now}','{now}'),
               ('posts','category','belongsTo','{{\"target\":\"categories\",\"foreignKey\":\"categoryId\"}}','{now}','{now}'),
               ('comments','postId','bigInt','{{\"isForeignKey\":true,\"target\":\"posts\"}}','{now}','{now}'),
               ('posts','comments','hasMany','{{\"target\":\"comments\",\"foreignKey\":\"postId\"}}','{now}','{now}'),
               ('posts','tags','belongsToMany','{{\"target\":\"tags\",\"through\":\"postsTags\",\"foreignKey\":\"postId\",\"otherKey\":\"tagId\"}}','{now}','{now}'),
               ('categories','title','string','{{}}','{now}','{now}'),
               ('comments','content','text','{{}}','{now}','{now}'),
               ('comments','post','belongsTo','{{\"target\":\"posts\",\"foreignKey\":\"postId\"}}','{now}','{now}'),
               ('tags','name','string','{{}}','{now}','{now}');"
        ))
        .unwrap();
        Schema::read(&c, 1).unwrap()
    }

    fn sql(f: Value) -> (String, String, Vec<SqlValue>) {
        let s = schema();
        let posts = s.get("posts").unwrap().clone();
        let w = compile(&s, &posts, Some(&f)).unwrap();
        (w.joins().to_string(), w.cond(), w.params().to_vec())
    }

    fn err(f: Value) -> Code {
        let s = schema();
        let posts = s.get("posts").unwrap().clone();
        compile(&s, &posts, Some(&f)).unwrap_err().code
    }

    #[test]
    fn bare_values_and_logic() {
        let (j, c, p) = sql(json!({"title": "a", "indicator": {"$gt": "5"}}));
        assert_eq!(j, "");
        assert_eq!(c, "((t0.\"title\" = ?) AND (t0.\"indicator\" > ?))");
        assert_eq!(p, vec![SqlValue::Text("a".into()), SqlValue::Integer(5)]);
        let (_, c, _) = sql(json!({"$or": [{"title": "a"}, {"$not": {"indicator": 1}}]}));
        assert_eq!(c, "((t0.\"title\" = ?) OR (NOT (t0.\"indicator\" = ?)))");
        let (_, c, _) = sql(json!({"$or": [], "$and": []}));
        assert_eq!(c, "1");
        let (_, c, _) = sql(json!({"$or": [{}, {"title": "a"}]}));
        assert_eq!(c, "1");
    }

    #[test]
    fn association_paths() {
        let (j, c, _) = sql(json!({"category.title": "News"}));
        assert_eq!(
            j,
            " LEFT JOIN \"categories\" t1 ON t1.\"id\" = t0.\"categoryId\""
        );
        assert_eq!(c, "(t1.\"title\" = ?)");
        let (j2, c2, _) = sql(json!({"category": {"title": "News"}}));
        assert_eq!((j, c), (j2, c2));
        let (_, c, _) = sql(json!({"comments": {"$exists": true}}));
        assert_eq!(
            c,
            "(EXISTS (SELECT 1 FROM \"comments\" t1 WHERE t1.\"postId\" = t0.\"id\"))"
        );
        let (_, c, p) = sql(json!({"tags.name": {"$in": ["x"]}}));
        assert!(
            c.contains("FROM \"postsTags\" j2 JOIN \"tags\" t1 ON t1.\"id\" = j2.\"tagId\""),
            "{c}"
        );
        assert_eq!(p, vec![SqlValue::Text("x".into())]);
        // A to-one path inside a to-many one joins inside the subquery.
        let (j, c, _) = sql(json!({"comments.post.category.title": "x"}));
        assert_eq!(j, "");
        assert!(c.contains("LEFT JOIN \"posts\""), "{c}");
    }

    #[test]
    fn paths_inside_json_columns() {
        let s = schema();
        let workflows = s.get("workflows").unwrap().clone();
        let compiled = |f: Value| compile(&s, &workflows, Some(&f)).unwrap();
        let path = |p: &str| SqlValue::Text(p.into());
        let w = compiled(json!({"config.collection": "samples"}));
        assert_eq!(w.cond(), "(json_extract(t0.\"config\", ?) = ?)");
        assert_eq!(
            w.params(),
            [path("$.\"collection\""), SqlValue::Text("samples".into())]
        );
        // Each mention of the value binds the path again, in text order.
        let w = compiled(json!({"config.a.0": {"$ne": 1}}));
        assert_eq!(
            w.cond(),
            "((json_extract(t0.\"config\", ?) <> ? OR json_extract(t0.\"config\", ?) IS NULL))"
        );
        assert_eq!(
            w.params(),
            [path("$.\"a\"[0]"), SqlValue::Integer(1), path("$.\"a\"[0]")]
        );
        assert_eq!(
            compile(&s, &workflows, Some(&json!({"config.a\"b": 1})))
                .unwrap_err()
                .code,
            Code::InvalidFilter
        );
        assert_eq!(
            compile(&s, &workflows, Some(&json!({"title.x": 1})))
                .unwrap_err()
                .code,
            Code::NotAnAssociation
        );

        // What SQLite answers: strings, numbers, booleans and lists by their JSON type.
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(include_str!("../../schema.sql")).unwrap();
        for (i, config) in [
            r#"{"type":1,"collection":"samples","on":true}"#,
            r#"{"type":0,"on":false}"#,
        ]
        .iter()
        .enumerate()
        {
            c.execute(
                "INSERT INTO workflows (key, type, config, createdAt, updatedAt) VALUES (?1, 'custom-action', ?2, 't', 't')",
                rusqlite::params![format!("k{i}"), config],
            )
            .unwrap();
        }
        let ids = |f: Value| {
            crate::collections::records::matching_ids(&c, &workflows, &compiled(f)).unwrap()
        };
        assert_eq!(ids(json!({"config.collection": "samples"})), vec![1]);
        assert_eq!(ids(json!({"config.type": 0})), vec![2]);
        assert_eq!(ids(json!({"config.type": {"$in": [0, 1]}})), vec![1, 2]);
        assert_eq!(ids(json!({"config.on": true})), vec![1]);
        assert_eq!(
            ids(json!({"config.collection": {"$ne": "samples"}})),
            vec![2]
        );
        assert_eq!(ids(json!({"config.collection": {"$empty": true}})), vec![2]);
        assert_eq!(
            ids(json!({"config.type": {"$gt": 0}, "config.collection": {"$includes": "amp"}})),
            vec![1]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(err(json!({"title": {"$foo": 1}})), Code::InvalidFilter);
        assert_eq!(err(json!({"$foo": 1})), Code::InvalidFilter);
        assert_eq!(err(json!({"nope": 1})), Code::UnknownField);
        assert_eq!(err(json!({"title.x": 1})), Code::NotAnAssociation);
        assert_eq!(err(json!({"indicator": "abc"})), Code::InvalidFilter);
        assert_eq!(err(json!({"$and": {"title": 1}})), Code::InvalidFilter);
        assert_eq!(err(json!({"category": 1})), Code::InvalidFilter);
        assert_eq!(
            err(json!({"indicator": {"$between": [1]}})),
            Code::InvalidFilter
        );
        let mut deep = json!({"title": "a"});
        for _ in 0..40 {
            deep = json!({ "$not": deep });
        }
        assert_eq!(err(deep), Code::InvalidFilter);
    }
}
