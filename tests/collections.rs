//! Collections and fields over the real server (collections.md §1–§5, acceptance cases 1–5 and 15),
//! with the failure cases: every bad definition gets its 4xx and leaves the schema untouched.

mod common;
use common::*;

fn create_collection(s: &Server, body: Value) -> Value {
    s.ok("POST", "/api/collections:create", Some(body))
}

/// The 4xx status and code of a root call that must fail.
fn fails(s: &Server, method: &str, path: &str, body: Option<Value>) -> (u16, String) {
    let (st, v) = s.call(&s.root(), method, path, body);
    assert!(
        (400..500).contains(&st),
        "{method} {path} should fail, got {st} {v}"
    );
    (st, code(&v).to_string())
}

fn field<'a>(coll: &'a Value, name: &str) -> &'a Value {
    coll["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["name"] == name))
        .unwrap_or(&Value::Null)
}

/// categories, posts {title, indicator, category}, comments {content}, posts.comments, comments.post.
fn blog(s: &Server) {
    create_collection(
        s,
        json!({"name":"categories","fields":[{"name":"title","type":"string"}]}),
    );
    create_collection(
        s,
        json!({"name":"posts","title":"Posts","fields":[
            {"name":"title","type":"string"},{"name":"indicator","type":"integer"},{"name":"category","type":"belongsTo"}]}),
    );
    create_collection(
        s,
        json!({"name":"comments","fields":[{"name":"content","type":"text"}]}),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"comments","type":"hasMany"})),
    );
}

#[test]
fn acceptance_1_unique_field_and_system_fields() {
    let s = Server::start();
    let c = create_collection(
        &s,
        json!({"name":"tags","fields":[{"name":"name","type":"string","unique":true}]}),
    );
    assert_eq!(c["name"], "tags");
    assert_eq!(c["title"], "tags", "title defaults to the name");
    assert_eq!(field(&c, "id")["system"], true);
    assert_eq!(field(&c, "name")["unique"], true);
    let t = s.ok("POST", "/api/tags:create", Some(json!({"name":"t1"})));
    assert_eq!(t["id"], 1);
    assert_eq!(t["createdById"], 1);
    assert_eq!(t["updatedById"], 1);
    let at = t["createdAt"].as_str().unwrap();
    assert!(
        at.len() == 24 && at.ends_with('Z') && at.as_bytes()[19] == b'.',
        "{at}"
    );
    let (st, v) = s.post(&s.root(), "/api/tags:create", json!({"name":"t1"}));
    assert_eq!((st, code(&v)), (400, "CONSTRAINT_VIOLATION"));
    assert_eq!(message(&v), "name must be unique");
    assert_eq!(s.rows("tags"), 1);
}

#[test]
fn acceptance_2_bad_collection_names_create_nothing() {
    let s = Server::start();
    create_collection(&s, json!({"name":"tags"}));
    let before = s.rows("collections");
    for (name, want) in [
        ("Tags", "COLLECTION_EXISTS"),
        ("TAGS", "COLLECTION_EXISTS"),
        ("1tags", "INVALID_IDENTIFIER"),
        ("a-b", "INVALID_IDENTIFIER"),
        ("", "INVALID_IDENTIFIER"),
        ("users", "RESERVED_NAME"),
        ("Users", "RESERVED_NAME"),
        ("fg_x", "RESERVED_NAME"),
        ("sqlite_x", "RESERVED_NAME"),
        ("workflows", "RESERVED_NAME"),
    ] {
        let (st, c) = fails(
            &s,
            "POST",
            "/api/collections:create",
            Some(json!({"name": name})),
        );
        assert_eq!((st, c.as_str()), (400, want), "{name}");
    }
    let (_, v) = s.post(&s.root(), "/api/collections:create", json!({"name":"Tags"}));
    assert_eq!(message(&v), "Collection named Tags already exists");
    assert_eq!(
        fails(&s, "POST", "/api/collections:create", Some(json!({}))).1,
        "INVALID_VALUE"
    );
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections:create",
            Some(json!({"name": 5}))
        )
        .1,
        "INVALID_VALUE"
    );
    assert!(!s.table_exists("fg_x") && !s.table_exists("1tags"));
    assert_eq!(s.rows("collections"), before);
}

