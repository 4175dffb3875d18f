//! `GET /api/openapi.json` (issue 16 point 6): the instance's OpenAPI 3.1 document, validated against the
//! official 3.1 schema (`tests/fixtures/openapi-3.1-schema.json`, id `…/oas/3.1/schema/2022-10-07`),
//! following collections and workflows at once, limited to what the caller's role may call, and usable to
//! build a real call.

mod common;
#[path = "common/wf.rs"]
mod wf;

use std::collections::HashSet;

use common::*;

const OAS_SCHEMA: &str = include_str!("fixtures/openapi-3.1-schema.json");

fn describe(s: &Server, token: &str) -> Value {
    let (status, doc) = s.get(token, "/api/openapi.json");
    assert_eq!(status, 200, "openapi.json → {status} {doc}");
    doc
}

/// The document is an OpenAPI 3.1 document by the official schema; every error is printed.
fn assert_valid(doc: &Value) {
    let schema: Value = serde_json::from_str(OAS_SCHEMA).expect("vendored schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the 3.1 schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not a valid OpenAPI 3.1 document:\n{}",
        errors.join("\n")
    );
}

/// Every `$ref` in the document points at something inside it.
fn assert_refs_resolve(doc: &Value) {
    fn walk(doc: &Value, v: &Value, seen: &mut usize) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    let pointer = r
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("external $ref {r}"));
                    assert!(
                        doc.pointer(pointer).is_some(),
                        "$ref {r} resolves to nothing"
                    );
                    *seen += 1;
                }
                m.values().for_each(|x| walk(doc, x, seen));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(doc, x, seen)),
            _ => {}
        }
    }
    let mut seen = 0;
    walk(doc, doc, &mut seen);
    assert!(seen > 10, "the document uses its components ({seen} refs)");
}

/// Each component schema is a JSON Schema 2020-12 the validator accepts (the 3.1 schema checks the
/// document's shape, not the schemas inside it).
fn assert_schemas_compile(doc: &Value) {
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        let schema = json!({
            "$ref": format!("#/components/schemas/{name}"),
            "components": doc["components"].clone(),
        });
        if let Err(e) = jsonschema::validator_for(&schema) {
            panic!("component schema {name} is no valid JSON Schema: {e}");
        }
    }
}

/// operationId → (path, method, operation), asserting the ids are unique.
fn operations(doc: &Value) -> Vec<(String, String, String, Value)> {
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().expect("operationId").to_string();
            assert!(ids.insert(id.clone()), "operationId {id} is used twice");
            out.push((id, path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

fn op(doc: &Value, id: &str) -> Option<(String, String, Value)> {
    operations(doc)
        .into_iter()
        .find(|(i, ..)| i == id)
        .map(|(_, p, m, o)| (p, m, o))
}

fn ids(doc: &Value) -> HashSet<String> {
    operations(doc).into_iter().map(|(i, ..)| i).collect()
}

/// Whether operation `op` lists error `code` among its answers with `status`.
fn answers(op: &Value, status: &str, code: &str) -> bool {
    let listed = &op["responses"][status]["content"]["application/json"]["schema"]["properties"]
        ["errors"]["items"]["properties"]["code"]["enum"];
    listed.as_array().is_some_and(|a| a.contains(&json!(code)))
}

/// A `$ref` followed inside the document.
fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => doc.pointer(&r[1..]).expect("ref resolves"),
        None => v,
    }
}

/// A real answer fits the schema its operation gives for its status (the schema taken as a schema of its
/// own, the document's components beside it).
fn assert_fits(doc: &Value, op: &Value, status: u16, answer: &Value) {
    let mut schema =
        op["responses"][status.to_string()]["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "{} has no answer {status}",
        op["operationId"]
    );
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema).expect("answer schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(answer)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{}'s {status} answer breaks its schema: {errors:?} in {answer}",
        op["operationId"]
    );
}

