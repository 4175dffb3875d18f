//! Records over the real server (collections.md §6–§9, acceptance cases 6–14): values and their types,
//! association values and resources, appends/fields/except/sort/pages, every filter operator, the own
//! scope, and hostile names and values.

mod common;
use common::*;

fn create_collection(s: &Server, body: Value) {
    s.ok("POST", "/api/collections:create", Some(body));
}

fn samples(s: &Server) {
    create_collection(
        s,
        json!({"name":"samples","fields":[{"name":"title","type":"string"},{"name":"indicator","type":"integer"}]}),
    );
}

/// categories, posts {title, indicator, category, comments, tags, detail}, comments {content, post},
/// tags {name unique}, details {summary}.
fn blog(s: &Server) {
    create_collection(
        s,
        json!({"name":"categories","fields":[{"name":"title","type":"string"}]}),
    );
    create_collection(
        s,
        json!({"name":"comments","fields":[{"name":"content","type":"text"}]}),
    );
    create_collection(
        s,
        json!({"name":"tags","fields":[{"name":"name","type":"string","unique":true}]}),
    );
    create_collection(
        s,
        json!({"name":"details","fields":[{"name":"summary","type":"string"}]}),
    );
    create_collection(
        s,
        json!({"name":"posts","fields":[{"name":"title","type":"string"},{"name":"indicator","type":"integer"},
            {"name":"category","type":"belongsTo"},{"name":"comments","type":"hasMany"},
            {"name":"tags","type":"belongsToMany"},{"name":"detail","type":"hasOne","target":"details"}]}),
    );
    s.ok(
        "POST",
        "/api/collections/comments/fields:create",
        Some(json!({"name":"post","type":"belongsTo"})),
    );
    // Inverses that reuse the keys made above.
    s.ok(
        "POST",
        "/api/collections/categories/fields:create",
        Some(json!({"name":"posts","type":"hasMany","foreignKey":"categoryId"})),
    );
    s.ok(
        "POST",
        "/api/collections/tags/fields:create",
        Some(json!({"name":"posts","type":"belongsToMany"})),
    );
}

/// The ids of a list's `data`.
fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

fn list_ids(s: &Server, path: &str) -> Vec<i64> {
    let (st, v) = s.get(&s.root(), path);
    assert_eq!(st, 200, "{path} → {v}");
    ids(&v["data"])
}

fn filtered(s: &Server, coll: &str, filter: &Value) -> Vec<i64> {
    list_ids(
        s,
        &format!(
            "/api/{coll}:list?paginate=false&filter={}",
            enc(&filter.to_string())
        ),
    )
}

fn filter_code(s: &Server, coll: &str, filter: &str) -> (u16, String) {
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/{coll}:list?filter={}", enc(filter)),
    );
    (st, code(&v).to_string())
}

#[test]
fn acceptance_6_value_types_and_failures_store_nothing() {
    let s = Server::start();
    samples(&s);
    let r = s.ok(
        "POST",
        "/api/samples:create",
        Some(json!({"title":"a","indicator":"12"})),
    );
    assert_eq!(r["indicator"], 12);
    assert_eq!(r["title"], "a");
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec![
            "id",
            "title",
            "indicator",
            "createdAt",
            "updatedAt",
            "createdById",
            "updatedById"
        ]
    );
    for (body, want, msg) in [
        (
            json!({"indicator":1.5}),
            "INVALID_VALUE",
            "Field \"indicator\" expects integer",
        ),
        (
            json!({"indicator":"x"}),
            "INVALID_VALUE",
            "Field \"indicator\" expects integer",
        ),
        (
            json!({"indicator":3000000000i64}),
            "INVALID_VALUE",
            "Field \"indicator\" expects integer",
        ),
        (
            json!({"title":{"a":1}}),
            "INVALID_VALUE",
            "Field \"title\" expects string",
        ),
        (
            json!({"colour":"red"}),
            "UNKNOWN_FIELD",
            "Field \"colour\" does not exist in collection \"samples\"",
        ),
        (
            json!({"title":"ok","colour":"red"}),
            "UNKNOWN_FIELD",
            "Field \"colour\" does not exist in collection \"samples\"",
        ),
    ] {
        let (st, v) = s.post(&s.root(), "/api/samples:create", body.clone());
        assert_eq!((st, code(&v), message(&v)), (400, want, msg), "{body}");
    }
    let r = s
        .req("POST", "/api/samples:create")
        .bearer(&s.root())
        .raw(b"[1]");
    assert_eq!((r.status, code(&r.body)), (400, "INVALID_BODY"));
    assert_eq!(s.rows("samples"), 1);
    // Numbers and booleans become text in a string field.
    assert_eq!(
        s.ok("POST", "/api/samples:create", Some(json!({"title":5})))["title"],
        "5"
    );
    assert_eq!(
        s.ok("POST", "/api/samples:create", Some(json!({"title":true})))["title"],
        "true"
    );
}

#[test]
fn every_type_reads_back_in_its_json_shape() {
    let s = Server::start();
    create_collection(
        &s,
        json!({"name":"items","fields":[{"name":"s","type":"string"},{"name":"t","type":"text"},{"name":"i","type":"integer"},
            {"name":"b","type":"bigInt"},{"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"flag","type":"boolean"},
            {"name":"day","type":"date"},{"name":"at","type":"datetime"},{"name":"meta","type":"json"}]}),
    );
    let r = s.ok(
        "POST",
        "/api/items:create",
        Some(json!({"s":"x","t":"long","i":"-7","b":"9007199254740993","f":"1.25","d":2,"flag":"true","day":"2025-03-01",
            "at":"2025-03-01T10:30:00+02:00","meta":{"a":[1,null,"x"]}})),
    );
    assert_eq!(r["i"], -7);
    assert_eq!(r["b"], 9007199254740993i64);
    assert_eq!(r["f"], 1.25);
    assert_eq!(r["d"].as_f64(), Some(2.0));
    assert_eq!(r["flag"], true);
    assert_eq!(r["day"], "2025-03-01");
    assert_eq!(r["at"], "2025-03-01T08:30:00.000Z");
    assert_eq!(r["meta"], json!({"a":[1,null,"x"]}));
    let r = s.ok(
        "POST",
        "/api/items:create",
        Some(json!({"flag":0,"at":"2025-03-02","meta":"plain"})),
    );
    assert_eq!(
        (r["flag"].as_bool(), r["at"].as_str(), r["meta"].as_str()),
        (Some(false), Some("2025-03-02T00:00:00.000Z"), Some("plain"))
    );
    for (body, field) in [
        (json!({"flag":"yes"}), "flag"),
        (json!({"day":"01/03/2025"}), "day"),
        (json!({"day":"2025-02-30"}), "day"),
        (json!({"at":"soon"}), "at"),
        (json!({"f":"1,5"}), "f"),
        (json!({"b":1.5}), "b"),
    ] {
        let (st, v) = s.post(&s.root(), "/api/items:create", body.clone());
        assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{body}");
        assert!(
            message(&v).starts_with(&format!("Field \"{field}\" expects")),
            "{}",
            message(&v)
        );
    }
    assert_eq!(s.rows("items"), 2);
}

#[test]
fn acceptance_7_belongs_to_values() {
    let s = Server::start();
    blog(&s);
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"Tech"})),
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title":"p","category":1}))
        )["categoryId"],
        1
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title":"q","category":{"id":"2","title":"ignored"}}))
        )["categoryId"],
        2
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title":"r","categoryId":2}))
        )["categoryId"],
        2
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title":"n","category":null}))
        )["categoryId"],
        Value::Null
    );
    let before = s.rows("posts");
    for (body, want, msg) in [
        (
            json!({"title":"x","category":999}),
            "CONSTRAINT_VIOLATION",
            "category references a missing record",
        ),
        (
            json!({"title":"x","categoryId":999}),
            "CONSTRAINT_VIOLATION",
            "categoryId references a missing record",
        ),
        (
            json!({"title":"x","category":{"title":"new"}}),
            "INVALID_VALUE",
            "",
        ),
        (json!({"title":"x","category":[1]}), "INVALID_VALUE", ""),
        (json!({"title":"x","category":-1}), "INVALID_VALUE", ""),
    ] {
        let (st, v) = s.post(&s.root(), "/api/posts:create", body.clone());
        assert_eq!((st, code(&v)), (400, want), "{body} {v}");
        if !msg.is_empty() {
            assert_eq!(message(&v), msg);
        }
    }
    assert_eq!(s.rows("posts"), before);
    s.ok("POST", "/api/posts:update/1", Some(json!({"category":2})));
    assert_eq!(s.ok("GET", "/api/posts:get/1", None)["categoryId"], 2);
}