#[test]
fn acceptance_3_belongs_to_many_defaults() {
    let s = Server::start();
    create_collection(
        &s,
        json!({"name":"posts","fields":[{"name":"title","type":"string"}]}),
    );
    create_collection(
        &s,
        json!({"name":"tags","fields":[{"name":"name","type":"string"}]}),
    );
    let f = s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"tags","type":"belongsToMany"})),
    );
    assert_eq!(f["through"], "postsTags");
    assert_eq!(f["foreignKey"], "postId");
    assert_eq!(f["otherKey"], "tagId");
    assert_eq!(f["target"], "tags");
    assert!(s.table_exists("postsTags"));
    assert_eq!(s.columns("postsTags"), vec!["postId", "tagId"]);
    // The inverse association reuses the same table.
    let inv = s.ok(
        "POST",
        "/api/collections/tags/fields:create",
        Some(json!({"name":"posts","type":"belongsToMany"})),
    );
    assert_eq!(
        (
            inv["through"].as_str(),
            inv["foreignKey"].as_str(),
            inv["otherKey"].as_str()
        ),
        (Some("postsTags"), Some("tagId"), Some("postId"))
    );
    // Its name is reserved for collections now.
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections:create",
            Some(json!({"name":"postsTags"}))
        )
        .1,
        "RESERVED_NAME"
    );
}

#[test]
fn acceptance_4_belongs_to_reuses_the_inverse_fk_column() {
    let s = Server::start();
    blog(&s);
    assert_eq!(
        s.columns("comments")
            .iter()
            .filter(|c| *c == "postId")
            .count(),
        1
    );
    let f = s.ok(
        "POST",
        "/api/collections/comments/fields:create",
        Some(json!({"name":"post","type":"belongsTo"})),
    );
    assert_eq!(
        (
            f["target"].as_str(),
            f["foreignKey"].as_str(),
            f["targetKey"].as_str()
        ),
        (Some("posts"), Some("postId"), Some("id"))
    );
    assert_eq!(
        s.columns("comments")
            .iter()
            .filter(|c| *c == "postId")
            .count(),
        1,
        "no second column"
    );
    let comments = s.ok("GET", "/api/collections:get/comments", None);
    assert_eq!(field(&comments, "postId")["isForeignKey"], true);
    assert_eq!(field(&comments, "postId")["type"], "bigInt");
    // The example of §2: the FK column before its belongsTo, with deterministic keys.
    let posts = s.ok("GET", "/api/collections:get/posts", None);
    let names: Vec<&str> = posts["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(at("categoryId") < at("category"));
    assert_eq!(field(&posts, "category")["target"], "categories");
    assert_eq!(field(&posts, "comments")["foreignKey"], "postId");
    assert_eq!(field(&posts, "comments")["sourceKey"], "id");
}

#[test]
fn acceptance_5_bad_field_definitions() {
    let s = Server::start();
    blog(&s);
    let cols = s.columns("posts");
    let fields_before = s.rows("fields");
    let p = "/api/collections/posts/fields:create";
    for (body, want) in [
        (
            json!({"name":"shape","type":"geometry"}),
            "UNKNOWN_FIELD_TYPE",
        ),
        (
            json!({"name":"thing","type":"belongsTo","target":"nope"}),
            "TARGET_NOT_FOUND",
        ),
        (json!({"name":"nopes","type":"hasMany"}), "TARGET_NOT_FOUND"),
        (json!({"name":"title","type":"string"}), "FIELD_EXISTS"),
        (json!({"name":"TITLE","type":"text"}), "FIELD_EXISTS"),
        (
            json!({"name":"categoryId","type":"integer"}),
            "FIELD_EXISTS",
        ),
        // A belongsTo whose FK name is an ordinary field.
        (
            json!({"name":"cat2","type":"belongsTo","target":"categories","foreignKey":"title"}),
            "FIELD_EXISTS",
        ),
        (json!({"type":"string"}), "INVALID_VALUE"),
        (json!({"name":"x"}), "INVALID_VALUE"),
        (json!({"name":"x y","type":"string"}), "INVALID_IDENTIFIER"),
        (json!({"name":"createdAt","type":"string"}), "RESERVED_NAME"),
        (
            json!({"name":"n","type":"integer","defaultValue":"abc"}),
            "INVALID_VALUE",
        ),
        (
            json!({"name":"n","type":"integer","allowNull":"no"}),
            "INVALID_VALUE",
        ),
        (
            json!({"name":"c2","type":"belongsTo","target":"categories","targetKey":"title"}),
            "INVALID_VALUE",
        ),
        (
            json!({"name":"c3","type":"belongsTo","target":"categories","foreignKey":"a;b"}),
            "INVALID_IDENTIFIER",
        ),
        (
            json!({"name":"t2","type":"belongsToMany","target":"users"}),
            "TARGET_NOT_FOUND",
        ),
    ] {
        let (st, c) = fails(&s, "POST", p, Some(body.clone()));
        assert_eq!((st, c.as_str()), (400, want), "{body}");
    }
    let (_, v) = s.post(&s.root(), p, json!({"name":"shape","type":"geometry"}));
    assert_eq!(message(&v), "Field type \"geometry\" is not supported");
    let (_, v) = s.post(&s.root(), p, json!({"name":"title","type":"string"}));
    assert_eq!(
        message(&v),
        "Field \"title\" already exists in collection \"posts\""
    );
    assert_eq!(s.columns("posts"), cols);
    assert_eq!(s.rows("fields"), fields_before);
    // Missing collection → 404 RECORD_NOT_FOUND.
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/nope/fields:create",
        json!({"name":"a","type":"string"}),
    );
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"));
    let (st, v) = s.get(&s.root(), "/api/collections/nope/fields:list");
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"));
    let (st, v) = s.post(
        &s.root(),
        "/api/fields:create",
        json!({"collectionName":"nope","name":"a","type":"string"}),
    );
    assert_eq!((st, code(&v)), (404, "RECORD_NOT_FOUND"));
}