/// An operation's request body schema.
fn body_schema(op: &Value) -> &Value {
    &op["requestBody"]["content"]["application/json"]["schema"]
}

fn orders(s: &Server) {
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "orders", "fields": [
            {"name": "title", "type": "string", "allowNull": false},
            {"name": "qty", "type": "integer"},
            {"name": "code", "type": "string", "unique": true},
        ]})),
    );
}

/// A custom-action workflow on `orders` (type 1); returns its id.
fn on_orders(s: &Server, key: &str, sync: bool, enabled: bool) -> i64 {
    wf::create(
        s,
        json!({"title": key, "key": key, "type": "custom-action", "sync": sync, "enabled": enabled,
               "config": {"type": 1, "collection": "orders"}}),
    )["id"]
        .as_i64()
        .expect("workflow id")
}

#[test]
fn the_vendored_schema_refuses_a_broken_document() {
    // The check above can fail: the same document without `info`, or with a path not under `/`, is
    // refused.
    let s = Server::start();
    let doc = describe(&s, &s.root());
    assert_valid(&doc);
    let schema: Value = serde_json::from_str(OAS_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut no_info = doc.clone();
    no_info.as_object_mut().unwrap().remove("info");
    assert!(!validator.is_valid(&no_info));
    let mut bad_path = doc.clone();
    bad_path["paths"]["api/auth:check"] = doc["paths"]["/api/auth:check"].clone();
    assert!(!validator.is_valid(&bad_path));
    let mut bad_ref = describe(&s, &s.root());
    bad_ref["components"]["schemas"]["Broken"] = json!({ "type": 12 });
    let schema =
        json!({ "$ref": "#/components/schemas/Broken", "components": bad_ref["components"] });
    assert!(
        jsonschema::validator_for(&schema).is_err(),
        "a bad schema compiles"
    );
}

#[test]
fn the_document_is_valid_openapi_and_follows_collections_and_workflows_at_once() {
    let s = Server::start();
    let root = s.root();
    let before = describe(&s, &root);
    assert_valid(&before);
    assert_refs_resolve(&before);
    assert_eq!(before["openapi"], "3.1.0");
    assert_eq!(before["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(before["servers"][0]["url"], s.base.as_str());
    assert_eq!(
        before["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let sign_in = op(&before, "auth_signIn").expect("auth:signIn is described");
    assert_eq!(sign_in.0, "/api/auth:signIn");
    assert_eq!(sign_in.2["security"], json!([]));
    for id in [
        "users_list",
        "workflows_create",
        "executions_get",
        "collections_fields_create",
    ] {
        assert!(
            op(&before, id).is_some(),
            "{id} missing from the built-in routes"
        );
    }
    assert!(op(&before, "orders_list").is_none());
    let (_, _, create_wf) = op(&before, "workflows_create").unwrap();
    assert!(
        answers(&create_wf, "400", "KEY_EXISTS"),
        "an action's own codes are listed"
    );
    let (_, _, cancel) = op(&before, "executions_cancel").unwrap();
    assert!(answers(&cancel, "409", "EXECUTION_BUSY"));

    orders(&s);
    on_orders(&s, "order_created", true, true);
    on_orders(&s, "order_off", true, false);
    wf::global(&s, "g_async", false);
    let doc = describe(&s, &root);
    assert_valid(&doc);
    assert_refs_resolve(&doc);
    assert_schemas_compile(&doc);

    // The collection's records actions, with its fields as schemas.
    for action in ["list", "get", "create", "update", "destroy"] {
        let (path, method, _) = op(&doc, &format!("orders_{action}")).expect(action);
        assert_eq!(path, format!("/api/orders:{action}"));
        let read = matches!(action, "list" | "get");
        assert_eq!(method, if read { "get" } else { "post" }, "{action}");
    }
    let record = &doc["components"]["schemas"]["orders"]["properties"];
    assert_eq!(record["qty"]["type"], json!(["integer", "null"]));
    assert_eq!(record["id"]["type"], "integer");
    assert_eq!(record["category"], Value::Null);
    assert_eq!(record["title"]["type"], "string");
    assert_eq!(record["code"]["x-flowgate-unique"], true);
    assert_eq!(record["createdAt"]["format"], "date-time");
    let (_, _, create) = op(&doc, "orders_create").unwrap();
    let create_body = body_schema(&create);
    assert_eq!(create_body["required"], json!(["title"]));
    let (_, _, list) = op(&doc, "orders_list").unwrap();
    let params: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["$ref"].as_str())
        .collect();
    for p in [
        "filter", "appends", "fields", "except", "sort", "page", "pageSize", "paginate",
    ] {
        assert!(
            params.contains(&format!("#/components/parameters/{p}").as_str()),
            "{p}"
        );
    }
    let statuses: Vec<&String> = list["responses"].as_object().unwrap().keys().collect();
    for st in ["200", "400", "401", "403", "404"] {
        assert!(
            statuses.iter().any(|k| *k == st),
            "list answers {st}: {statuses:?}"
        );
    }
    assert!(answers(&list, "401", "INVALID_TOKEN"));

    // The enabled workflow's trigger, its body the collection's fields; the disabled one absent.
    let (path, method, trigger) = op(&doc, "trigger_order_created").expect("trigger op");
    assert_eq!(
        path,
        "/api/orders:trigger/{filterByTk}?triggerWorkflows=order_created"
    );
    assert_eq!(method, "post");
    assert_eq!(trigger["x-flowgate-sync"], true);
    // A trigger can run dry (README "Dry runs"): both parameters are described.
    let refs: Vec<&str> = trigger["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["$ref"].as_str())
        .collect();
    for name in ["dryRun", "dryRunStubs"] {
        let r = format!("#/components/parameters/{name}");
        assert!(refs.contains(&r.as_str()), "{name} in {refs:?}");
        assert_eq!(doc["components"]["parameters"][name]["name"], json!(name));
    }
    assert!(trigger["description"]
        .as_str()
        .unwrap()
        .starts_with("Runs workflow \"order_created\""));
    let body = deref(&doc, body_schema(&trigger));
    let fields: HashSet<&str> = body["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        fields.is_superset(&HashSet::from(["title", "qty", "code"])),
        "{fields:?}"
    );
    for (status, code) in [
        ("500", "WORKFLOW_FAILED"),
        ("500", "WORKFLOW_HANGS"),
        ("400", "WORKFLOW_INTERCEPTED"),
    ] {
        assert!(
            answers(&trigger, status, code),
            "sync trigger answers {code}"
        );
    }
    assert!(op(&doc, "trigger_order_created_new").is_some());
    assert!(
        !ids(&doc).iter().any(|i| i.contains("order_off")),
        "a disabled workflow is described"
    );
    let (path, _, global) = op(&doc, "trigger_g_async").expect("global trigger op");
    assert_eq!(path, "/api/workflows:trigger?triggerWorkflows=g_async");
    assert_eq!(global["x-flowgate-sync"], false);
    assert!(answers(&global, "500", "INTERNAL_ERROR"));
    assert!(
        !answers(&global, "500", "WORKFLOW_FAILED"),
        "an async trigger never fails in the request"
    );

    // Disabling the workflow and dropping the collection take them out of the next document.
    s.ok(
        "POST",
        "/api/workflows:update?filterByTk=1",
        Some(json!({"enabled": false})),
    );
    let after = describe(&s, &root);
    assert!(op(&after, "trigger_order_created").is_none());
    assert!(op(&after, "orders_list").is_some());
    s.ok(
        "POST",
        "/api/collections:destroy?filterByTk=orders",
        Some(json!({})),
    );
    let gone = describe(&s, &root);
    assert!(op(&gone, "orders_list").is_none());
    assert!(gone["components"]["schemas"].get("orders").is_none());
    assert_valid(&gone);
}

#[test]
fn a_caller_sees_what_their_role_may_call_and_anonymous_gets_401() {
    let s = Server::start();
    orders(&s);
    on_orders(&s, "order_created", true, true);
    wf::global(&s, "g_sync", true);

    assert_err(
        s.req("GET", "/api/openapi.json").send(),
        401,
        "EMPTY_TOKEN",
        "Unauthenticated. Please sign in to continue.",
    );
    let (status, body) = s.get("not-a-token", "/api/openapi.json");
    assert_eq!((status, code(&body)), (401, "INVALID_TOKEN"), "{body}");
    let root = s.root();
    let (status, body) = s
        .req("GET", "/api/openapi.json")
        .bearer(&root)
        .header("X-Role", "nope")
        .send();
    assert_eq!(
        (status, code(&body)),
        (401, "ROLE_NOT_FOUND_FOR_USER"),
        "{body}"
    );
    let (status, body) = s
        .req("GET", &format!("/api/openapi.json?token={root}"))
        .send();
    assert_eq!(
        status, 200,
        "the token parameter signs in as the header does: {body}"
    );
    let (status, body) = s.req("GET", "/api/openapi.json?token=nope").send();
    assert_eq!((status, code(&body)), (401, "INVALID_TOKEN"), "{body}");
    let (status, body) = s.post(&root, "/api/openapi.json", json!({}));
    assert_eq!((status, code(&body)), (405, "METHOD_NOT_ALLOWED"), "{body}");

    // A member (`view:own`, no `pm.*`): the records reads, the global trigger, nothing else of theirs.
    let member = s.user("m1", &["member"]);
    sees(
        &describe(&s, &member),
        "member",
        &[
            "orders_list",
            "orders_get",
            "trigger_g_sync",
            "auth_check",
            "auth_signIn",
        ],
        &[
            "orders_create",
            "orders_destroy",
            "users_list",
            "workflows_create",
            "trigger_order_created",
            "trigger_order_created_new",
        ],
    );
    let admin = s.user("a1", &["admin"]);
    sees(
        &describe(&s, &admin),
        "admin",
        &[
            "orders_create",
            "users_list",
            "trigger_order_created",
            "trigger_order_created_new",
        ],
        &["app_backup"],
    );
    assert!(ids(&describe(&s, &root)).contains("app_backup"));
}

/// `who`'s document holds the operations `yes` and none of `no`.
fn sees(doc: &Value, who: &str, yes: &[&str], no: &[&str]) {
    let seen = ids(doc);
    for id in yes {
        assert!(seen.contains(*id), "{who} misses {id}");
    }
    for id in no {
        assert!(!seen.contains(*id), "{who} sees {id}");
    }
}

/// A value for a property of the given schema, as a generated client would send it.
fn sample(schema: &Value, n: i64) -> Option<Value> {
    let ty = match &schema["type"] {
        Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
        t => t.clone(),
    };
    match (ty.as_str(), schema["format"].as_str()) {
        (Some("string"), None) => Some(json!(format!("generated {n}"))),
        (Some("integer"), None) => Some(json!(n)),
        _ => None,
    }
}

/// The body a client generated from the document sends: a value for each plain field of `schema`.
fn generated_body(doc: &Value, schema: &Value) -> Value {
    let schema = deref(doc, schema);
    let target = schema["allOf"]
        .get(0)
        .map(|s| deref(doc, s))
        .unwrap_or(schema);
    let mut body = serde_json::Map::new();
    for (i, (name, prop)) in target["properties"].as_object().unwrap().iter().enumerate() {
        if let Some(v) = sample(prop, 40 + i as i64) {
            body.insert(name.clone(), v);
        }
    }
    Value::Object(body)
}

#[test]
fn a_call_generated_from_the_document_works_against_the_server() {
    let s = Server::start();
    orders(&s);
    let wid = on_orders(&s, "order_created", true, true);
    wf::chain(
        &s,
        wid,
        &[wf::n(
            "response-message",
            "say",
            json!({"message": "got {{$context.data.title}}"}),
        )],
    );
    let root = s.root();
    let doc = describe(&s, &root);
    let server = doc["servers"][0]["url"].as_str().unwrap().to_string();
    let call = |path: &str, body: &Value| {
        let url = format!("{server}{path}");
        let r = ureq::post(&url)
            .set("Authorization", &format!("Bearer {root}"))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string());
        let r = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("POST {url}: {e}"),
        };
        (
            r.status(),
            serde_json::from_str::<Value>(&r.into_string().unwrap()).unwrap(),
        )
    };

    // orders:create from its operation: path, body schema, answer schema.
    let (path, _, create) = op(&doc, "orders_create").unwrap();
    let body = generated_body(&doc, body_schema(&create));
    assert_eq!(body["title"], "generated 40", "{body}");
    let (status, created) = call(&path, &body);
    assert_eq!(status, 200, "{created}");
    assert_fits(&doc, &create, status, &created);
    let id = created["data"]["id"].as_i64().unwrap();

    // The trigger from its operation: the record key in the path template, the body from its schema.
    let (path, _, trigger) = op(&doc, "trigger_order_created").unwrap();
    let path = path.replace("{filterByTk}", &id.to_string());
    let mut body = generated_body(&doc, body_schema(&trigger));
    body["title"] = json!("from the document");
    let (status, answer) = call(&path, &body);
    assert_eq!(status, 200, "{answer}");
    assert_fits(&doc, &trigger, status, &answer);
    assert_eq!(answer["messages"][0]["message"], "got from the document");
    let execution = wf::execution(&s, wf::execution_id(&answer));
    assert_eq!(execution["context"]["data"]["id"], id);
    assert_eq!(execution["context"]["data"]["qty"], body["qty"]);

    // A bad input the document lists answers as described: the unknown record is a 404 it names.
    let (path, _, _) = op(&doc, "trigger_order_created").unwrap();
    let (status, answer) = call(&path.replace("{filterByTk}", "999"), &json!({}));
    assert_eq!(
        (status, code(&answer)),
        (404, "RECORD_NOT_FOUND"),
        "{answer}"
    );
    assert!(answers(&trigger, "404", "RECORD_NOT_FOUND"));
    assert_fits(&doc, &trigger, status, &answer);
}

#[test]
fn servers_is_the_host_the_call_came_to_or_relative_for_a_host_that_is_no_address() {
    let s = Server::start();
    let root = s.root();
    let via = |host: &str| {
        let req = format!(
            "GET /api/openapi.json HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {root}\r\nConnection: close\r\n\r\n"
        );
        let (status, _, body) = tcp_exchange(&mut s.tcp(), req.as_bytes());
        assert_eq!(status, 200, "{body}");
        let doc: Value = serde_json::from_str(&body).expect("a JSON document");
        doc["servers"][0]["url"].as_str().unwrap().to_string()
    };
    assert_eq!(
        via("flowgate.internal:8080"),
        "http://flowgate.internal:8080"
    );
    assert_eq!(via("[::1]:13000"), "http://[::1]:13000");
    assert_eq!(via("evil.example/\"><script>"), "/");
    assert_eq!(via("a@b"), "/");
}

#[test]
fn field_types_map_to_json_schema_types_and_associations_to_their_targets() {
    let s = Server::start();
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "kinds", "fields": [
            {"name": "s", "type": "string"}, {"name": "t", "type": "text"},
            {"name": "i", "type": "integer"}, {"name": "b", "type": "bigInt"},
            {"name": "f", "type": "float"}, {"name": "d", "type": "double"},
            {"name": "ok", "type": "boolean"}, {"name": "day", "type": "date"},
            {"name": "at", "type": "datetime"}, {"name": "j", "type": "json"},
            {"name": "n", "type": "integer", "allowNull": false, "defaultValue": 3},
        ]})),
    );
    s.ok(
        "POST",
        "/api/collections:create",
        Some(json!({"name": "lines", "fields": [
            {"name": "kind", "type": "belongsTo", "target": "kinds"},
        ]})),
    );
    s.ok(
        "POST",
        "/api/collections/kinds/fields:create",
        Some(json!({"name": "lines", "type": "hasMany", "target": "lines"})),
    );
    let doc = describe(&s, &s.root());
    assert_valid(&doc);
    assert_refs_resolve(&doc);
    assert_schemas_compile(&doc);
    let props = &doc["components"]["schemas"]["kinds"]["properties"];
    let ty = |name: &str| (props[name]["type"].clone(), props[name]["format"].clone());
    assert_eq!(ty("s"), (json!(["string", "null"]), Value::Null));
    assert_eq!(ty("t"), (json!(["string", "null"]), Value::Null));
    assert_eq!(ty("i"), (json!(["integer", "null"]), Value::Null));
    assert_eq!(ty("b"), (json!(["integer", "null"]), json!("int64")));
    assert_eq!(ty("f"), (json!(["number", "null"]), Value::Null));
    assert_eq!(ty("d"), (json!(["number", "null"]), Value::Null));
    assert_eq!(ty("ok"), (json!(["boolean", "null"]), Value::Null));
    assert_eq!(ty("day"), (json!(["string", "null"]), json!("date")));
    assert_eq!(ty("at"), (json!(["string", "null"]), json!("date-time")));
    assert_eq!(ty("j"), (Value::Null, Value::Null), "json takes any value");
    assert_eq!(props["n"]["type"], "integer");
    assert_eq!(props["n"]["default"], 3);
    assert_eq!(
        props["lines"]["items"]["$ref"], "#/components/schemas/lines",
        "hasMany: an array of the target's records"
    );
    let line = &doc["components"]["schemas"]["lines"]["properties"]["kind"];
    assert_eq!(line["anyOf"][0]["$ref"], "#/components/schemas/kinds");
    // A default makes a not-null field optional on create.
    let (_, _, create) = op(&doc, "kinds_create").unwrap();
    assert_eq!(body_schema(&create)["required"], json!([]));
    let values = &doc["components"]["schemas"]["kinds_values"]["properties"];
    assert!(
        values.get("id").is_none() && values.get("createdAt").is_none(),
        "system fields are the server's"
    );
    assert_eq!(values["lines"]["type"], "array");

    // The association routes, under their source record: to-many with the five actions, to-one with
    // get and update, the built-in users as any object.
    let (path, method, list) = op(&doc, "kinds_lines_list").expect("to-many list");
    assert_eq!(
        (path.as_str(), method.as_str()),
        ("/api/kinds/{sourceId}/lines:list", "get")
    );
    assert!(
        answers(&list, "404", "RECORD_NOT_FOUND"),
        "the source may be missing"
    );
    for id in [
        "kinds_lines_create",
        "kinds_lines_destroy",
        "lines_kind_get",
        "lines_kind_update",
        "kinds_createdBy_get",
    ] {
        assert!(op(&doc, id).is_some(), "{id} missing");
    }
    for id in [
        "lines_kind_create",
        "lines_kind_list",
        "kinds_createdBy_update",
    ] {
        assert!(op(&doc, id).is_none(), "{id} is no route");
    }
    let kind = s.ok("POST", "/api/kinds:create", Some(json!({"s": "k"})));
    let kind_id = kind["id"].as_i64().unwrap();
    s.ok("POST", "/api/lines:create", Some(json!({"kind": kind_id})));
    let path = path.replace("{sourceId}", &kind_id.to_string());
    let (status, answer) = s.get(&s.root(), &path);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(1), "{answer}");
    assert_fits(&doc, &list, status, &answer);
    let (status, answer) = s.get(&s.root(), "/api/kinds/999/lines:list");
    assert_eq!(
        (status, code(&answer)),
        (404, "RECORD_NOT_FOUND"),
        "{answer}"
    );
    assert_fits(&doc, &list, status, &answer);
}
