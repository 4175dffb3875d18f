//! The node types `aggregate`, `sql`, `json-query`, `json-variable-mapping` and `dateCalculation`
//! (triggers-and-nodes.md §7–§11, §13; acceptance cases 42–71) and the workflow `stats`/`versionStats`
//! appends (§12, cases 72–76), over a real server: nodes created and validated through `nodes:create`
//! and `flow_nodes:update`, run through the custom action trigger and `workflows:execute`.

mod common;
#[path = "common/wf.rs"]
mod wf;

use common::*;
use wf::*;

/// `tn_items {title, amount, tag}` with amounts 3, 4, 10 and null, all tagged `g`; `tn_posts` with
/// `comments` (hasMany `tn_comments`): post 1 has two comments, post 2 one.
fn fixture(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_items","fields":[{"name":"title","type":"string"},{"name":"amount","type":"integer"},{"name":"tag","type":"string"}]})),
    );
    for (title, amount) in [
        ("a", json!(3)),
        ("b", json!(4)),
        ("c", json!(10)),
        ("d", Value::Null),
    ] {
        s.ok(
            "POST",
            "/api/tn_items:create",
            Some(json!({"title":title,"amount":amount,"tag":"g"})),
        );
    }
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_posts","fields":[{"name":"title","type":"string"}]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name":"tn_comments","fields":[{"name":"text","type":"string"},{"name":"post","type":"belongsTo","target":"tn_posts"}]})),
    );
    s.ok(
        "POST",
        "/api/collections/tn_posts/fields:create",
        Some(json!({"name":"comments","type":"hasMany","target":"tn_comments","foreignKey":"postId"})),
    );
    for t in ["p1", "p2"] {
        s.ok("POST", "/api/tn_posts:create", Some(json!({ "title": t })));
    }
    for (text, post) in [("x", 1), ("y", 1), ("z", 2)] {
        s.ok(
            "POST",
            "/api/tn_comments:create",
            Some(json!({ "text": text, "post": post })),
        );
    }
}

fn agg(key: &str, aggregator: &str, field: &str, extra: Value) -> Value {
    let mut config =
        json!({"aggregator":aggregator,"collection":"tn_items","params":{"field":field}});
    merge(&mut config, extra);
    n("aggregate", key, config)
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(a), Some(b)) = (into.as_object_mut(), extra.as_object()) {
        for (k, v) in b {
            a.insert(k.clone(), v.clone());
        }
    }
}

fn sql(key: &str, config: Value) -> Value {
    n("sql", key, config)
}

/// The results of the jobs by node key.
fn results(e: &Value, keys: &[&str]) -> Vec<Value> {
    keys.iter().map(|k| result_of(e, k)).collect()
}

/// The job of node `key`.
fn job<'e>(e: &'e Value, key: &str) -> &'e Value {
    e["jobs"]
        .as_array()
        .and_then(|jobs| jobs.iter().find(|j| j["nodeKey"] == json!(key)))
        .unwrap_or_else(|| panic!("no job {key} in {e}"))
}

/// `nodes:create` of `body` on `wid` must answer 400 INVALID_NODE_CONFIG with exactly `expected`, and
/// store no node.
fn refused(s: &Server, wid: i64, body: Value, expected: &[(&str, &str)]) {
    let before = nodes_of(s, wid);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:create"),
        body.clone(),
    );
    assert_eq!(
        (st, v["errors"][0]["code"].as_str()),
        (400, Some("INVALID_NODE_CONFIG")),
        "{body} → {v}"
    );
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    assert_eq!(fields(&v), expected, "{body}");
    assert_eq!(nodes_of(s, wid), before, "a refused node was stored");
}

/// A node created on a fresh disabled workflow must be accepted.
fn accepted(s: &Server, wid: i64, body: Value) -> i64 {
    node(s, wid, body)["id"].as_i64().expect("node id")
}

fn scratch(s: &Server, key: &str) -> i64 {
    create(
        s,
        json!({"title":key,"type":"custom-action","key":key,"config":{"type":0}}),
    )["id"]
        .as_i64()
        .expect("id")
}

// ---------------------------------------------------------------- aggregate

/// Cases 42, 43, 44, 45.
#[test]
fn aggregate_counts_sums_averages_and_extremes_with_precision() {
    let s = Server::start();
    fixture(&s);
    let none = json!({"params":{"field":"amount","filter":{"title":"none"}}});
    let (st, e) = one_shot(
        &s,
        "agg",
        &[
            agg("count", "count", "amount", json!({})),
            agg("sum", "sum", "amount", json!({})),
            agg("avg", "avg", "amount", json!({})),
            agg("min", "min", "amount", json!({})),
            agg("max", "max", "amount", json!({})),
            agg("count_id", "count", "id", json!({})),
            agg("avg0", "avg", "amount", json!({"precision":0})),
            agg("avg5", "avg", "amount", json!({"precision":5})),
            agg("n_count", "count", "amount", none.clone()),
            agg("n_sum", "sum", "amount", none.clone()),
            agg("n_avg", "avg", "amount", none.clone()),
            agg("n_min", "min", "amount", none.clone()),
            agg("n_max", "max", "amount", none),
        ],
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        results(&e, &["count", "sum", "avg", "min", "max"]),
        [json!(3), json!(17), json!(5.67), json!(3), json!(10)]
    );
    assert_eq!(
        results(&e, &["count_id", "avg0", "avg5"]),
        [json!(4), json!(6), json!(5.66667)]
    );
    assert_eq!(
        results(&e, &["n_count", "n_sum", "n_avg", "n_min", "n_max"]),
        vec![json!(0); 5]
    );

    // 45: the filter is a template
    let templated = json!({"params":{"field":"amount","filter":{"tag":"{{$context.data.tag}}"}}});
    flow(&s, "agg_t", &[agg("sum", "sum", "amount", templated)]);
    let (_, e) = run_with(&s, "agg_t", json!({"tag":"g"}));
    assert_eq!(result_of(&e, "sum"), json!(17));
    let (_, e) = run_with(&s, "agg_t", json!({"tag":"other"}));
    assert_eq!(result_of(&e, "sum"), json!(0));
}