#[test]
fn acceptance_15_destroy_collection_in_use() {
    let s = Server::start();
    blog(&s);
    let (st, v) = s.call(
        &s.root(),
        "POST",
        "/api/collections:destroy/categories",
        None,
    );
    assert_eq!((st, code(&v)), (400, "COLLECTION_IN_USE"));
    assert_eq!(
        message(&v),
        "Collection \"categories\" is referenced by \"posts.category\""
    );
    assert!(s.table_exists("categories"));
    assert_eq!(
        s.ok(
            "POST",
            "/api/collections/posts/fields:destroy/category",
            None
        ),
        json!(1)
    );
    assert!(
        !s.columns("posts").contains(&"categoryId".to_string()),
        "the FK column went with its only association"
    );
    assert_eq!(
        s.ok("POST", "/api/collections:destroy/categories", None),
        json!(1)
    );
    assert!(!s.table_exists("categories"));
    let (st, v) = s.get(&s.root(), "/api/categories:list");
    assert_eq!((st, code(&v)), (404, "RESOURCE_NOT_FOUND"));
    assert_eq!(
        s.ok("POST", "/api/collections:destroy/categories", None),
        json!(0)
    );
}

#[test]
fn create_with_a_bad_field_undoes_everything() {
    let s = Server::start();
    let before = (s.rows("collections"), s.rows("fields"));
    let (st, v) = s.post(
        &s.root(),
        "/api/collections:create",
        json!({"name":"things","fields":[{"name":"a","type":"string"},{"name":"b","type":"geometry"}]}),
    );
    assert_eq!((st, code(&v)), (400, "UNKNOWN_FIELD_TYPE"));
    assert!(!s.table_exists("things"));
    assert_eq!((s.rows("collections"), s.rows("fields")), before);
    let (st, _) = s.get(&s.root(), "/api/things:list");
    assert_eq!(st, 404);
    // The name is still free.
    create_collection(
        &s,
        json!({"name":"things","fields":[{"name":"a","type":"string"}]}),
    );
}