#[test]
fn to_many_and_has_one_values() {
    let s = Server::start();
    blog(&s);
    for c in ["c1", "c2", "c3"] {
        s.ok("POST", "/api/comments:create", Some(json!({"content": c})));
    }
    for t in ["t1", "t2", "t3"] {
        s.ok("POST", "/api/tags:create", Some(json!({"name": t})));
    }
    s.ok("POST", "/api/details:create", Some(json!({"summary":"d1"})));
    s.ok("POST", "/api/details:create", Some(json!({"summary":"d2"})));
    let p = s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p","comments":[3,{"id":1}],"tags":["2",{"id":1}],"detail":1})),
    );
    let id = p["id"].as_i64().unwrap();
    let got = s.ok(
        "GET",
        &format!("/api/posts:get/{id}?appends=comments,tags,detail"),
        None,
    );
    assert_eq!(ids(&got["comments"]), vec![1, 3], "ordered by target id");
    assert_eq!(ids(&got["tags"]), vec![1, 2]);
    assert_eq!(got["detail"]["summary"], "d1");
    // Replace: hasMany clears rows no longer listed, belongsToMany replaces links, hasOne moves.
    let up = s.ok(
        "POST",
        &format!("/api/posts:update/{id}?appends=comments,tags,detail"),
        Some(json!({"comments":[2],"tags":[3],"detail":{"id":2}})),
    );
    assert_eq!(ids(&up[0]["comments"]), vec![2]);
    assert_eq!(ids(&up[0]["tags"]), vec![3]);
    assert_eq!(up[0]["detail"]["summary"], "d2");
    assert_eq!(
        s.ok("GET", "/api/comments:get/1", None)["postId"],
        Value::Null
    );
    assert_eq!(
        s.ok("GET", "/api/details:get/1", None)["postId"],
        Value::Null
    );
    assert_eq!(s.rows("postsTags"), 1);
    // A failing association value stores nothing, not even the scalar part.
    let before = (s.rows("posts"), s.rows("postsTags"));
    for body in [
        json!({"title":"x","tags":[1,999]}),
        json!({"title":"x","comments":[999]}),
        json!({"title":"x","detail":999}),
        json!({"title":"x","tags":[{"name":"new"}]}),
        json!({"title":"x","tags":"1"}),
        json!({"title":"x","comments":[null]}),
    ] {
        let (st, v) = s.post(&s.root(), "/api/posts:create", body.clone());
        assert!(
            st == 400 && ["CONSTRAINT_VIOLATION", "INVALID_VALUE"].contains(&code(&v)),
            "{body} {st} {v}"
        );
    }
    let (_, v) = s.post(
        &s.root(),
        &format!("/api/posts:update/{id}"),
        json!({"title":"changed","tags":[1,999]}),
    );
    assert_eq!(
        (code(&v), message(&v)),
        ("CONSTRAINT_VIOLATION", "tags references a missing record")
    );
    assert_eq!((s.rows("posts"), s.rows("postsTags")), before);
    assert_eq!(
        s.ok("GET", &format!("/api/posts:get/{id}"), None)["title"],
        "p"
    );
    // Empty arrays clear.
    let up = s.ok(
        "POST",
        &format!("/api/posts:update/{id}?appends=comments,tags"),
        Some(json!({"comments":[],"tags":[],"detail":null})),
    );
    assert_eq!(
        (up[0]["comments"].clone(), up[0]["tags"].clone()),
        (json!([]), json!([]))
    );
}

#[test]
fn system_fields_in_values_are_ignored() {
    let s = Server::start();
    samples(&s);
    let r = s.ok("POST", "/api/samples:create", Some(json!({"title":"a"})));
    let mut again = r.clone();
    again["title"] = json!("b");
    again["createdAt"] = json!("2000-01-01T00:00:00.000Z");
    again["createdById"] = json!(99);
    again["createdBy"] = json!({"id": 99});
    let r2 = s.ok("POST", "/api/samples:create", Some(again));
    assert_eq!(r2["id"], 2);
    assert_eq!(r2["createdById"], 1);
    assert_ne!(r2["createdAt"], "2000-01-01T00:00:00.000Z");
    let up = s.ok(
        "POST",
        "/api/samples:update/1",
        Some(json!({"id":5,"title":"c","updatedAt":"x"})),
    );
    assert_eq!(
        (up[0]["id"].as_i64(), up[0]["title"].as_str()),
        (Some(1), Some("c"))
    );
}