/// Case 46: the rows are one record's association.
#[test]
fn aggregate_over_one_records_association() {
    let s = Server::start();
    fixture(&s);
    let assoc = |key: &str| {
        n(
            "aggregate",
            key,
            json!({"aggregator":"count","collection":"tn_comments","associated":true,
                   "association":{"associatedCollection":"tn_posts","name":"comments","associatedKey":"{{$context.data.post}}"},
                   "params":{"field":"id"}}),
        )
    };
    flow(&s, "assoc", &[assoc("c")]);
    let (_, e) = run_with(&s, "assoc", json!({"post":1}));
    assert_eq!(result_of(&e, "c"), json!(2));
    let (_, e) = run_with(&s, "assoc", json!({"post":2}));
    assert_eq!(result_of(&e, "c"), json!(1));
    let (_, e) = run_with(&s, "assoc", json!({"post":"2"}));
    assert_eq!(result_of(&e, "c"), json!(1));
    let (_, e) = run_with(&s, "assoc", json!({"post":99}));
    assert_eq!(result_of(&e, "c"), json!(0));
    // a filter through a to-one association (a LEFT JOIN: no row counted twice)
    flow(
        &s,
        "assoc_filter",
        &[n(
            "aggregate",
            "c",
            json!({"aggregator":"count","collection":"tn_comments","params":{"field":"id","filter":{"post":{"title":"{{$context.data.t}}"}}}}),
        )],
    );
    let (_, e) = run_with(&s, "assoc_filter", json!({"t":"p1"}));
    assert_eq!(result_of(&e, "c"), json!(2));
}

/// Case 47 and §13 (an unknown collection is refused at creation); `flow_nodes:update` checks the same.
#[test]
fn aggregate_bad_configs_are_refused_and_nothing_is_stored() {
    let s = Server::start();
    fixture(&s);
    let wid = scratch(&s, "agg_bad");
    let body = |config: Value| json!({"type":"aggregate","config":config});
    let one_of = "\"aggregator\" must be one of [count, sum, avg, min, max]";
    refused(
        &s,
        wid,
        body(json!({"aggregator":"median","collection":"tn_items","params":{"field":"amount"}})),
        &[("aggregator", one_of)],
    );
    refused(
        &s,
        wid,
        body(json!({"aggregator":"sum","collection":"tn_items","params":{}})),
        &[("params.field", "\"params.field\" is required")],
    );
    refused(
        &s,
        wid,
        body(
            json!({"aggregator":"sum","collection":"tn_items","params":{"field":"amount"},"precision":15}),
        ),
        &[(
            "precision",
            "\"precision\" must be less than or equal to 14",
        )],
    );
    refused(
        &s,
        wid,
        body(
            json!({"aggregator":"sum","collection":"tn_items","params":{"field":"amount"},"precision":-1}),
        ),
        &[(
            "precision",
            "\"precision\" must be greater than or equal to 0",
        )],
    );
    refused(
        &s,
        wid,
        body(
            json!({"aggregator":"count","collection":"tn_comments","associated":true,"association":{},"params":{"field":"id"}}),
        ),
        &[
            (
                "association.associatedCollection",
                "\"association.associatedCollection\" is required",
            ),
            ("association.name", "\"association.name\" is required"),
            (
                "association.associatedKey",
                "\"association.associatedKey\" is required",
            ),
        ],
    );
    refused(
        &s,
        wid,
        body(
            json!({"aggregator":"count","collection":"tn_items","association":{"name":"x"},"params":{"field":"id"}}),
        ),
        &[("association", "\"association\" is not allowed")],
    );
    refused(
        &s,
        wid,
        body(json!({"aggregator":"sum","collection":"tn_nope","params":{"field":"amount"}})),
        &[(
            "collection",
            "Collection \"tn_nope\" does not exist in data source \"main\"",
        )],
    );
    refused(
        &s,
        wid,
        body(
            json!({"aggregator":"count","collection":"tn_comments","associated":true,
                    "association":{"associatedCollection":"tn_posts","name":"nope","associatedKey":"1"},"params":{"field":"id"}}),
        ),
        &[(
            "association.name",
            "Association \"nope\" does not exist in collection \"tn_posts\"",
        )],
    );
    let id = accepted(
        &s,
        wid,
        body(
            json!({"aggregator":"sum","collection":"main:tn_items","params":{"field":"amount","filter":null},"precision":0,"association":null}),
        ),
    );
    // flow_nodes:update validates the same way and leaves the stored config as it was
    let before = nodes_of(&s, wid);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/flow_nodes:update/{id}"),
        json!({"config":{"aggregator":"median","collection":"tn_items","params":{"field":"amount"}}}),
    );
    assert_eq!(
        (st, fields(&v)),
        (400, vec![("aggregator".to_string(), one_of.to_string())])
    );
    assert_eq!(nodes_of(&s, wid), before);
}