#[test]
fn collections_list_get_update() {
    let s = Server::start();
    blog(&s);
    let (st, v) = s.get(&s.root(), "/api/collections:list?appends=fields");
    assert_eq!(st, 200);
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["categories", "posts", "comments"]);
    assert_eq!(v["meta"]["count"], 3);
    assert!(v["data"][1]["fields"].is_array());
    let (_, v) = s.get(&s.root(), "/api/collections:list?pageSize=1&page=2");
    assert_eq!(v["data"][0]["name"], "posts");
    assert_eq!(
        v["meta"],
        json!({"count":3,"page":2,"pageSize":1,"totalPage":3})
    );
    assert_eq!(
        s.ok("GET", "/api/collections:get/POSTS", None)["name"],
        "posts"
    );
    assert_eq!(s.ok("GET", "/api/collections:get/nope", None), Value::Null);
    let up = s.ok(
        "POST",
        "/api/collections:update/posts",
        Some(json!({"title":"Articles","name":"posts"})),
    );
    assert_eq!(up[0]["title"], "Articles");
    assert_eq!(
        s.ok("GET", "/api/collections:get/posts", None)["title"],
        "Articles"
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/collections:update/nope",
            Some(json!({"title":"x"}))
        ),
        json!([])
    );
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections:update/posts",
            Some(json!({"name":"other"}))
        )
        .1,
        "FIELD_NOT_UPDATABLE"
    );
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections:update",
            Some(json!({"title":"x"}))
        )
        .1,
        "MISSING_PARAMETER"
    );
    assert_eq!(
        fails(&s, "POST", "/api/collections:frob", None).1,
        "ACTION_NOT_FOUND"
    );
}

#[test]
fn fields_api() {
    let s = Server::start();
    blog(&s);
    let (st, v) = s.get(
        &s.root(),
        "/api/collections/posts/fields:list?paginate=false",
    );
    assert_eq!(st, 200);
    let names: Vec<&str> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "id",
            "createdAt",
            "updatedAt",
            "createdById",
            "updatedById",
            "createdBy",
            "updatedBy",
            "title",
            "indicator",
            "categoryId",
            "category",
            "comments"
        ]
    );
    assert!(v.get("meta").is_none());
    let f = s.ok("GET", "/api/collections/posts/fields:get/title", None);
    assert_eq!(
        (
            f["type"].as_str(),
            f["allowNull"].as_bool(),
            f["unique"].as_bool()
        ),
        (Some("string"), Some(true), Some(false))
    );
    assert_eq!(
        s.ok("GET", "/api/collections/posts/fields:get/nope", None),
        Value::Null
    );
    // fields:create with collectionName.
    let f = s.ok(
        "POST",
        "/api/fields:create",
        Some(json!({"collectionName":"posts","name":"score","type":"float","defaultValue":"1.5"})),
    );
    assert_eq!(
        (f["collectionName"].as_str(), f["defaultValue"].as_f64()),
        (Some("posts"), Some(1.5))
    );
    assert!(s.columns("posts").contains(&"score".to_string()));
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/fields:create",
            Some(json!({"name":"x","type":"string"}))
        )
        .1,
        "INVALID_VALUE"
    );
    // Update: title, allowNull, defaultValue; a read-back field can be sent again.
    let up = s.ok(
        "POST",
        "/api/collections/posts/fields:update/score",
        Some(json!({"title":"Score","allowNull":false,"defaultValue":2})),
    );
    assert_eq!(
        (
            up[0]["title"].as_str(),
            up[0]["allowNull"].as_bool(),
            up[0]["defaultValue"].as_f64()
        ),
        (Some("Score"), Some(false), Some(2.0))
    );
    let again = s.ok(
        "POST",
        "/api/collections/posts/fields:update/score",
        Some(up[0].clone()),
    );
    assert_eq!(again[0], up[0]);
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections/posts/fields:update/score",
            Some(json!({"type":"string"}))
        )
        .1,
        "FIELD_NOT_UPDATABLE"
    );
    assert_eq!(
        fails(
            &s,
            "POST",
            "/api/collections/posts/fields:update/id",
            Some(json!({"title":"x"}))
        )
        .1,
        "FIELD_NOT_UPDATABLE"
    );
    assert_eq!(
        s.ok(
            "POST",
            "/api/collections/posts/fields:update/nope",
            Some(json!({"title":"x"}))
        ),
        json!([])
    );
    let p = s.ok("POST", "/api/posts:create", Some(json!({"title":"a"})));
    assert_eq!(p["score"], 2.0, "default value applied");
    let (st, v) = s.post(
        &s.root(),
        "/api/posts:create",
        json!({"title":"b","score":null}),
    );
    assert_eq!(
        (st, code(&v), message(&v)),
        (400, "CONSTRAINT_VIOLATION", "score cannot be null")
    );
    // unique: on with duplicates → 400 and nothing changes; without duplicates → enforced.
    s.ok("POST", "/api/posts:create", Some(json!({"title":"a"})));
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/posts/fields:update/title",
        json!({"unique":true}),
    );
    assert_eq!(
        (st, code(&v), message(&v)),
        (400, "CONSTRAINT_VIOLATION", "title must be unique")
    );
    assert_eq!(
        s.ok("GET", "/api/collections/posts/fields:get/title", None)["unique"],
        false
    );
    s.ok("POST", "/api/posts:update/2", Some(json!({"title":"b"})));
    s.ok(
        "POST",
        "/api/collections/posts/fields:update/title",
        Some(json!({"unique":true})),
    );
    let (_, v) = s.post(&s.root(), "/api/posts:update/2", json!({"title":"a"}));
    assert_eq!(message(&v), "title must be unique");
    s.ok(
        "POST",
        "/api/collections/posts/fields:update/title",
        Some(json!({"unique":false})),
    );
    s.ok("POST", "/api/posts:update/2", Some(json!({"title":"a"})));
}