#[test]
fn acceptance_8_appends() {
    let s = Server::start();
    blog(&s);
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p1","category":1})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p2","category":1})),
    );
    for (c, p) in [("c1", 1), ("c2", 2), ("c3", 1)] {
        s.ok(
            "POST",
            "/api/comments:create",
            Some(json!({"content": c, "post": p})),
        );
    }
    let p = s.ok("GET", "/api/posts:get/1?appends=category,comments", None);
    assert_eq!(p["category"]["title"], "News");
    assert_eq!(ids(&p["comments"]), vec![1, 3]);
    let p = s.ok("GET", "/api/posts:get/1?appends=category.posts", None);
    assert_eq!(ids(&p["category"]["posts"]), vec![1, 2]);
    assert_eq!(p["category"]["posts"][0]["title"], "p1");
    let p = s.ok(
        "GET",
        "/api/posts:get/1?appends[]=comments.post.category&appends[]=createdBy",
        None,
    );
    assert_eq!(p["comments"][0]["post"]["category"]["title"], "News");
    assert_eq!(p["createdBy"]["username"], "admin");
    // A post without a category appends null; to-many without rows an empty array.
    s.ok("POST", "/api/posts:create", Some(json!({"title":"p3"})));
    let p = s.ok(
        "GET",
        "/api/posts:get/3?appends=category,comments,tags,detail",
        None,
    );
    assert_eq!(
        (
            p["category"].clone(),
            p["comments"].clone(),
            p["tags"].clone(),
            p["detail"].clone()
        ),
        (Value::Null, json!([]), json!([]), Value::Null)
    );
    let list = s.ok("GET", "/api/posts:list?appends=comments", None);
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| p["comments"].as_array().unwrap().len())
            .collect::<Vec<_>>(),
        vec![2, 1, 0]
    );
    for (q, want) in [
        ("appends=title", "NOT_AN_ASSOCIATION"),
        ("appends=title.id", "NOT_AN_ASSOCIATION"),
        ("appends=comments.content.id", "NOT_AN_ASSOCIATION"),
        ("appends=nope", "UNKNOWN_FIELD"),
        ("appends=category.nope", "UNKNOWN_FIELD"),
        (
            "appends=category.posts.category.posts.category",
            "INVALID_PARAMETER",
        ),
    ] {
        let (st, v) = s.get(&s.root(), &format!("/api/posts:get/1?{q}"));
        assert_eq!((st, code(&v)), (400, want), "{q}");
    }
    let (_, v) = s.get(&s.root(), "/api/posts:get/1?appends=title");
    assert_eq!(
        message(&v),
        "\"title\" is not an association of collection \"posts\""
    );
    assert_eq!(
        s.ok(
            "GET",
            "/api/posts:get/1?appends=category.posts.category.posts",
            None
        )["id"],
        1,
        "four levels are fine"
    );
    // A path ending in a column appends the association with only that column (NocoBase's shape);
    // the association appended by name as well stays whole.
    let p = s.ok(
        "GET",
        "/api/posts:get/1?appends[]=category.title&appends[]=comments.content",
        None,
    );
    assert_eq!(
        (p["category"].clone(), p["comments"].clone()),
        (
            json!({"title": "News"}),
            json!([{"content": "c1"}, {"content": "c3"}])
        )
    );
    let p = s.ok(
        "GET",
        "/api/posts:get/1?appends[]=category.title&appends[]=category",
        None,
    );
    assert_eq!(p["category"]["id"], 1);
    let p = s.ok(
        "GET",
        "/api/posts:get/1?appends[]=comments.post.title",
        None,
    );
    assert_eq!(p["comments"][0]["post"], json!({"title": "p1"}));
    assert_eq!(
        p["comments"][0]["content"], "c1",
        "levels on the way stay whole"
    );
}

fn three_samples(s: &Server) {
    samples(s);
    for (t, i) in [("Sample 1", 91), ("Sample 2", 77), ("Sample 3", 91)] {
        s.ok(
            "POST",
            "/api/samples:create",
            Some(json!({"title": t, "indicator": i})),
        );
    }
}

#[test]
fn acceptance_9_fields_except_sort_pages() {
    let s = Server::start();
    three_samples(&s);
    let rows = s.ok("GET", "/api/samples:list?fields=id,title", None);
    for r in rows.as_array().unwrap() {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["id", "title"]);
    }
    let rows = s.ok("GET", "/api/samples:list?except=indicator,createdAt", None);
    assert!(
        rows[0].get("indicator").is_none()
            && rows[0].get("createdAt").is_none()
            && rows[0].get("title").is_some()
    );
    assert_eq!(
        list_ids(&s, "/api/samples:list?sort=-indicator"),
        vec![1, 3, 2],
        "descending, ties by id"
    );
    assert_eq!(
        list_ids(&s, "/api/samples:list?sort=indicator,-title"),
        vec![2, 3, 1]
    );
    assert_eq!(list_ids(&s, "/api/samples:list?sort[]=-id"), vec![3, 2, 1]);
    let (st, v) = s.get(&s.root(), "/api/samples:list?page=2&pageSize=1");
    assert_eq!(st, 200);
    assert_eq!(ids(&v["data"]), vec![2]);
    assert_eq!(
        v["meta"],
        json!({"count":3,"page":2,"pageSize":1,"totalPage":3})
    );
    let (_, v) = s.get(&s.root(), "/api/samples:list");
    assert_eq!(
        v["meta"],
        json!({"count":3,"page":1,"pageSize":20,"totalPage":1})
    );
    let (_, v) = s.get(&s.root(), "/api/samples:list?page=9");
    assert_eq!(
        (v["data"].clone(), v["meta"]["count"].clone()),
        (json!([]), json!(3))
    );
    let huge = i64::MAX;
    let (st, v) = s.get(
        &s.root(),
        &format!("/api/samples:list?page={huge}&pageSize={huge}"),
    );
    assert_eq!(
        (st, v["data"].clone()),
        (200, json!([])),
        "absurd pages do not overflow"
    );
    let (st, _) = s.get(
        &s.root(),
        &format!("/api/collections:list?page={huge}&pageSize={huge}"),
    );
    assert_eq!(st, 200);
    let (_, v) = s.get(&s.root(), "/api/samples:list?paginate=false");
    assert!(v.get("meta").is_none());
    assert_eq!(ids(&v["data"]), vec![1, 2, 3]);
    for q in [
        "sort=nope",
        "sort=-nope",
        "fields=nope",
        "except=nope",
        "sort=createdBy",
        "fields=title.x",
    ] {
        let (st, v) = s.get(&s.root(), &format!("/api/samples:list?{q}"));
        assert_eq!((st, code(&v)), (400, "UNKNOWN_FIELD"), "{q}");
    }
    for q in ["page=0", "pageSize=x", "paginate=maybe"] {
        let (st, v) = s.get(&s.root(), &format!("/api/samples:list?{q}"));
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{q}");
    }
    // fields naming an association appends it.
    s.ok(
        "POST",
        "/api/collections/samples/fields:create",
        Some(json!({"name":"owner","type":"belongsTo","target":"users","foreignKey":"ownerId"})),
    );
    let r = s.ok("GET", "/api/samples:get/1?fields=title,createdBy", None);
    assert_eq!(r["createdBy"]["id"], 1);
    assert_eq!(r.as_object().unwrap().len(), 2);
}