/// Case 48: min of a text fails the job (and the sync trigger with 500); so does an unknown field.
#[test]
fn aggregate_of_text_or_an_unknown_field_fails_the_job() {
    let s = Server::start();
    fixture(&s);
    let (st, e) = one_shot(&s, "agg_text", &[agg("m", "min", "title", json!({}))]);
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    assert_eq!(
        (job(&e, "m")["status"].clone(), result_of(&e, "m")),
        (
            json!(-2),
            json!({"message":"Cannot convert \"a\" to a number"})
        )
    );
    let (st, e) = one_shot(&s, "agg_field", &[agg("m", "sum", "nope", json!({}))]);
    assert_eq!((st, job(&e, "m")["status"].clone()), (500, json!(-2)));
    assert_eq!(
        result_of(&e, "m"),
        json!({"message":"Field \"nope\" does not exist in collection \"tn_items\""})
    );
}

// ---------------------------------------------------------------- sql

/// Cases 49, 50, 51: rows as objects; `:name` bound to the variables' values; the text is no template
/// unless `unsafeInjection`, and then the templates are bound too (a quote in a value stays data).
#[test]
fn sql_answers_rows_with_every_value_bound() {
    let s = Server::start();
    fixture(&s);
    flow(
        &s,
        "sql_rows",
        &[
            sql("n", json!({"sql":" SELECT 1 + 1 AS n; "})),
            sql(
                "row",
                json!({"sql":"SELECT id, title FROM tn_items WHERE id = :id","variables":[{"name":"id","value":"{{$context.data.id}}"}]}),
            ),
            sql(
                "quote",
                json!({"sql":"SELECT :v AS v","variables":[{"name":"v","value":"{{$context.data.q}}"}]}),
            ),
            sql(
                "literal",
                json!({"sql":"SELECT '{{$context.data.v}}' AS t"}),
            ),
            sql(
                "pasted",
                json!({"sql":"SELECT {{$context.data.v}} + 1 AS n","unsafeInjection":true}),
            ),
            sql(
                "in_text",
                json!({"sql":"SELECT 'it is {{$context.data.q}}!' AS t","unsafeInjection":true}),
            ),
            sql(
                "inject",
                json!({"sql":"SELECT count(*) AS n FROM tn_items WHERE title = '{{$context.data.attack}}'","unsafeInjection":true}),
            ),
            sql("meta", json!({"sql":"SELECT 2 AS n","withMeta":true})),
        ],
    );
    let (st, e) = run_with(
        &s,
        "sql_rows",
        json!({"id":2,"q":"it's","v":5,"attack":"x' OR '1'='1"}),
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        results(
            &e,
            &["n", "row", "quote", "literal", "pasted", "in_text", "inject", "meta"]
        ),
        [
            json!([{"n":2}]),
            json!([{"id":2,"title":"b"}]),
            json!([{"v":"it's"}]),
            json!([{"t":"{{$context.data.v}}"}]),
            json!([{"n":6}]),
            json!([{"t":"it is it's!"}]),
            json!([{"n":0}]),
            json!([[{"n":2}], {"changes":0}]),
        ]
    );
}

/// Case 52: a blank or absent text resolves with `null`.
#[test]
fn sql_without_text_resolves_null() {
    let s = Server::start();
    let (st, e) = one_shot(
        &s,
        "sql_blank",
        &[sql("blank", json!({"sql":"  "})), sql("absent", json!({}))],
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        jobs(&e),
        vec![
            ("blank".to_string(), 1, Value::Null),
            ("absent".to_string(), 1, Value::Null)
        ]
    );
}