#[test]
fn field_destroy_drops_columns_and_keeps_data() {
    let s = Server::start();
    blog(&s);
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"News"})),
    );
    for i in 1..=3 {
        s.ok(
            "POST",
            "/api/posts:create",
            Some(json!({"title": format!("p{i}"), "indicator": i, "category": 1})),
        );
    }
    s.ok(
        "POST",
        "/api/comments:create",
        Some(json!({"content":"c","postId":2})),
    );
    // Leave a gap in the ids: AUTOINCREMENT must survive the rebuild.
    s.ok("POST", "/api/posts:destroy/3", None);
    assert_eq!(
        s.ok(
            "POST",
            "/api/collections/posts/fields:destroy/indicator",
            None
        ),
        json!(1)
    );
    assert!(!s.columns("posts").contains(&"indicator".to_string()));
    let posts = s.ok("GET", "/api/posts:list", None);
    assert_eq!(posts.as_array().unwrap().len(), 2);
    assert_eq!(
        (posts[1]["title"].as_str(), posts[1]["categoryId"].as_i64()),
        (Some("p2"), Some(1))
    );
    assert!(posts[1].get("indicator").is_none());
    // The rebuild did not cascade: the comment still points at post 2.
    assert_eq!(s.ok("GET", "/api/comments:get/1", None)["postId"], 2);
    assert_eq!(
        s.ok("POST", "/api/posts:create", Some(json!({"title":"p4"})))["id"],
        4,
        "ids are not reused"
    );
    // An FK column an association still uses cannot go on its own.
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/comments/fields:destroy/postId",
        json!({}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"));
    assert_eq!(
        fails(&s, "POST", "/api/collections/posts/fields:destroy/id", None).1,
        "RESERVED_NAME"
    );
    assert_eq!(
        s.ok("POST", "/api/collections/posts/fields:destroy/nope", None),
        json!(0)
    );
    // hasMany + inverse belongsTo share comments.postId: removing one keeps the column.
    s.ok(
        "POST",
        "/api/collections/comments/fields:create",
        Some(json!({"name":"post","type":"belongsTo"})),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:destroy/comments",
        None,
    );
    assert!(s.columns("comments").contains(&"postId".to_string()));
    s.ok(
        "POST",
        "/api/collections/comments/fields:destroy/post",
        None,
    );
    assert!(!s.columns("comments").contains(&"postId".to_string()));
    assert_eq!(s.ok("GET", "/api/comments:get/1", None)["content"], "c");
    // Unique fields (indexed) are dropped the same way.
    s.ok(
        "POST",
        "/api/collections/categories/fields:create",
        Some(json!({"name":"code","type":"string","unique":true})),
    );
    s.ok(
        "POST",
        "/api/collections/categories/fields:destroy/code",
        None,
    );
    assert!(!s.columns("categories").contains(&"code".to_string()));
}

