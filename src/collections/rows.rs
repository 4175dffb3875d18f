//! Reading records: the select list of a collection, a row as a JSON record, and batched loads by a key
//! column (used by appends and by reads of known ids).

use rusqlite::{Connection, Row};
use serde_json::{Map, Value};

use super::registry::{Collection, Field, ScalarType};
use super::sql::{id_list, q, SqlValue, IN_IDS};
use super::values;
use crate::error::Result;

pub type Record = Map<String, Value>;

/// The columns of a record in output order: `id`, the user's columns, then the other system columns
/// (`createdAt`, `updatedAt`, `createdById`, `updatedById`), as in collections.md §6.
pub fn output_columns(coll: &Collection) -> Vec<&Field> {
    let id = coll.columns().filter(|f| f.name == "id");
    let user = coll.columns().filter(|f| !f.system);
    let system = coll.columns().filter(|f| f.system && f.name != "id");
    id.chain(user).chain(system).collect()
}

/// `t0."id", t0."title", …` in output order.
pub fn select_list(coll: &Collection, alias: &str) -> String {
    output_columns(coll)
        .iter()
        .map(|f| format!("{alias}.{}", q(&f.name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The record in columns `at..` of `row`; `cols` is [`output_columns`] (computed once per query).
fn record(cols: &[&Field], row: &Row, at: usize) -> rusqlite::Result<Record> {
    let mut m = Map::new();
    for (i, f) in cols.iter().enumerate() {
        let ty = f.scalar_type().unwrap_or(ScalarType::String);
        m.insert(f.name.clone(), values::to_json(ty, row.get_ref(at + i)?));
    }
    Ok(m)
}

/// Runs `sql` (selecting `lead` key columns, then [`select_list`]) and returns (first key, record).
pub fn query(
    conn: &Connection,
    coll: &Collection,
    sql: &str,
    params: &[SqlValue],
    lead: usize,
) -> Result<Vec<(i64, Record)>> {
    let cols = output_columns(coll);
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        let key = if lead > 0 {
            r.get::<_, Option<i64>>(0)?.unwrap_or(0)
        } else {
            0
        };
        Ok((key, record(&cols, r, lead)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records whose `column` is one of `keys`, ordered by id, as (key, record); with `own`, only the rows
/// that user created. `via` names a through table: then `column` is its key column and `other` the
/// target id column.
pub fn load_by(
    conn: &Connection,
    coll: &Collection,
    column: &str,
    keys: &[i64],
    via: Option<(&str, &str)>,
    own: Option<i64>,
) -> Result<Vec<(i64, Record)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (from, key) = match via {
        None => (format!("{} t0", q(&coll.name)), format!("t0.{}", q(column))),
        Some((through, other)) => (
            format!(
                "{} j JOIN {} t0 ON t0.\"id\" = j.{}",
                q(through),
                q(&coll.name),
                q(other)
            ),
            format!("j.{}", q(column)),
        ),
    };
    let mine = match own {
        Some(_) => format!(" AND t0.{} = ?", q(super::filter::owner_column(coll))),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {key}, {cols} FROM {from} WHERE {key} {IN_IDS}{mine} ORDER BY t0.\"id\"",
        cols = select_list(coll, "t0")
    );
    let mut params = vec![id_list(keys)];
    params.extend(own.map(SqlValue::Integer));
    query(conn, coll, &sql, &params, 1)
}

/// Every row of `coll` by id (the bridge's `export --records`).
pub fn all(conn: &Connection, coll: &Collection) -> Result<Vec<Record>> {
    let sql = format!(
        "SELECT {} FROM {} t0 ORDER BY t0.\"id\"",
        select_list(coll, "t0"),
        q(&coll.name)
    );
    Ok(query(conn, coll, &sql, &[], 0)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// An integer column of a record (`id`, foreign keys).
pub fn int(record: &Record, key: &str) -> Option<i64> {
    record.get(key).and_then(Value::as_i64)
}
