//! Building each matched workflow's context data (trigger.md §5): body only, id(s) loaded with the
//! workflow's appends and the body laid over them, or the `!path` association's record.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::acl::Scope;
use crate::action::Ctx;
use crate::collections::records;
use crate::collections::{Collection, Field, Schema};
use crate::error::{bad, no_permissions, Code, Error, Result};

pub use crate::workflow::triggers::keys::{resolve_path, Path};

/// `body[path]`: an object, or `None` when absent or null; anything else is `400 INVALID_BODY`.
fn body_at(body: &Map<String, Value>, path: &[String]) -> Result<Option<Map<String, Value>>> {
    let mut cur: Option<&Value> = None;
    let mut map = body;
    for (i, seg) in path.iter().enumerate() {
        match map.get(seg) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(m)) => {
                map = m;
                cur = None;
            }
            Some(other) if i + 1 == path.len() => cur = Some(other),
            Some(_) => return Err(no_object(path)),
        }
    }
    match cur {
        Some(_) => Err(no_object(path)),
        None => Ok(Some(map.clone())),
    }
}

fn no_object(path: &[String]) -> Error {
    bad(
        Code::InvalidBody,
        format!("Request body has no object at \"{}\"", path.join(".")),
    )
}

/// Shallow overlay: every top-level body key replaces the loaded value (the body wins; kept).
fn overlay(mut record: Value, body: &Map<String, Value>) -> Value {
    if let Value::Object(m) = &mut record {
        for (k, v) in body {
            m.insert(k.clone(), v.clone());
        }
    }
    record
}

/// Where the data comes from for this request.
pub struct Source<'a> {
    pub ctx: &'a Ctx<'a>,
    pub schema: &'a Schema,
    /// The resource's collection (an association form's target).
    pub coll: Arc<Collection>,
    /// Association form: (source collection, source id, association field).
    pub link: Option<(Arc<Collection>, i64, Field)>,
    pub ids: Vec<i64>,
    pub body: Map<String, Value>,
}

impl Source<'_> {
    fn own(&self) -> bool {
        self.ctx.scope == Scope::Own
    }

    /// Loads `ids` of the resource's collection with `appends`, in primary-key order; every id must exist
    /// (and, association form, be linked to the source); own scope: every record must be the caller's.
    fn load(&self, appends: &[String]) -> Result<Vec<Value>> {
        let app = self.ctx.app;
        let mut ids = self.ids.clone();
        ids.sort_unstable();
        ids.dedup();
        let rows = app
            .store
            .read(|c| records::get_many(c, self.schema, &self.coll, &ids, appends, None))?;
        let linked = match &self.link {
            Some((src, sid, field)) => Some(self.linked_ids(src, *sid, field)?),
            None => None,
        };
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for id in &ids {
            let row = rows
                .iter()
                .find(|r| r.get("id").and_then(Value::as_i64) == Some(*id));
            match row {
                Some(r) if linked.as_ref().is_none_or(|l| l.contains(id)) => found.push(r.clone()),
                _ => missing.push(id.to_string()),
            }
        }
        if self.own() {
            let me = self.ctx.caller.user.id;
            if !missing.is_empty()
                || found
                    .iter()
                    .any(|r| r.get("createdById").and_then(Value::as_i64) != Some(me))
            {
                return Err(no_permissions());
            }
        }
        if !missing.is_empty() {
            return Err(crate::error::record_not_found(
                missing.join(","),
                &self.coll.name,
            ));
        }
        Ok(found)
    }

    /// Ids of the target rows linked to the association form's source record.
    fn linked_ids(&self, src: &Collection, sid: i64, field: &Field) -> Result<Vec<i64>> {
        let appends = vec![field.name.clone()];
        let rec = self
            .ctx
            .app
            .store
            .read(|c| records::get(c, self.schema, src, sid, &appends, None))?;
        let v = rec
            .as_ref()
            .and_then(|r| r.get(&field.name))
            .cloned()
            .unwrap_or(Value::Null);
        Ok(match v {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| i.get("id").and_then(Value::as_i64))
                .collect(),
            Value::Object(o) => o.get("id").and_then(Value::as_i64).into_iter().collect(),
            _ => Vec::new(),
        })
    }

    /// The data for one workflow: `appends` from its config, `path` from its `key!path`.
    pub fn build(
        &self,
        appends: &[String],
        path: Option<&Path>,
        many: bool,
        cache: &mut HashMap<Vec<String>, Vec<Value>>,
    ) -> Result<Value> {
        let sub_body = match path {
            Some(p) => body_at(&self.body, &p.segments)?,
            None => Some(self.body.clone()),
        };
        if self.ids.is_empty() {
            return match (path, sub_body) {
                (Some(p), None) => Err(no_object(&p.segments)),
                (_, Some(b)) => Ok(Value::Object(b)),
                (None, None) => Ok(Value::Object(Map::new())),
            };
        }
        let records = match path {
            // The source records are loaded without appends; the associated ones with the workflow's.
            Some(_) => self.cached(cache, &[])?,
            None => self.cached(cache, appends)?,
        };
        let mut out = Vec::new();
        for rec in records {
            let value = match path {
                None => overlay(rec, &self.body),
                Some(p) => self.follow(&rec, p, appends, sub_body.as_ref())?,
            };
            out.push(value);
        }
        if many || out.len() != 1 {
            return Ok(Value::Array(out));
        }
        Ok(out.into_iter().next().unwrap_or(Value::Null))
    }

    fn cached(
        &self,
        cache: &mut HashMap<Vec<String>, Vec<Value>>,
        appends: &[String],
    ) -> Result<Vec<Value>> {
        if let Some(v) = cache.get(appends) {
            return Ok(v.clone());
        }
        let v = self.load(appends)?;
        cache.insert(appends.to_vec(), v.clone());
        Ok(v)
    }

    /// Follows a to-one path from a source record, then lays `body[path]` over the associated record.
    /// No associated record: `body[path]` when the body has an object there (`{}` included), else 404.
    fn follow(
        &self,
        source: &Value,
        path: &Path,
        appends: &[String],
        sub_body: Option<&Map<String, Value>>,
    ) -> Result<Value> {
        let mut current = source.clone();
        let mut coll = self.coll.clone();
        for (i, field) in path.fields.iter().enumerate() {
            let last = i + 1 == path.fields.len();
            let next_appends: &[String] = if last { appends } else { &[] };
            let next = self.ctx.app.store.read(|c| {
                records::load_association(c, self.schema, &coll, &current, field, next_appends)
            })?;
            match next {
                Some(v) => current = v,
                None if sub_body.is_some() => {
                    return Ok(Value::Object(sub_body.cloned().unwrap_or_default()))
                }
                None => {
                    let id = source.get("id").cloned().unwrap_or(Value::Null);
                    return Err(bad(
                        Code::RecordNotFound,
                        format!(
                            "Record {id} of \"{}\" has no \"{}\"",
                            self.coll.name,
                            path.text()
                        ),
                    ));
                }
            }
            coll = match field.kind.target().and_then(|t| self.schema.get(t)) {
                Some(c) => c.clone(),
                None => return Err(Error::internal("association target vanished")),
            };
        }
        Ok(match sub_body {
            Some(b) => overlay(current, b),
            None => current,
        })
    }
}