#[test]
fn acceptance_10_update_destroy_get() {
    let s = Server::start();
    three_samples(&s);
    let up = s.ok("POST", "/api/samples:update/1", Some(json!({"title":"b"})));
    assert_eq!(up.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            up[0]["id"].as_i64(),
            up[0]["title"].as_str(),
            up[0]["indicator"].as_i64()
        ),
        (Some(1), Some("b"), Some(91))
    );
    assert_eq!(
        s.ok("PUT", "/api/samples/2", Some(json!({"title":"put"})))[0]["title"],
        "put"
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/samples:update/999",
            Some(json!({"title":"b"}))
        ),
        json!([])
    );
    for (m, p) in [
        ("POST", "/api/samples:update"),
        ("PATCH", "/api/samples"),
        ("POST", "/api/samples:destroy"),
        ("DELETE", "/api/samples"),
    ] {
        let (st, v) = s.call(&s.root(), m, p, Some(json!({"title":"z"})));
        assert_eq!(
            (st, code(&v), message(&v)),
            (400, "MISSING_PARAMETER", "filterByTk or filter is required"),
            "{m} {p}"
        );
    }
    let (st, _) = s.call(
        &s.root(),
        "POST",
        &format!("/api/samples:update?filter={}", enc("{}")),
        Some(json!({"title":"z"})),
    );
    assert_eq!(st, 400, "an empty filter is no filter");
    let n = s.ok(
        "POST",
        &format!(
            "/api/samples:destroy?filter={}",
            enc(r#"{"indicator":{"$lt":0}}"#)
        ),
        None,
    );
    assert_eq!(n, json!(0));
    assert_eq!(s.ok("POST", "/api/samples:destroy/2", None), json!(1));
    assert_eq!(s.ok("GET", "/api/samples:get/999", None), Value::Null);
    assert_eq!(s.ok("GET", "/api/samples:get/2", None), Value::Null);
    assert_eq!(s.rows("samples"), 2);
    // Update by filter updates every match and returns them.
    let up = s.ok(
        "POST",
        &format!("/api/samples:update?filter={}", enc(r#"{"indicator":91}"#)),
        Some(json!({"indicator":5})),
    );
    assert_eq!(ids(&up), vec![1, 3]);
    // An invalid value fails even when nothing matches.
    let (st, v) = s.post(
        &s.root(),
        "/api/samples:update/999",
        json!({"indicator":"x"}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"));
    // get with a filter: the first match.
    assert_eq!(
        s.ok(
            "GET",
            &format!("/api/samples:get?filter={}", enc(r#"{"indicator":5}"#)),
            None
        )["id"],
        1
    );
    assert_eq!(
        s.ok(
            "GET",
            &format!(
                "/api/samples:get?filter={}&sort=-id",
                enc(r#"{"indicator":5}"#)
            ),
            None
        )["id"],
        3
    );
    // filterByTk: query overrides path, arrays, invalid forms.
    assert_eq!(
        s.ok("GET", "/api/samples:get/1?filterByTk=3", None)["id"],
        3
    );
    assert_eq!(
        list_ids(&s, "/api/samples:list?filterByTk[]=3&filterByTk[]=1"),
        vec![1, 3]
    );
    assert_eq!(
        list_ids(&s, &format!("/api/samples:list?filterByTk={}", enc("[3]"))),
        vec![3]
    );
    for p in [
        "/api/samples:get/abc",
        "/api/samples:get/1,2",
        &format!("/api/samples:get?filterByTk={}", enc("1 OR 1=1")),
    ] {
        let (st, v) = s.get(&s.root(), p);
        assert_eq!((st, code(&v)), (400, "INVALID_PARAMETER"), "{p}");
    }
    assert_eq!(
        s.ok(
            "POST",
            "/api/samples:destroy?filterByTk[]=1&filterByTk[]=3",
            None
        ),
        json!(2)
    );
    assert_eq!(s.rows("samples"), 0);
}

#[test]
fn acceptance_11_text_operators() {
    let s = Server::start();
    samples(&s);
    for t in [json!("Alpha"), json!("beta"), Value::Null] {
        s.ok("POST", "/api/samples:create", Some(json!({"title": t})));
    }
    let f = |v: Value| filtered(&s, "samples", &v);
    assert_eq!(f(json!({"title":{"$includes":"ALP"}})), vec![1]);
    assert_eq!(f(json!({"title":{"$notIncludes":"x"}})), vec![1, 2]);
    assert_eq!(f(json!({"title":{"$ne":"Alpha"}})), vec![2, 3]);
    assert_eq!(f(json!({"title":{"$empty":true}})), vec![3]);
    assert_eq!(f(json!({"title":["Alpha","beta"]})), vec![1, 2]);
    assert_eq!(f(json!({"title":{"$in":null}})), Vec::<i64>::new());
    assert_eq!(
        filter_code(&s, "samples", r#"{"title":{"$foo":1}}"#),
        (400, "INVALID_FILTER".into())
    );
    assert_eq!(
        filter_code(&s, "samples", r#"{"nope":1}"#),
        (400, "UNKNOWN_FIELD".into())
    );
    let (_, v) = s.get(
        &s.root(),
        &format!(
            "/api/samples:list?filter={}",
            enc(r#"{"title":{"$foo":1}}"#)
        ),
    );
    assert_eq!(message(&v), "Unknown filter operator \"$foo\"");
}

#[test]
fn acceptance_12_date_operators_on_created_at() {
    let s = Server::start();
    samples(&s);
    s.ok(
        "POST",
        "/api/samples:create",
        Some(json!({"title":"first"})),
    );
    s.ok(
        "POST",
        "/api/samples:create",
        Some(json!({"title":"second"})),
    );
    // createdAt is set by the server; place the two rows around midnight directly in the store.
    let db = s.db();
    db.execute(
        "UPDATE samples SET createdAt = '2025-03-01T23:59:59.999Z' WHERE id = 1",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE samples SET createdAt = '2025-03-02T00:00:00.000Z' WHERE id = 2",
        [],
    )
    .unwrap();
    drop(db);
    let f = |v: Value| filtered(&s, "samples", &v);
    assert_eq!(f(json!({"createdAt":{"$dateOn":"2025-03-01"}})), vec![1]);
    assert_eq!(f(json!({"createdAt":{"$dateAfter":"2025-03-01"}})), vec![2]);
    assert_eq!(f(json!({"createdAt":{"$dateNotOn":"2025-03-01"}})), vec![2]);
    assert_eq!(
        f(json!({"createdAt":{"$dateBefore":"2025-03-02"}})),
        vec![1]
    );
    assert_eq!(
        f(json!({"createdAt":{"$dateNotBefore":"2025-03-02"}})),
        vec![2]
    );
    assert_eq!(
        f(json!({"createdAt":{"$dateNotAfter":"2025-03-01"}})),
        vec![1]
    );
    assert_eq!(
        f(json!({"createdAt":{"$dateBetween":["2025-03-01","2025-03-02"]}})),
        vec![1, 2]
    );
    assert_eq!(
        f(json!({"createdAt":{"$dateOn":"2025-03-02T01:00:00+01:00"}})),
        vec![2]
    );
    assert_eq!(
        f(json!({"createdAt":{"$dateAfter":"2025-03-01T23:59:59.999Z"}})),
        vec![2]
    );
}

#[test]
fn every_filter_operator() {
    let s = Server::start();
    create_collection(
        &s,
        json!({"name":"items","fields":[{"name":"name","type":"string"},{"name":"n","type":"integer"},{"name":"f","type":"float"},
            {"name":"flag","type":"boolean"},{"name":"day","type":"date"},{"name":"at","type":"datetime"}]}),
    );
    for row in [
        json!({"name":"Alpha","n":1,"f":1.5,"flag":true,"day":"2025-03-01","at":"2025-03-01T10:00:00Z"}),
        json!({"name":"beta","n":2,"f":2.5,"flag":false,"day":"2025-03-02","at":"2025-03-02T00:00:00Z"}),
        json!({"name":"a_b%c","n":3}),
        json!({"name":""}),
        json!({"n":5}),
    ] {
        s.ok("POST", "/api/items:create", Some(row));
    }
    let cases: Vec<(Value, Vec<i64>)> = vec![
        (json!({"name":"Alpha"}), vec![1]),
        (json!({"name":{"$eq":"alpha"}}), vec![]),
        (json!({"n":"2"}), vec![2]),
        (json!({"n":null}), vec![4]),
        (json!({"name":{"$ne":"Alpha"}}), vec![2, 3, 4, 5]),
        (json!({"n":{"$ne":null}}), vec![1, 2, 3, 5]),
        (json!({"n":{"$ne":[1,2]}}), vec![3, 4, 5]),
        (json!({"n":{"$in":[1,"3"]}}), vec![1, 3]),
        (json!({"n":{"$in":2}}), vec![2]),
        (json!({"n":{"$in":[]}}), vec![]),
        (json!({"n":{"$notIn":[1,2]}}), vec![3, 4, 5]),
        (json!({"n":{"$gt":2}}), vec![3, 5]),
        (json!({"n":{"$gte":2}}), vec![2, 3, 5]),
        (json!({"n":{"$lt":2}}), vec![1]),
        (json!({"n":{"$lte":"2"}}), vec![1, 2]),
        (json!({"f":{"$gt":"2"}}), vec![2]),
        (json!({"n":{"$gt":1.5}}), vec![2, 3, 5]),
        (json!({"n":{"$between":[2,3]}}), vec![2, 3]),
        (json!({"n":{"$notBetween":[2,3]}}), vec![1, 5]),
        (json!({"name":{"$like":"a%"}}), vec![1, 3]),
        (json!({"name":{"$notLike":"a%"}}), vec![2, 4]),
        (json!({"name":{"$iLike":"ALPHA"}}), vec![1]),
        (json!({"name":{"$notILike":"%a%"}}), vec![4]),
        (json!({"name":{"$includes":"%"}}), vec![3]),
        (json!({"name":{"$includes":"_"}}), vec![3]),
        (json!({"name":{"$includes":["ALP","et"]}}), vec![1, 2]),
        (json!({"name":{"$includes":null}}), vec![5]),
        (json!({"name":{"$notIncludes":"a"}}), vec![4]),
        (json!({"name":{"$notIncludes":["l","c"]}}), vec![2, 4]),
        (json!({"name":{"$notIncludes":null}}), vec![1, 2, 3, 4]),
        (json!({"name":{"$startsWith":"al"}}), vec![1]),
        (json!({"name":{"$startsWith":["al","b"]}}), vec![1, 2]),
        (json!({"name":{"$endWith":"TA"}}), vec![2]),
        (json!({"name":{"$notStartsWith":"al"}}), vec![2, 3, 4]),
        (json!({"name":{"$notEndWith":"c"}}), vec![1, 2, 4]),
        (json!({"name":{"$empty":true}}), vec![4, 5]),
        (json!({"name":{"$notEmpty":true}}), vec![1, 2, 3]),
        (json!({"n":{"$empty":true}}), vec![4]),
        (json!({"n":{"$notEmpty":true}}), vec![1, 2, 3, 5]),
        (json!({"flag":{"$isTruly":true}}), vec![1]),
        (json!({"flag":{"$isFalsy":true}}), vec![2, 3, 4, 5]),
        (json!({"flag":true}), vec![1]),
        (json!({"flag":"false"}), vec![2]),
        (json!({"day":{"$dateOn":"2025-03-01"}}), vec![1]),
        (json!({"day":{"$dateNotOn":"2025-03-01"}}), vec![2]),
        (json!({"day":{"$dateBefore":"2025-03-02"}}), vec![1]),
        (json!({"day":{"$dateNotBefore":"2025-03-02"}}), vec![2]),
        (json!({"day":{"$dateAfter":"2025-03-01"}}), vec![2]),
        (json!({"day":{"$dateNotAfter":"2025-03-01"}}), vec![1]),
        (
            json!({"day":{"$dateBetween":["2025-02-01","2025-03-01"]}}),
            vec![1],
        ),
        (json!({"at":{"$dateOn":"2025-03-01"}}), vec![1]),
        (
            json!({"at":{"$dateOn":"2025-03-01T11:00:00+01:00"}}),
            vec![1],
        ),
        (
            json!({"at":{"$dateBefore":"2025-03-02T00:00:00Z"}}),
            vec![1],
        ),
        (json!({"at":{"$gte":"2025-03-02"}}), vec![2]),
        (json!({"n":{"$exists":true}}), vec![1, 2, 3, 5]),
        (json!({"n":{"$notExists":true}}), vec![4]),
        (json!({"$or":[{"n":1},{"name":"beta"}]}), vec![1, 2]),
        (
            json!({"$and":[{"n":{"$gte":1}},{"n":{"$lte":2}}]}),
            vec![1, 2],
        ),
        (json!({"$not":{"n":{"$gt":1}}}), vec![1]),
        (json!({"$or":[]}), vec![1, 2, 3, 4, 5]),
        (
            json!({"$and":[{"$or":[{"n":1},{"n":3}]},{"$not":{"name":{"$includes":"%"}}}]}),
            vec![1],
        ),
        (json!({"n":{"$gt":1,"$lt":5}}), vec![2, 3]),
        (json!({}), vec![1, 2, 3, 4, 5]),
    ];
    for (filter, want) in cases {
        assert_eq!(filtered(&s, "items", &filter), want, "{filter}");
    }
    // Bracket form: strings coerced to the field type.
    for (q, want) in [
        ("filter[n][$gt]=2", vec![3, 5]),
        (
            "filter[name][$in][]=Alpha&filter[name][$in][]=beta",
            vec![1, 2],
        ),
        ("filter[flag]=true", vec![1]),
        ("filter[$or][0][n]=1&filter[$or][1][n]=2", vec![1, 2]),
        ("filter[day][$dateOn]=2025-03-02", vec![2]),
        ("filter[name][$includes]=%25", vec![3]),
    ] {
        assert_eq!(list_ids(&s, &format!("/api/items:list?{q}")), want, "{q}");
    }
    for (filter, want) in [
        (r#"{"n":{"$gt":"abc"}}"#, "INVALID_FILTER"),
        (r#"{"n":{"$gt":null}}"#, "INVALID_FILTER"),
        (r#"{"n":{"$between":[1]}}"#, "INVALID_FILTER"),
        (r#"{"day":{"$dateOn":"03/01/2025"}}"#, "INVALID_FILTER"),
        (r#"{"n":{"$dateOn":"2025-03-01"}}"#, "INVALID_FILTER"),
        (r#"{"flag":"maybe"}"#, "INVALID_FILTER"),
        (r#"{"$and":{}}"#, "INVALID_FILTER"),
        (r#"{"$or":[1]}"#, "INVALID_FILTER"),
        (r#"{"$not":[]}"#, "INVALID_FILTER"),
        (r#"[1]"#, "INVALID_FILTER"),
        (r#"{bad"#, "INVALID_FILTER"),
        (r#"{"name":{"$foo":1}}"#, "INVALID_FILTER"),
        (r#"{"name":{"$includes":{}}}"#, "INVALID_FILTER"),
        (r#"{"nope.x":1}"#, "UNKNOWN_FIELD"),
        (r#"{"name.x":1}"#, "NOT_AN_ASSOCIATION"),
    ] {
        assert_eq!(
            filter_code(&s, "items", filter),
            (400, want.to_string()),
            "{filter}"
        );
    }
}

#[test]
fn acceptance_13_association_paths_in_filters() {
    let s = Server::start();
    blog(&s);
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"Tech"})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p1","category":1})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p2","category":2})),
    );
    s.ok("POST", "/api/posts:create", Some(json!({"title":"p3"})));
    s.ok(
        "POST",
        "/api/comments:create",
        Some(json!({"content":"hello","post":2})),
    );
    s.ok(
        "POST",
        "/api/comments:create",
        Some(json!({"content":"bye","post":2})),
    );
    s.ok("POST", "/api/tags:create", Some(json!({"name":"rust"})));
    s.ok("POST", "/api/posts:update/3", Some(json!({"tags":[1]})));
    let f = |v: Value| filtered(&s, "posts", &v);
    assert_eq!(f(json!({"category.title":"News"})), vec![1]);
    assert_eq!(f(json!({"category":{"title":"News"}})), vec![1]);
    assert_eq!(f(json!({"comments":{"$exists":true}})), vec![2]);
    assert_eq!(f(json!({"comments":{"$notExists":true}})), vec![1, 3]);
    assert_eq!(f(json!({"category":{"$exists":false}})), vec![3]);
    // to-one: a missing target compares as NULL (so `$ne` keeps it), like a join.
    assert_eq!(f(json!({"category.title":{"$ne":"News"}})), vec![2, 3]);
    // to-many: "some associated row".
    assert_eq!(f(json!({"comments.content":{"$includes":"ell"}})), vec![2]);
    assert_eq!(f(json!({"comments":{"content":"hello","id":1}})), vec![2]);
    assert_eq!(f(json!({"tags.name":"rust"})), vec![3]);
    assert_eq!(
        f(json!({"$or":[{"category.title":"Tech"},{"tags.name":"rust"}]})),
        vec![2, 3]
    );
    assert_eq!(
        f(
            json!({"$and":[{"indicator":{"$empty":true}},{"$or":[{"title":{"$includes":"p1"}},{"category.title":"Tech"}]}]})
        ),
        vec![1, 2]
    );
    // Nested paths through several associations, and createdBy.
    assert_eq!(
        filtered(&s, "comments", &json!({"post.category.title":"Tech"})),
        vec![1, 2]
    );
    assert_eq!(f(json!({"createdBy.username":"admin"})), vec![1, 2, 3]);
    assert_eq!(
        f(json!({"createdBy":{"username":"nobody"}})),
        Vec::<i64>::new()
    );
    // Bracket form of a dotted path.
    assert_eq!(
        list_ids(&s, "/api/posts:list?filter[category.title]=News"),
        vec![1]
    );
    assert_eq!(
        filter_code(&s, "posts", r#"{"category":1}"#),
        (400, "INVALID_FILTER".into())
    );
    assert_eq!(
        filter_code(&s, "posts", r#"{"category.nope":1}"#),
        (400, "UNKNOWN_FIELD".into())
    );
    // Update and destroy by an association filter.
    let up = s.ok(
        "POST",
        &format!(
            "/api/posts:update?filter={}",
            enc(r#"{"comments":{"$exists":true}}"#)
        ),
        Some(json!({"indicator":1})),
    );
    assert_eq!(ids(&up), vec![2]);
    assert_eq!(
        s.ok(
            "POST",
            &format!(
                "/api/posts:destroy?filter={}",
                enc(r#"{"category.title":"News"}"#)
            ),
            None
        ),
        json!(1)
    );
    assert_eq!(list_ids(&s, "/api/posts:list"), vec![2, 3]);
}

#[test]
fn acceptance_14_association_resources() {
    let s = Server::start();
    blog(&s);
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p1","category":1})),
    );
    s.ok("POST", "/api/posts:create", Some(json!({"title":"p2"})));
    s.ok(
        "POST",
        "/api/comments:create",
        Some(json!({"content":"a","post":1})),
    );
    s.ok(
        "POST",
        "/api/comments:create",
        Some(json!({"content":"b","post":2})),
    );
    let (st, v) = s.get(&s.root(), "/api/posts/1/comments:list");
    assert_eq!(st, 200);
    assert_eq!(ids(&v["data"]), vec![1]);
    assert_eq!(v["meta"]["count"], 1);
    let c = s.ok(
        "POST",
        "/api/posts/1/comments:create",
        Some(json!({"content":"c","postId":2})),
    );
    assert_eq!(
        (c["postId"].as_i64(), c["content"].as_str()),
        (Some(1), Some("c"))
    );
    assert_eq!(list_ids(&s, "/api/posts/1/comments:list"), vec![1, 3]);
    let (st, v) = s.get(&s.root(), "/api/posts/999/comments:list");
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"));
    let (st, v) = s.get(&s.root(), "/api/posts/abc/comments:list");
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"));
    assert_eq!(
        s.ok("GET", "/api/posts/1/category:get", None)["title"],
        "News"
    );
    assert_eq!(s.ok("GET", "/api/posts/2/category:get", None), Value::Null);
    // A tk not linked to the source reads as absent.
    assert_eq!(
        s.ok("GET", "/api/posts/1/comments:get/2", None),
        Value::Null
    );
    assert_eq!(
        s.ok("GET", "/api/posts/1/comments:get/3", None)["content"],
        "c"
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts/1/comments:update/2",
            Some(json!({"content":"x"}))
        ),
        json!([])
    );
    // An association's destroy answers `true` whatever it removed, as NocoBase's relation repositories do.
    assert_eq!(
        s.ok("POST", "/api/posts/1/comments:destroy/2", None),
        json!(true)
    );
    assert_eq!(s.ok("GET", "/api/comments:get/2", None)["content"], "b");
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts/1/comments:update/3",
            Some(json!({"content":"y"}))
        )[0]["content"],
        "y"
    );
    let (st, v) = s.call(
        &s.root(),
        "POST",
        "/api/posts/1/comments:update",
        Some(json!({"content":"x"})),
    );
    assert_eq!((st, code(&v)), (400, "MISSING_PARAMETER"));
    assert_eq!(s.ok("DELETE", "/api/posts/1/comments/3", None), json!(true));
    assert!(
        s.ok("GET", "/api/comments:get/3", None).is_null(),
        "destroy deletes the target row"
    );
    // to-one: get and update only.
    let up = s.ok(
        "POST",
        "/api/posts/1/category:update",
        Some(json!({"title":"Renamed"})),
    );
    assert_eq!(up[0]["title"], "Renamed");
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts/2/category:update",
            Some(json!({"title":"x"}))
        ),
        json!([])
    );
    for p in [
        "/api/posts/1/category:list",
        "/api/posts/1/category:create",
        "/api/posts/1/category:destroy",
        "/api/posts/1/comments:frob",
    ] {
        let (st, v) = s.call(&s.root(), "POST", p, None);
        assert_eq!((st, code(&v)), (404, "ACTION_NOT_FOUND"), "{p}");
    }
    // belongsToMany: list, create links, destroy deletes the target.
    s.ok("POST", "/api/tags:create", Some(json!({"name":"t1"})));
    let t = s.ok(
        "POST",
        "/api/posts/1/tags:create?appends=posts",
        Some(json!({"name":"t2"})),
    );
    assert_eq!(t["name"], "t2");
    assert_eq!(ids(&t["posts"]), vec![1], "linked to the source");
    assert_eq!(list_ids(&s, "/api/posts/1/tags:list"), vec![2]);
    assert_eq!(s.ok("GET", "/api/posts/1/tags:get/1", None), Value::Null);
    assert_eq!(
        s.ok("POST", "/api/posts/1/tags:destroy/2", None),
        json!(true)
    );
    assert_eq!(s.rows("postsTags"), 0);
    // hasOne.
    s.ok(
        "POST",
        "/api/details:create",
        Some(json!({"summary":"d","postId":null})),
    );
    s.ok("POST", "/api/posts:update/1", Some(json!({"detail":1})));
    assert_eq!(s.ok("GET", "/api/posts/1/detail:get", None)["summary"], "d");
    assert_eq!(
        s.ok(
            "POST",
            "/api/posts/1/detail:update",
            Some(json!({"summary":"e"}))
        )[0]["summary"],
        "e"
    );
    assert_eq!(s.ok("GET", "/api/posts/2/detail:get", None), Value::Null);
    // Through the users target: reading only.
    assert_eq!(
        s.ok("GET", "/api/posts/1/createdBy:get", None)["username"],
        "admin"
    );
    let (st, _) = s.call(
        &s.root(),
        "POST",
        "/api/posts/1/createdBy:update",
        Some(json!({"username":"x"})),
    );
    assert_eq!(st, 404);
    // trigger is an action of association resources too (the trigger tests cover it).
    let (st, v) = s.call(&s.root(), "POST", "/api/posts/1/comments:trigger", None);
    assert_eq!((st, code(&v)), (400, "MISSING_PARAMETER"));
}

#[test]
fn own_scope() {
    let s = Server::start();
    samples(&s);
    s.ok(
        "POST",
        "/api/roles/member/resources:create",
        Some(json!({"name":"samples","usingActionsConfig":true,"actions":[
            {"name":"view","scope":"own"},{"name":"create"},{"name":"update","scope":"own"},{"name":"destroy","scope":"own"}]})),
    );
    s.ok(
        "POST",
        "/api/samples:create",
        Some(json!({"title":"root's","indicator":1})),
    );
    let m = s.user("m1", &["member"]);
    let (st, mine) = s.post(
        &m,
        "/api/samples:create",
        json!({"title":"mine","indicator":1}),
    );
    assert_eq!(st, 200);
    let my_id = mine["data"]["id"].as_i64().unwrap();
    let my_user = mine["data"]["createdById"].as_i64().unwrap();
    assert_ne!(my_user, 1);
    let (_, v) = s.get(&m, "/api/samples:list");
    assert_eq!(ids(&v["data"]), vec![my_id]);
    assert_eq!(v["meta"]["count"], 1);
    let (_, v) = s.get(&m, "/api/samples:get/1");
    assert_eq!(v, json!({"data": null}));
    let (_, v) = s.get(
        &m,
        &format!("/api/samples:list?filter={}", enc(r#"{"indicator":1}"#)),
    );
    assert_eq!(ids(&v["data"]), vec![my_id]);
    // The users target of createdBy: under `own`, a member sees only its own user row.
    let (st, v) = s.get(&m, &format!("/api/samples/{my_id}/createdBy:get"));
    assert_eq!((st, v["data"]["id"].as_i64()), (200, Some(my_user)));
    let (st, v) = s.get(&m, "/api/samples/1/createdBy:get");
    assert_eq!((st, v), (200, json!({"data": null})));
    let (_, v) = s.post(&m, "/api/samples:update/1", json!({"title":"hacked"}));
    assert_eq!(v["data"], json!([]));
    let (_, v) = s.post(
        &m,
        &format!("/api/samples:update?filter={}", enc(r#"{"indicator":1}"#)),
        json!({"indicator":2}),
    );
    assert_eq!(ids(&v["data"]), vec![my_id]);
    assert_eq!(v["data"][0]["updatedById"], my_user);
    let (_, v) = s.post(&m, "/api/samples:destroy/1", json!({}));
    assert_eq!(v["data"], 0);
    assert_eq!(s.ok("GET", "/api/samples:get/1", None)["title"], "root's");
    let (_, v) = s.post(
        &m,
        &format!("/api/samples:destroy?filterByTk[]=1&filterByTk[]={my_id}"),
        json!({}),
    );
    assert_eq!(v["data"], 1);
    assert_eq!(s.rows("samples"), 1);
    // Without a resource config the member strategy (view:own) allows no create.
    create_collection(
        &s,
        json!({"name":"others","fields":[{"name":"title","type":"string"}]}),
    );
    let (st, v) = s.post(&m, "/api/others:create", json!({"title":"x"}));
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    assert_eq!(s.rows("others"), 0);
}

#[test]
fn default_member_view_own_on_a_collection_without_config() {
    let s = Server::start();
    samples(&s);
    s.ok(
        "POST",
        "/api/samples:create",
        Some(json!({"title":"root's"})),
    );
    let m = s.user("m1", &["member"]);
    let (st, v) = s.get(&m, "/api/samples:list");
    assert_eq!((st, v["data"].clone()), (200, json!([])));
    let (st, v) = s.get(&m, "/api/samples:get/1");
    assert_eq!((st, v), (200, json!({"data": null})));
}

/// Names and values full of SQL metacharacters are refused with a 4xx or kept as plain data, and the
/// store works normally afterwards.
#[test]
fn sql_metacharacters_are_rejected_or_treated_as_data() {
    let s = Server::start();
    samples(&s);
    let hostile = [
        "\"; DROP TABLE samples; --",
        "a\"b",
        "x'); DROP TABLE users; --",
        "'",
        "%",
        "_",
        "a b",
        "posts.title",
        "[x]",
        "`x`",
        "1=1",
        "\\",
        "ünïcödé",
        "a\u{0}b",
        "samples\" (id) VALUES (1); --",
        "$and",
    ];
    let root = s.root();
    let collections_before = s.rows("collections");
    let mut created = 0;
    for h in hostile {
        // Collection names.
        let (st, v) = s.post(
            &root,
            "/api/collections:create",
            json!({"name": h, "fields":[{"name":"t","type":"string"}]}),
        );
        if st == 200 {
            created += 1;
            assert!(s.table_exists(h), "{h:?} accepted but no table");
        } else {
            assert!((400..500).contains(&st), "{h:?} → {st} {v}");
        }
        // Field names.
        let (st, v) = s.post(
            &root,
            "/api/collections/samples/fields:create",
            json!({"name": h, "type":"string"}),
        );
        assert!(st == 200 || (400..500).contains(&st), "{h:?} → {st} {v}");
        if st == 200 {
            s.ok(
                "POST",
                &format!("/api/collections/samples/fields:destroy/{}", enc(h)),
                None,
            );
        }
        // Filter keys, sort, appends, fields, except.
        let filter = json!({ h: 1 }).to_string();
        for q in [
            format!("filter={}", enc(&filter)),
            format!("sort={}", enc(h)),
            format!("sort=-{}", enc(h)),
            format!("appends={}", enc(h)),
            format!("fields={}", enc(h)),
            format!("except={}", enc(h)),
            format!("filter[{}]=1", enc(h)),
        ] {
            let (st, v) = s.get(&root, &format!("/api/samples:list?{q}"));
            assert!((400..500).contains(&st), "{q} → {st} {v}");
        }
        // Resource names in the path: only an accepted collection answers.
        let (st, _) = s.get(&root, &format!("/api/{}:list", enc(h)));
        assert!(
            st == 200 && s.table_exists(h) || (400..500).contains(&st),
            "{h:?} as a resource → {st}"
        );
        // Values: stored and compared as data.
        let r = s.ok("POST", "/api/samples:create", Some(json!({"title": h})));
        let id = r["id"].as_i64().unwrap();
        assert_eq!(
            s.ok("GET", &format!("/api/samples:get/{id}"), None)["title"],
            h
        );
        assert_eq!(
            filtered(&s, "samples", &json!({"title": h})),
            vec![id],
            "{h:?}"
        );
        let inc = filtered(&s, "samples", &json!({"title": {"$includes": h}}));
        assert!(inc.contains(&id), "{h:?}");
        assert_eq!(
            s.ok(
                "POST",
                &format!("/api/samples:update/{id}"),
                Some(json!({"title": h, "indicator": 1}))
            )[0]["title"],
            h
        );
    }
    // `%` and `_` in $includes match only themselves.
    let pct = filtered(&s, "samples", &json!({"title": {"$includes": "%"}}));
    let all = filtered(&s, "samples", &json!({}));
    assert!(pct.len() < all.len(), "% is literal in $includes");
    assert_eq!(s.rows("collections"), collections_before + created);
    // The store still works: tables intact, sign-in works, records readable.
    assert!(s.table_exists("samples") && s.table_exists("users"));
    assert_eq!(s.rows("samples") as usize, hostile.len());
    let (st, _) = s.get(&root, "/api/auth:check");
    assert_eq!(st, 200);
    s.sign_in("admin", ROOT_PASSWORD);
    assert_eq!(
        s.ok("GET", "/api/samples:list?paginate=false", None)
            .as_array()
            .unwrap()
            .len(),
        hostile.len()
    );
}

#[test]
fn fk_columns_are_indexed() {
    let s = Server::start();
    blog(&s);
    let db = s.db();
    let indexed = |table: &str, col: &str| -> bool {
        let mut st = db
            .prepare(&format!("PRAGMA index_list(\"{table}\")"))
            .unwrap();
        let names: Vec<String> = st
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        names.iter().any(|n| {
            let mut st = db.prepare(&format!("PRAGMA index_info(\"{n}\")")).unwrap();
            let cols: Vec<String> = st
                .query_map([], |r| r.get::<_, String>(2))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            cols.first().map(String::as_str) == Some(col)
        })
    };
    assert!(indexed("posts", "categoryId"));
    assert!(indexed("comments", "postId"));
    assert!(indexed("details", "postId"));
    assert!(indexed("posts", "createdById"));
    assert!(indexed("tags", "name"), "unique index");
    assert!(indexed("postsTags", "postId") && indexed("postsTags", "tagId"));
}

/// SQL keywords are valid names: every identifier is quoted, so they work like any other.
#[test]
fn sql_keywords_as_names() {
    let s = Server::start();
    create_collection(
        &s,
        json!({"name":"select","fields":[{"name":"order","type":"integer"},{"name":"group","type":"string","unique":true},
            {"name":"from","type":"belongsTo","target":"select"},{"name":"where","type":"hasMany","target":"select","foreignKey":"fromId"}]}),
    );
    s.ok(
        "POST",
        "/api/select:create",
        Some(json!({"order":2,"group":"a"})),
    );
    s.ok(
        "POST",
        "/api/select:create",
        Some(json!({"order":1,"group":"b","from":1})),
    );
    assert_eq!(list_ids(&s, "/api/select:list?sort=order"), vec![2, 1]);
    assert_eq!(filtered(&s, "select", &json!({"from.group":"a"})), vec![2]);
    assert_eq!(
        filtered(&s, "select", &json!({"where":{"order":1}})),
        vec![1]
    );
    let r = s.ok("GET", "/api/select:get/1?appends=where", None);
    assert_eq!(ids(&r["where"]), vec![2]);
    s.ok("POST", "/api/collections/select/fields:destroy/order", None);
    assert_eq!(
        s.ok("POST", "/api/select:update/2", Some(json!({"group":"c"})))[0]["fromId"],
        1
    );
}