/// Case 53: a write answers `[]`, is seen by the next node of the run, and is committed.
#[test]
fn sql_writes_inside_the_run() {
    let s = Server::start();
    fixture(&s);
    let (st, e) = one_shot(
        &s,
        "sql_write",
        &[
            sql(
                "upd",
                json!({"sql":"UPDATE tn_items SET title = :t WHERE id = 1","variables":[{"name":"t","value":"written"}]}),
            ),
            n(
                "query",
                "q",
                json!({"collection":"tn_items","params":{"filter":{"id":1}}}),
            ),
        ],
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(result_of(&e, "upd"), json!([]));
    assert_eq!(result_of(&e, "q")["title"], json!("written"));
    let v = s.ok("GET", "/api/tn_items:get/1", None);
    assert_eq!(v["title"], json!("written"));
}

/// Case 54: errors fail the job with `{message}` only, and the sync trigger with 500.
#[test]
fn sql_errors_fail_the_job_with_the_database_message() {
    let s = Server::start();
    let (st, e) = one_shot(&s, "sql_syntax", &[sql("bad", json!({"sql":"SELEC 1"}))]);
    assert_eq!((st, job(&e, "bad")["status"].clone()), (500, json!(-2)));
    assert_eq!(
        result_of(&e, "bad"),
        json!({"message":"near \"SELEC\": syntax error"}),
        "the message alone, without the text"
    );
    let (st, e) = one_shot(
        &s,
        "sql_unbound",
        &[sql(
            "bad",
            json!({"sql":"SELECT :zz AS z","variables":[{"name":"other","value":1}]}),
        )],
    );
    assert_eq!((st, job(&e, "bad")["status"].clone()), (500, json!(-2)));
    assert_eq!(
        result_of(&e, "bad"),
        json!({"message":"Named replacement \":zz\" has no entry in the replacement map."})
    );
}

/// The safety rule (collections/raw_sql.rs): one statement on collection tables; nothing else runs, and
/// the store is unharmed.
#[test]
fn sql_reaches_collection_tables_only() {
    let s = Server::start();
    fixture(&s);
    let not_collection = |t: &str| {
        format!("Table \"{t}\" is not a collection table: the sql node reads and writes collection tables only")
    };
    let not_allowed = |what: &str| {
        format!("{what} is not allowed in the sql node: it runs one SELECT, INSERT, UPDATE or DELETE on collection tables")
    };
    let cases = [
        ("SELECT * FROM users", not_collection("users")),
        ("SELECT username FROM users", not_collection("users")),
        (
            "SELECT count(*) FROM tn_items WHERE id IN (SELECT id FROM tokens)",
            not_collection("tokens"),
        ),
        (
            "UPDATE workflows SET enabled = 0",
            not_collection("workflows"),
        ),
        (
            "SELECT name FROM sqlite_master",
            not_collection("sqlite_master"),
        ),
        ("PRAGMA journal_mode = DELETE", not_allowed("Pragma")),
        ("ATTACH DATABASE '/tmp/x.db' AS x", not_allowed("Attach")),
        ("DROP TABLE tn_items", not_allowed("A schema change")),
        ("CREATE TABLE tn_x (a)", not_allowed("A schema change")),
        ("BEGIN", not_allowed("Transaction")),
        ("VACUUM", String::new()),
        ("SELECT 1; DELETE FROM tn_items", String::new()),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        let key = format!("sql_safe{i}");
        let (st, e) = one_shot(&s, &key, &[sql("x", json!({ "sql": text }))]);
        assert_eq!(
            (st, job(&e, "x")["status"].clone()),
            (500, json!(-2)),
            "{text}: {e}"
        );
        let got = result_of(&e, "x")["message"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if message.is_empty() {
            assert!(!got.is_empty(), "{text}: {e}");
        } else {
            assert_eq!(&got, message, "{text}");
        }
    }
    // an endless statement is stopped after the time limit, releasing the write transaction
    let (st, e) = one_shot(
        &s,
        "sql_endless",
        &[sql(
            "x",
            json!({"sql":"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c"}),
        )],
    );
    assert_eq!(
        (st, result_of(&e, "x")),
        (
            500,
            json!({"message":"The statement ran longer than 5 s and was stopped"})
        )
    );
    // CTEs and json_each are the statement's own
    let (st, e) = one_shot(
        &s,
        "sql_cte",
        &[sql(
            "x",
            json!({"sql":"WITH t(n) AS (SELECT amount FROM tn_items) SELECT sum(n) AS s, (SELECT count(*) FROM json_each('[1,2]')) AS j FROM t"}),
        )],
    );
    assert_eq!(
        (st, result_of(&e, "x")),
        (200, json!([{"s":17,"j":2}])),
        "{e}"
    );
    // the store is as it was, and the same node writes a collection table
    assert_eq!(
        s.ok("GET", "/api/tn_items:list", None)
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let (st, e) = one_shot(
        &s,
        "sql_ok",
        &[sql(
            "ins",
            json!({"sql":"INSERT INTO tn_items (title, createdAt, updatedAt) VALUES ('e', '2025-01-01', '2025-01-01') RETURNING title"}),
        )],
    );
    assert_eq!(
        (st, result_of(&e, "ins")),
        (200, json!([{"title":"e"}])),
        "{e}"
    );
    assert_eq!(
        s.ok("GET", "/api/tn_items:list", None)
            .as_array()
            .map(Vec::len),
        Some(5)
    );
}

/// Case 55 and §13 (an unknown data source is refused at creation).
#[test]
fn sql_bad_configs_are_refused_and_nothing_is_stored() {
    let s = Server::start();
    let wid = scratch(&s, "sql_bad");
    let body = |config: Value| json!({"type":"sql","config":config});
    refused(
        &s,
        wid,
        body(json!({"sql":5})),
        &[("sql", "\"sql\" must be a string")],
    );
    refused(
        &s,
        wid,
        body(json!({"sql":"SELECT :a","variables":[{"value":1}]})),
        &[("variables[0].name", "\"variables[0].name\" is required")],
    );
    refused(
        &s,
        wid,
        body(json!({"sql":"SELECT 1","withMeta":"x"})),
        &[("withMeta", "\"withMeta\" must be a boolean")],
    );
    refused(
        &s,
        wid,
        body(json!({"sql":"SELECT 1","dataSource":"other"})),
        &[("dataSource", "Data source \"other\" does not exist")],
    );
    refused(
        &s,
        wid,
        body(json!({"sql":"SELECT 1","variables":"a","unsafeInjection":"yes"})),
        &[
            ("variables", "\"variables\" must be an array"),
            ("unsafeInjection", "\"unsafeInjection\" must be a boolean"),
        ],
    );
    accepted(
        &s,
        wid,
        body(
            json!({"sql":"SELECT :a","variables":[{"name":"a","value":1}],"withMeta":false,"dataSource":"main"}),
        ),
    );
}

// ---------------------------------------------------------------- json-query

fn jq(key: &str, engine: Option<&str>, expression: &str) -> Value {
    let mut config = json!({"source":"{{$context.data}}","expression":expression});
    if let Some(e) = engine {
        config["engine"] = json!(e);
    }
    n("json-query", key, config)
}

fn query_data() -> Value {
    json!({"name":"top","pick":"b","items":[{"n":"a","v":1},{"n":"b","v":2},{"n":"c","v":3}]})
}

/// Cases 56, 57, 58.
#[test]
fn json_query_engines_answer_as_nocobase() {
    let s = Server::start();
    flow(
        &s,
        "jq",
        &[
            jq("m1", None, "name"),
            jq("m2", Some("jmespath"), "items[?v > `1`].n"),
            jq("m3", None, "nope"),
            jq("m4", None, "items[?n=='{{$context.data.pick}}'].v"),
            jq("p1", Some("jsonpathplus"), "$.items[*].v"),
            jq("p2", Some("jsonpathplus"), "$.name"),
            jq("p3", Some("jsonpathplus"), "$.nope"),
            jq("p4", Some("jsonpathplus"), "$.items[?(@.v>1)].n"),
            jq("a1", Some("jsonata"), "$sum(items.v)"),
            jq("a2", Some("jsonata"), "items[v>1].n"),
            jq("a3", Some("jsonata"), "items[v=2].n"),
            jq("a4", Some("jsonata"), "items[v>5].n"),
            n(
                "json-query",
                "lit",
                json!({"source":{"k":[1,2]},"expression":"k[1]"}),
            ),
            n(
                "json-query",
                "text",
                json!({"source":"plain","expression":"name"}),
            ),
        ],
    );
    let (st, e) = run_with(&s, "jq", query_data());
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        results(&e, &["m1", "m2", "m3", "m4"]),
        [json!("top"), json!(["b", "c"]), Value::Null, json!([2])]
    );
    assert_eq!(
        results(&e, &["p1", "p2", "p3", "p4"]),
        [
            json!([1, 2, 3]),
            json!("top"),
            Value::Null,
            json!(["b", "c"])
        ]
    );
    assert_eq!(
        results(&e, &["a1", "a2", "a3", "a4"]),
        [json!(6), json!(["b", "c"]), json!("b"), Value::Null]
    );
    assert_eq!(results(&e, &["lit", "text"]), [json!(2), Value::Null]);
}

/// Case 59.
#[test]
fn json_query_model_reshapes_objects_and_arrays() {
    let s = Server::start();
    let model = json!([{"path":"n","alias":"name"},{"path":"o.x"}]);
    flow(
        &s,
        "jq_model",
        &[
            n(
                "json-query",
                "obj",
                json!({"source":"{{$context.data}}","expression":"first","model":model}),
            ),
            n(
                "json-query",
                "arr",
                json!({"source":"{{$context.data}}","expression":"list","model":model}),
            ),
        ],
    );
    let (_, e) = run_with(
        &s,
        "jq_model",
        json!({"first":{"n":"a","o":{"x":10}},"list":[{"n":"a","o":{"x":10}},{"n":"b","o":{"x":20}}]}),
    );
    assert_eq!(
        results(&e, &["obj", "arr"]),
        [
            json!({"name":"a","o_x":10}),
            json!([{"name":"a","o_x":10},{"name":"b","o_x":20}])
        ]
    );
}

/// Case 60 and §13: an engine error fails the job with `null` and its message in `meta.log`; an unknown
/// engine is refused at creation.
#[test]
fn json_query_errors_fail_the_job_and_unknown_engines_are_refused() {
    let s = Server::start();
    let (st, e) = one_shot(&s, "jq_err", &[jq("bad", None, "items[?")]);
    assert_eq!((st, &e["status"]), (500, &json!(-2)), "{e}");
    let j = job(&e, "bad");
    assert_eq!(
        (j["status"].clone(), j["result"].clone()),
        (json!(-2), Value::Null)
    );
    let log = j["meta"]["log"].as_str().unwrap_or("");
    assert!(!log.is_empty() && !log.contains("/src/"), "{j}");
    let (_, e) = one_shot(&s, "jq_empty", &[jq("bad", None, "")]);
    assert_eq!(job(&e, "bad")["status"], json!(-2));

    let wid = scratch(&s, "jq_bad");
    let engines = "\"engine\" must be one of [jmespath, jsonpathplus, jsonata]";
    for engine in [json!("xpath"), json!(5)] {
        refused(
            &s,
            wid,
            json!({"type":"json-query","config":{"engine":engine,"source":{},"expression":"a"}}),
            &[("engine", engines)],
        );
    }
    accepted(
        &s,
        wid,
        json!({"type":"json-query","config":{"engine":"jsonata","source":"{{$context.data}}","expression":"a"}}),
    );
}

// ---------------------------------------------------------------- json-variable-mapping

fn mapping(key: &str, data_source: Value, variables: Value, parse_array: bool) -> Value {
    n(
        "json-variable-mapping",
        key,
        json!({"dataSource":data_source,"variables":variables,"parseArray":parse_array}),
    )
}

/// Cases 61, 62, 63.
#[test]
fn json_variable_mapping_picks_values_by_path() {
    let s = Server::start();
    flow(
        &s,
        "jvm",
        &[
            mapping(
                "m",
                json!("{{$context.data}}"),
                json!([{"key":"k1","paths":["a","b"]},{"key":"k2","paths":["s"]},{"key":"k3","paths":["xs"]},{"key":"k4","paths":["a","missing"]}]),
                false,
            ),
            mapping(
                "arr",
                json!("{{$context.data}}"),
                json!([{"key":"nums","paths":["list","___arr$___","x"]},{"key":"tags","paths":["tags","___arr$___","t"]}]),
                false,
            ),
            mapping(
                "idx",
                json!("{{$context.data}}"),
                json!([{"key":"first","paths":["list","___arr$___","0","x"]}]),
                true,
            ),
            mapping(
                "lit",
                json!({"r":1}),
                json!([{"key":"r","paths":["r"]}]),
                false,
            ),
            mapping("empty", json!("{{$context.data}}"), json!([]), false),
        ],
    );
    let (st, e) = run_with(
        &s,
        "jvm",
        json!({"a":{"b":5},"s":"str","xs":[1,2],"list":[{"x":1},{"x":2},{"x":0}],"tags":[{"t":"p"},{"t":"q"}]}),
    );
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        results(&e, &["m", "arr", "idx", "lit", "empty"]),
        [
            json!({"k1":5,"k2":"str","k3":[1,2]}),
            json!({"nums":[1,2],"tags":["p","q"]}),
            json!({"first":1}),
            json!({"r":1}),
            json!({}),
        ]
    );
}

/// Case 64: a source that is no object nor array fails the run (job -1); a variable without paths errs.
#[test]
fn json_variable_mapping_of_text_fails_the_run() {
    let s = Server::start();
    flow(
        &s,
        "jvm_text",
        &[mapping(
            "m",
            json!("{{$context.data.s}}"),
            json!([{"key":"k","paths":["a"]}]),
            false,
        )],
    );
    let (st, e) = run_with(&s, "jvm_text", json!({"s":"{\"a\":1}"}));
    assert_eq!((st, &e["status"]), (500, &json!(-1)), "{e}");
    assert_eq!(
        (job(&e, "m")["status"].clone(), result_of(&e, "m")),
        (
            json!(-1),
            json!("The input data is not an object nor an array")
        )
    );
    let (st, e) = one_shot(
        &s,
        "jvm_paths",
        &[mapping("m", json!({"a":1}), json!([{"key":"k"}]), false)],
    );
    assert_eq!(
        (st, job(&e, "m")["status"].clone(), result_of(&e, "m")),
        (500, json!(-2), json!({"message":"paths is not iterable"}))
    );
}

// ---------------------------------------------------------------- dateCalculation

const BASE: &str = "2025-03-01T10:00:00.000Z";

fn date_node(key: &str, input: Value, steps: Value) -> Value {
    n("dateCalculation", key, json!({"input":input,"steps":steps}))
}

fn step(function: &str, arguments: Value) -> Value {
    json!({ "function": function, "arguments": arguments })
}

/// Cases 65–69, each function through a real run (the whole config is a template).
#[test]
fn date_calculation_functions_give_the_dayjs_results() {
    let s = Server::start();
    let base = json!("{{$context.data.at}}");
    let later = json!("2025-03-04T22:00:00.000Z");
    let number = |key: &str, input: Value, steps: Value| {
        n(
            "dateCalculation",
            key,
            json!({"input":input,"inputType":"number","steps":steps}),
        )
    };
    let mut nodes = vec![
        date_node(
            "add",
            base.clone(),
            json!([step("add", json!({"number":1,"unit":"day"}))]),
        ),
        date_node(
            "sub",
            base.clone(),
            json!([step("subtract", json!({"number":"2","unit":"hour"}))]),
        ),
        date_node(
            "month_end",
            json!("2025-01-31"),
            json!([step("add", json!({"number":1,"unit":"month"}))]),
        ),
        date_node(
            "templated",
            base.clone(),
            json!([step(
                "add",
                json!({"number":"{{$context.data.n}}","unit":"minute"})
            )]),
        ),
        date_node(
            "diff",
            later.clone(),
            json!([step("diff", json!({"date":BASE,"unit":"day"}))]),
        ),
        date_node(
            "floor",
            later.clone(),
            json!([step("diff", json!({"date":BASE,"unit":"day","round":-1}))]),
        ),
        date_node(
            "abs_ceil",
            base.clone(),
            json!([step(
                "diff",
                json!({"date":later,"unit":"day","isAbs":true,"round":1})
            )]),
        ),
        date_node(
            "hours",
            later,
            json!([step("diff", json!({"date":BASE,"unit":"hour"}))]),
        ),
        date_node("ts", base.clone(), json!([step("toTimestamp", json!({}))])),
        date_node(
            "ts_ms",
            base.clone(),
            json!([step("toTimestamp", json!({"unit":"millisecond"}))]),
        ),
        number(
            "to_date",
            json!(1740823200),
            json!([step("tsToDate", json!({}))]),
        ),
        number(
            "to_date_1h",
            json!(1740823200),
            json!([
                step("tsToDate", json!({})),
                step("add", json!({"number":1,"unit":"hour"}))
            ]),
        ),
        number(
            "dur",
            json!(90),
            json!([step(
                "transDuration",
                json!({"unitBefore":"minute","unitAfter":"hour"})
            )]),
        ),
        number(
            "dur_floor",
            json!(90),
            json!([step(
                "transDuration",
                json!({"unitBefore":"minute","unitAfter":"hour","round":-1})
            )]),
        ),
        number(
            "dur_min",
            json!(1.5),
            json!([step(
                "transDuration",
                json!({"unitBefore":"hour","unitAfter":"minute"})
            )]),
        ),
        date_node(
            "start",
            base.clone(),
            json!([step("startOfTime", json!({"unit":"month"}))]),
        ),
        date_node(
            "end",
            base.clone(),
            json!([step("endOfTime", json!({"unit":"month"}))]),
        ),
        date_node(
            "week",
            base.clone(),
            json!([step("startOfTime", json!({"unit":"week"}))]),
        ),
        date_node(
            "leap",
            json!("2024-06-01"),
            json!([step("isLeapYear", json!({}))]),
        ),
        date_node(
            "format",
            base.clone(),
            json!([step("format", json!({"format":"YYYY-MM-DD HH:mm"}))]),
        ),
        date_node(
            "tz",
            base.clone(),
            json!([step("changeTimezone", json!({"timezone":"Asia/Tokyo"}))]),
        ),
    ];
    for unit in ["year", "month", "day", "hour", "quarter", "week"] {
        nodes.push(date_node(
            &format!("get_{unit}"),
            base.clone(),
            json!([step("get", json!({ "unit": unit }))]),
        ));
    }
    flow(&s, "dates", &nodes);
    let (st, e) = run_with(&s, "dates", json!({"at":BASE,"n":30}));
    assert_eq!((st, &e["status"]), (200, &json!(1)), "{e}");
    assert_eq!(
        results(&e, &["add", "sub", "month_end", "templated"]),
        [
            json!("2025-03-02T10:00:00.000Z"),
            json!("2025-03-01T08:00:00.000Z"),
            json!("2025-02-28T00:00:00.000Z"),
            json!("2025-03-01T10:30:00.000Z"),
        ]
    );
    assert_eq!(
        results(&e, &["diff", "floor", "abs_ceil", "hours"]),
        [json!(3.5), json!(3), json!(4), json!(84)]
    );
    assert_eq!(
        results(&e, &["ts", "ts_ms", "to_date", "to_date_1h"]),
        [
            json!(1740823200),
            json!(1740823200000_i64),
            json!(BASE),
            json!("2025-03-01T11:00:00.000Z")
        ]
    );
    assert_eq!(
        results(&e, &["dur", "dur_floor", "dur_min"]),
        [json!(1.5), json!(1), json!(90)]
    );
    assert_eq!(
        results(
            &e,
            &[
                "get_year",
                "get_month",
                "get_day",
                "get_hour",
                "get_quarter",
                "get_week"
            ]
        ),
        [
            json!(2025),
            json!(3),
            json!(1),
            json!(10),
            json!(1),
            json!(6)
        ]
    );
    assert_eq!(
        results(&e, &["start", "end", "week", "leap", "format", "tz"]),
        [
            json!("2025-03-01T00:00:00.000Z"),
            json!("2025-03-31T23:59:59.999Z"),
            json!("2025-02-24T00:00:00.000Z"),
            json!(true),
            json!("2025-03-01 10:00"),
            json!(BASE),
        ]
    );
}

/// Case 70: a bad input, a bad step argument and an unknown function fail the job with their texts.
#[test]
fn date_calculation_bad_inputs_and_steps_fail_the_job() {
    let s = Server::start();
    let cases = [
        (json!({"input":"not a date"}), "Invalid input"),
        (json!({"input":"90","inputType":"number"}), "Invalid input"),
        (
            json!({"input":BASE,"steps":[step("diff", json!({"date":"soon","unit":"day"}))]}),
            "Error: Diff date [soon] is not a valid date",
        ),
        (
            json!({"input":BASE,"steps":[step("format", json!({"format":5}))]}),
            "TypeError: [5] is not a string",
        ),
        (
            json!({"input":90,"inputType":"number","steps":[step("transDuration", json!({"unitBefore":"eon","unitAfter":"hour"}))]}),
            "TypeError: [eon] is not a unit string",
        ),
        (
            json!({"input":BASE,"steps":[step("toTimestamp", json!({"unit":"hour"}))]}),
            "TypeError: [hour] is not valid, only accept second or millisecond",
        ),
        (
            json!({"input":BASE,"steps":[step("fly", json!({}))]}),
            "TypeError: calculate is not a function",
        ),
    ];
    for (i, (config, message)) in cases.into_iter().enumerate() {
        let key = format!("date_bad{i}");
        let (st, e) = one_shot(&s, &key, &[n("dateCalculation", "d", config.clone())]);
        assert_eq!(
            (st, job(&e, "d")["status"].clone(), result_of(&e, "d")),
            (500, json!(-2), json!(message)),
            "{config}"
        );
    }
    // no input: now
    let (_, e) = one_shot(&s, "date_now", &[n("dateCalculation", "d", json!({}))]);
    let now = chrono::Utc::now().timestamp_millis();
    assert!((ms(&result_of(&e, "d")) - now).abs() < 60_000, "{e}");
}

/// Case 71: `inputType` is validated; the type is named `dateCalculation` exactly.
#[test]
fn date_calculation_config_and_type_name_are_checked() {
    let s = Server::start();
    let wid = scratch(&s, "date_bad");
    refused(
        &s,
        wid,
        json!({"type":"dateCalculation","config":{"inputType":"text"}}),
        &[("inputType", "\"inputType\" must be one of [date, number]")],
    );
    let before = nodes_of(&s, wid);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows/{wid}/nodes:create"),
        json!({"type":"date-calculation","config":{}}),
    );
    assert_eq!(st, 400, "{v}");
    assert_eq!(nodes_of(&s, wid), before);
    accepted(
        &s,
        wid,
        json!({"type":"dateCalculation","config":{"inputType":"number","input":1,"steps":[]}}),
    );
}