#[test]
fn destroy_collection_drops_through_tables_and_fk_columns_elsewhere() {
    let s = Server::start();
    blog(&s);
    create_collection(
        &s,
        json!({"name":"tags","fields":[{"name":"name","type":"string"}]}),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"tags","type":"belongsToMany"})),
    );
    s.ok(
        "POST",
        "/api/collections/posts/fields:create",
        Some(json!({"name":"detail","type":"hasOne","target":"categories"})),
    );
    assert!(s.columns("categories").contains(&"postId".to_string()));
    // posts is targeted by nobody else; tags is targeted by posts.tags.
    let (st, v) = s.call(&s.root(), "DELETE", "/api/collections/tags", None);
    assert_eq!((st, code(&v)), (400, "COLLECTION_IN_USE"));
    s.ok(
        "POST",
        "/api/categories:create",
        Some(json!({"title":"kept"})),
    );
    s.ok(
        "POST",
        "/api/posts:create",
        Some(json!({"title":"p","category":1})),
    );
    let (st, v) = s.call(
        &s.root(),
        "POST",
        "/api/collections:destroy/categories",
        None,
    );
    assert_eq!((st, code(&v)), (400, "COLLECTION_IN_USE"));
    s.ok(
        "POST",
        "/api/collections/posts/fields:destroy/category",
        None,
    );
    assert_eq!(
        s.ok("POST", "/api/collections:destroy/posts", None),
        json!(1)
    );
    assert!(!s.table_exists("posts") && !s.table_exists("postsTags"));
    assert!(!s.columns("comments").contains(&"postId".to_string()));
    assert!(!s.columns("categories").contains(&"postId".to_string()));
    assert_eq!(s.ok("GET", "/api/categories:get/1", None)["title"], "kept");
    let comments = s.ok("GET", "/api/collections:get/comments", None);
    assert!(
        field(&comments, "postId").is_null(),
        "the FK field row went too"
    );
    // Nothing refers to tags any more.
    s.ok("POST", "/api/collections:destroy/tags", None);
}