// ---------------------------------------------------------------- through the workflow API

/// Point 4: the new types are edited with `flow_nodes:update` and run by `workflows:execute` too.
#[test]
fn new_node_types_are_updated_and_executed_like_the_others() {
    let s = Server::start();
    fixture(&s);
    let wid = scratch(&s, "api_nodes");
    let ids = chain(
        &s,
        wid,
        &[
            agg("a", "sum", "amount", json!({})),
            sql(
                "q",
                json!({"sql":"SELECT :n AS n","variables":[{"name":"n","value":"{{$jobsMapByNodeKey.a}}"}]}),
            ),
            jq("j", None, "[0].n"),
        ],
    );
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/flow_nodes:update/{}", ids[2]),
        json!({"config":{"source":"{{$jobsMapByNodeKey.q}}","expression":"[0].n"}}),
    );
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={wid}"),
        json!({"data":{},"userId":1}),
    );
    assert_eq!(
        (st, &v["data"]["execution"]["status"]),
        (200, &json!(1)),
        "{v}"
    );
    let e = execution(&s, v["data"]["execution"]["id"].as_i64().unwrap_or(0));
    assert_eq!(
        results(&e, &["a", "q", "j"]),
        [json!(17), json!([{"n":17}]), json!(17)]
    );
}

// ---------------------------------------------------------------- stats (§12)

/// `(stats.executed, versionStats.executed)` of workflow `wid`.
fn stats(s: &Server, wid: i64) -> (Value, Value) {
    let w = s.ok(
        "GET",
        &format!("/api/workflows:get/{wid}?appends[]=stats&appends[]=versionStats"),
        None,
    );
    (
        w["stats"]["executed"].clone(),
        w["versionStats"]["executed"].clone(),
    )
}

/// Cases 72–76.
#[test]
fn stats_count_every_run_per_key_and_per_version() {
    let s = Server::start();
    // 72
    let wid = global(&s, "st", true);
    assert_eq!(stats(&s, wid), (json!(0), json!(0)));
    // 73: two resolved runs, two failed ones
    chain(&s, wid, &[calc("c", "{{$context.data.n}} + 1")]);
    for n in [1, 2] {
        let (st, _) = run_with(&s, "st", json!({ "n": n }));
        assert_eq!(st, 200);
    }
    let w2 = global(&s, "st2", true);
    chain(&s, w2, &[calc("c", wf::FAILS_AT_RUN)]);
    for _ in 0..2 {
        let (st, _) = run_with(&s, "st2", json!({}));
        assert_eq!(st, 500);
    }
    assert_eq!(stats(&s, w2), (json!(2), json!(2)));
    // 74: a revision shares the key's stats, with its own versionStats
    assert_eq!(stats(&s, wid), (json!(2), json!(2)));
    let rev = s.ok(
        "POST",
        &format!("/api/workflows:revision/{wid}?filter=%7B%22key%22:%22st%22%7D"),
        Some(json!({})),
    )["id"]
        .as_i64()
        .expect("revision id");
    assert_eq!(stats(&s, rev), (json!(2), json!(0)));
    s.ok(
        "POST",
        &format!("/api/workflows:update/{rev}"),
        Some(json!({"enabled":true})),
    );
    let _ = run_with(&s, "st", json!({"n":1}));
    assert_eq!(stats(&s, rev), (json!(3), json!(1)));
    assert_eq!(stats(&s, wid), (json!(3), json!(2)));
    // 75: executing a disabled workflow counts
    let off = create(
        &s,
        json!({"title":"off","type":"custom-action","key":"st_off","config":{"type":0}}),
    )["id"]
        .as_i64()
        .expect("id");
    chain(&s, off, &[calc("c", "1")]);
    let (st, v) = s.post(
        &s.root(),
        &format!("/api/workflows:execute?filterByTk={off}"),
        json!({"userId":1}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(stats(&s, off), (json!(1), json!(1)));
    // 76: listed by key with both appends
    let v = s.ok(
        "GET",
        "/api/workflows:list?filter=%7B%22key%22:%22st_off%22%7D&appends[]=stats&appends[]=versionStats",
        None,
    );
    let listed: Vec<(Value, Value)> = v
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["stats"]["executed"].clone(),
                w["versionStats"]["executed"].clone(),
            )
        })
        .collect();
    assert_eq!(listed, vec![(json!(1), json!(1))]);
}