#[test]
fn self_reference_and_users_target() {
    let s = Server::start();
    create_collection(
        &s,
        json!({"name":"nodes","fields":[{"name":"label","type":"string"},
            {"name":"parent","type":"belongsTo","target":"nodes"},
            {"name":"children","type":"hasMany","target":"nodes","foreignKey":"parentId"},
            {"name":"owner","type":"belongsTo","target":"users"}]}),
    );
    let cols = s.columns("nodes");
    assert_eq!(cols.iter().filter(|c| *c == "parentId").count(), 1);
    s.ok(
        "POST",
        "/api/nodes:create",
        Some(json!({"label":"root","owner":1})),
    );
    s.ok(
        "POST",
        "/api/nodes:create",
        Some(json!({"label":"kid","parent":1})),
    );
    let r = s.ok(
        "GET",
        "/api/nodes:get/1?appends=children,owner,createdBy",
        None,
    );
    assert_eq!(r["children"][0]["label"], "kid");
    assert_eq!(r["owner"]["username"], "admin");
    assert!(r["owner"].get("password").is_none());
    assert_eq!(r["createdBy"]["id"], 1);
    // A self btm needs distinct keys.
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/nodes/fields:create",
        json!({"name":"links","type":"belongsToMany","target":"nodes"}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"));
    s.ok(
        "POST",
        "/api/collections/nodes/fields:create",
        Some(json!({"name":"links","type":"belongsToMany","target":"nodes","otherKey":"linkId"})),
    );
    assert!(s.table_exists("nodesNodes"));
}

#[test]
fn registry_survives_restart() {
    let mut s = Server::start();
    blog(&s);
    s.ok("POST", "/api/posts:create", Some(json!({"title":"kept"})));
    assert_eq!(s.stop(), 0);
    let s2 = s.restart_builder().start();
    let posts = s2.ok("GET", "/api/collections:get/posts", None);
    assert_eq!(field(&posts, "category")["foreignKey"], "categoryId");
    assert_eq!(
        s2.ok("GET", "/api/posts:get/1?appends=comments,category", None)["title"],
        "kept"
    );
}

#[test]
fn management_needs_pm_snippet() {
    let s = Server::start();
    let member = s.user("m1", &["member"]);
    let (st, v) = s.post(&member, "/api/collections:create", json!({"name":"x"}));
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    assert!(!s.table_exists("x"));
    // Reading the definitions is any signed-in caller's (NocoBase's client needs them); changing them is not.
    let (st, _) = s.get(&member, "/api/collections:list");
    assert_eq!(st, 200);
    let (st, v) = s.get(&member, "/api/collections:get/x");
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"));
    let admin = s.user("a1", &["admin"]);
    let (st, _) = s.post(&admin, "/api/collections:create", json!({"name":"x"}));
    assert_eq!(st, 200);
}

/// Issue 12: `index: true` on a field creates a plain index (NocoBase's field option), kept through a
/// rebuild and a restart, toggled by `fields:update`; a list filtered and sorted on the field uses it.
#[test]
fn index_option_creates_and_drops_the_index() {
    let mut s = Server::start();
    let c = create_collection(
        &s,
        json!({"name": "samples", "fields": [
        {"name": "indicator", "type": "integer", "index": true},
        {"name": "code", "type": "string", "index": true, "unique": true},
        {"name": "note", "type": "string"}]}),
    );
    assert_eq!(field(&c, "indicator")["index"], true);
    let indexes = |s: &Server| -> Vec<String> {
        let db = s.open_db();
        let mut st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'samples' AND name LIKE 'fg_%' AND name NOT LIKE 'fg_fk:%' ORDER BY name").unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(
        indexes(&s),
        ["fg_ix:samples.indicator", "fg_uq:samples.code"],
        "unique wins over index"
    );
    let plan: String = s
        .open_db()
        .query_row("EXPLAIN QUERY PLAN SELECT * FROM samples t0 WHERE t0.indicator >= 5 ORDER BY t0.indicator DESC LIMIT 20", [], |r| r.get(3))
        .unwrap();
    assert!(plan.contains("fg_ix:samples.indicator"), "{plan}");

    // Dropping another column rebuilds the table; the index comes back with it, and survives a restart.
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/samples/fields:destroy?filterByTk=note",
        json!({}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        indexes(&s),
        ["fg_ix:samples.indicator", "fg_uq:samples.code"]
    );
    assert_eq!(s.stop(), 0);
    let s = s.restart_builder().start();
    let got = s.ok(
        "GET",
        "/api/collections/samples/fields:get?filterByTk=indicator",
        None,
    );
    assert_eq!(got["index"], true);

    let (st, v) = s.post(
        &s.root(),
        "/api/collections/samples/fields:update?filterByTk=indicator",
        json!({"index": false}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(indexes(&s), ["fg_uq:samples.code"]);
    assert!(v["data"].get("index").is_none(), "{v}");
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/samples/fields:update?filterByTk=indicator",
        json!({"index": "yes"}),
    );
    assert_eq!(
        (st, code(&v), v["errors"][0]["field"].clone()),
        (400, "INVALID_VALUE", json!("index")),
        "{v}"
    );
    assert_eq!(
        indexes(&s),
        ["fg_uq:samples.code"],
        "a refused update changes nothing"
    );
    s.ok(
        "POST",
        "/api/collections/samples/fields:update?filterByTk=indicator",
        Some(json!({"index": true})),
    );
    assert_eq!(
        indexes(&s),
        ["fg_ix:samples.indicator", "fg_uq:samples.code"]
    );
    let (st, v) = s.post(
        &s.root(),
        "/api/collections/samples/fields:create",
        json!({"name": "other", "type": "integer", "index": 1}),
    );
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{v}");
}
