//! Issue 11 ("No crack under hostile input or abuse"), the ACL points: association values and appends
//! pass the target's ACL, wrong types are refused instead of read as false, and writes never answer GET.
mod common;
use common::*;

/// A query value, percent-encoded.
fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn samples(s: &Server) {
    let (st, v) = s.post(
        &s.root(),
        "/api/collections:create",
        json!({"name": "samples", "fields": [{"name": "title", "type": "string"}]}),
    );
    assert_eq!(st, 200, "{v}");
    for t in ["a", "b", "c"] {
        let (st, v) = s.post(&s.root(), "/api/samples:create", json!({"title": t}));
        assert_eq!(st, 200, "{v}");
    }
}

#[track_caller]
fn assert_405(r: &Resp, what: &str) {
    assert_eq!(r.status, 405, "{what}: {}", r.text);
    assert_eq!(code(&r.body), "METHOD_NOT_ALLOWED", "{what}: {}", r.text);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("POST"),
        "{what}: {}",
        r.text
    );
    assert_eq!(r.header("Allow"), Some("POST"), "{what}");
}

/// Point 12: `GET /api/samples:destroy/3?token=…` must not delete; write actions answer 405 to GET and
/// HEAD with `Allow: POST`, reads keep GET, and POST still writes.
#[test]
fn writes_refuse_get_and_head() {
    let s = Server::start();
    samples(&s);
    let root = s.root();
    for method in ["GET", "HEAD"] {
        for path in [
            format!("/api/samples:destroy/3?token={root}"),
            format!("/api/samples:update/3?token={root}"),
            format!("/api/samples:create?token={root}"),
            format!("/api/samples:trigger/3?triggerWorkflows=x&token={root}"),
            format!("/api/roles:destroy/member?token={root}"),
            format!("/api/users:create?token={root}"),
            format!("/api/auth:signOut?token={root}"),
            "/api/auth:signIn?account=root&password=x".to_string(),
        ] {
            let r = s.req(method, &path).raw(b"");
            if method == "HEAD" {
                assert_eq!(
                    (r.status, r.header("Allow")),
                    (405, Some("POST")),
                    "HEAD {path}"
                );
            } else {
                assert_405(&r, &path);
            }
        }
    }
    assert_eq!(s.rows("samples"), 3, "nothing deleted");
    let (st, v) = s.get(&root, "/api/samples:get/3");
    assert_eq!((st, &v["data"]["title"]), (200, &json!("c")), "{v}");
    // The token still works: signOut through GET did nothing.
    for path in [
        "/api/samples:list",
        "/api/samples:get/1",
        "/api/auth:check",
        "/api/roles:check",
        "/api/collections:listMeta",
        "/api/samples",
    ] {
        let (st, v) = s.get(&root, path);
        assert_eq!(st, 200, "GET {path}: {v}");
    }
    // POST still writes; DELETE on the method-only form too.
    let (st, v) = s.call(&root, "POST", "/api/samples:destroy/3", None);
    assert_eq!((st, &v["data"]), (200, &json!(1)), "{v}");
    let (st, v) = s.call(&root, "DELETE", "/api/samples/2", None);
    assert_eq!((st, &v["data"]), (200, &json!(1)), "{v}");
    assert_eq!(s.rows("samples"), 1);
}

/// The fixture of points 9 and 10: `categories {title, posts}`, `comments {content}`, `tags {name}`,
/// `details {summary}`, `posts {title, category, comments, tags, detail}`, and role `author`: create,
/// view own, update own on posts; view own on categories and tags; nothing on comments and details.
struct Fx {
    s: Server,
    root: String,
    m: String,
}

impl Fx {
    fn new() -> Fx {
        let s = Server::start();
        let root = s.root();
        for body in [
            json!({"name": "categories", "fields": [{"name": "title", "type": "string"}]}),
            json!({"name": "comments", "fields": [{"name": "content", "type": "string"}]}),
            json!({"name": "tags", "fields": [{"name": "name", "type": "string"}]}),
            json!({"name": "details", "fields": [{"name": "summary", "type": "string"}]}),
            json!({"name": "posts", "fields": [{"name": "title", "type": "string"}, {"name": "category", "type": "belongsTo"},
                {"name": "comments", "type": "hasMany"}, {"name": "tags", "type": "belongsToMany"},
                {"name": "detail", "type": "hasOne", "target": "details"}]}),
        ] {
            let (st, v) = s.post(&root, "/api/collections:create", body);
            assert_eq!(st, 200, "{v}");
        }
        let (st, v) = s.post(
            &root,
            "/api/collections/categories/fields:create",
            json!({"name": "posts", "type": "hasMany", "foreignKey": "categoryId"}),
        );
        assert_eq!(st, 200, "{v}");
        let (st, v) = s.post(
            &root,
            "/api/roles:create",
            json!({"name": "author", "strategy": {"actions": []}}),
        );
        assert_eq!(st, 200, "{v}");
        for (name, actions) in [
            (
                "posts",
                json!([{"name": "create"}, {"name": "view", "scope": "own"}, {"name": "update", "scope": "own"}]),
            ),
            (
                "categories",
                json!([{"name": "view", "scope": "own"}, {"name": "create"}]),
            ),
            (
                "tags",
                json!([{"name": "view", "scope": "own"}, {"name": "create"}]),
            ),
            ("comments", json!([])),
            ("details", json!([])),
        ] {
            let (st, v) = s.post(
                &root,
                "/api/roles/author/resources:create",
                json!({"name": name, "usingActionsConfig": true, "actions": actions}),
            );
            assert_eq!(st, 200, "{v}");
        }
        let m = s.user("m", &["author"]);
        Fx { s, root, m }
    }

    fn make(&self, token: &str, coll: &str, body: Value) -> i64 {
        let (st, v) = self.s.post(token, &format!("/api/{coll}:create"), body);
        assert_eq!(st, 200, "{coll}:create: {v}");
        v["data"]["id"].as_i64().unwrap()
    }

    /// One stored value, read as root.
    fn stored(&self, coll: &str, id: i64, key: &str) -> Value {
        let (st, v) = self.s.get(&self.root, &format!("/api/{coll}:get/{id}"));
        assert_eq!(st, 200, "{v}");
        v["data"][key].clone()
    }

    fn linked_tags(&self, post: i64) -> Vec<i64> {
        let (_, v) = self
            .s
            .get(&self.root, &format!("/api/posts/{post}/tags:list?sort=id"));
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect()
    }
}

#[track_caller]
fn denied_naming(got: (u16, Value), association: &str, collection: &str) {
    let (st, v) = got;
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{v}");
    let msg = v["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains(&format!("\"{association}\"")) && msg.contains(&format!("\"{collection}\"")),
        "{msg}"
    );
    assert_eq!(v["errors"][0]["field"], association, "{v}");
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// Point 9: association values pass the target's ACL. A member with `create` on posts and no right on
/// comments can no longer move root's comment onto its post or detach others' comments from it;
/// belongsTo, belongsToMany and hasOne values are checked likewise; data stays untouched on refusal.
#[test]
fn association_values_pass_the_targets_acl() {
    let fx = Fx::new();
    let (s, root, m) = (&fx.s, fx.root.as_str(), fx.m.as_str());
    let secret = fx.make(root, "categories", json!({"title": "secret"}));
    let root_tag = fx.make(root, "tags", json!({"name": "root tag"}));
    let root_detail = fx.make(root, "details", json!({"summary": "root detail"}));
    let root_post = fx.make(root, "posts", json!({"title": "root post"}));
    let c1 = fx.make(
        root,
        "comments",
        json!({"content": "root comment", "postId": root_post}),
    );
    let mine = fx.make(m, "posts", json!({"title": "mine"}));
    let my_cat = fx.make(m, "categories", json!({"title": "my category"}));
    let my_tag = fx.make(m, "tags", json!({"name": "my tag"}));
    // Root puts its comment 2 on the member's post.
    let c2 = fx.make(
        root,
        "comments",
        json!({"content": "root on mine", "postId": mine}),
    );
    let posts_before = s.rows("posts");

    // hasMany: moving root's comment onto a new post; detaching root's comment from the member's post.
    denied_naming(
        s.post(
            m,
            "/api/posts:create",
            json!({"title": "x", "comments": [c1]}),
        ),
        "comments",
        "comments",
    );
    assert_eq!(s.rows("posts"), posts_before, "no post created");
    assert_eq!(
        fx.stored("comments", c1, "postId"),
        json!(root_post),
        "comment stays on root's post"
    );
    denied_naming(
        s.post(
            m,
            &format!("/api/posts:update/{mine}"),
            json!({"comments": []}),
        ),
        "comments",
        "comments",
    );
    denied_naming(
        s.post(
            m,
            &format!("/api/posts:update/{mine}"),
            json!({"title": "renamed", "comments": [c1, c2]}),
        ),
        "comments",
        "comments",
    );
    assert_eq!(
        fx.stored("comments", c2, "postId"),
        json!(mine),
        "comment 2 still attached"
    );
    assert_eq!(
        fx.stored("posts", mine, "title"),
        json!("mine"),
        "title untouched"
    );
    let (st, v) = s.post(
        m,
        &format!("/api/comments:update/{c1}"),
        json!({"content": "x"}),
    );
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{v}");
    // Sending the comments as stored asks nothing more.
    let (st, v) = s.post(
        m,
        &format!("/api/posts:update/{mine}"),
        json!({"title": "same comments", "comments": [c2]}),
    );
    assert_eq!(st, 200, "{v}");

    // belongsTo: a category the member cannot see (by association or by the FK column); its own is fine.
    denied_naming(
        s.post(
            m,
            "/api/posts:create",
            json!({"title": "y", "category": secret}),
        ),
        "category",
        "categories",
    );
    denied_naming(
        s.post(
            m,
            "/api/posts:create",
            json!({"title": "y", "categoryId": secret}),
        ),
        "category",
        "categories",
    );
    denied_naming(
        s.post(
            m,
            &format!("/api/posts:update/{mine}"),
            json!({"category": {"id": secret}}),
        ),
        "category",
        "categories",
    );
    assert_eq!(s.rows("posts"), posts_before);
    assert_eq!(fx.stored("posts", mine, "categoryId"), Value::Null);
    let (st, v) = s.post(
        m,
        &format!("/api/posts:update/{mine}"),
        json!({"category": my_cat}),
    );
    assert_eq!(
        (st, &v["data"][0]["categoryId"]),
        (200, &json!(my_cat)),
        "{v}"
    );
    // A value root set and the member sends back unchanged passes; clearing it needs no right on the target.
    s.ok(
        "POST",
        &format!("/api/posts:update/{mine}"),
        Some(json!({"category": secret})),
    );
    let (st, v) = s.post(
        m,
        &format!("/api/posts:update/{mine}"),
        json!({"title": "kept", "categoryId": secret}),
    );
    assert_eq!(st, 200, "{v}");
    let (st, v) = s.post(
        m,
        &format!("/api/posts:update/{mine}"),
        json!({"category": null}),
    );
    assert_eq!(
        (st, &v["data"][0]["categoryId"]),
        (200, &Value::Null),
        "{v}"
    );

    // belongsToMany: linking a tag the member cannot see is refused; its own tag links.
    denied_naming(
        s.post(
            m,
            &format!("/api/posts:update/{mine}"),
            json!({"tags": [my_tag, root_tag]}),
        ),
        "tags",
        "tags",
    );
    denied_naming(
        s.post(
            m,
            "/api/posts:create",
            json!({"title": "z", "tags": [root_tag]}),
        ),
        "tags",
        "tags",
    );
    assert_eq!(fx.linked_tags(mine), Vec::<i64>::new());
    let (st, v) = s.post(
        m,
        &format!("/api/posts:update/{mine}"),
        json!({"tags": [my_tag]}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(fx.linked_tags(mine), vec![my_tag]);

    // hasOne: attaching a detail needs update on details.
    denied_naming(
        s.post(
            m,
            &format!("/api/posts:update/{mine}"),
            json!({"detail": root_detail}),
        ),
        "detail",
        "details",
    );
    assert_eq!(fx.stored("details", root_detail, "postId"), Value::Null);

    // Through an association resource too: the values of categories/<mine>/posts pass the same checks.
    s.ok(
        "POST",
        &format!("/api/posts:update/{mine}"),
        Some(json!({"category": my_cat})),
    );
    denied_naming(
        s.post(
            m,
            &format!("/api/categories/{my_cat}/posts:update/{mine}"),
            json!({"comments": []}),
        ),
        "comments",
        "comments",
    );
    assert_eq!(s.rows("posts"), posts_before);
    assert_eq!(fx.stored("comments", c2, "postId"), json!(mine));

    // Root is not limited.
    let (st, v) = s.post(
        root,
        "/api/posts:create",
        json!({"title": "root moves", "comments": [c1], "tags": [my_tag], "category": my_cat}),
    );
    assert_eq!(st, 200, "{v}");
}

/// Point 10: appends and filters through associations respect the target's view scope.
#[test]
fn appends_and_filters_respect_the_targets_scope() {
    let fx = Fx::new();
    let (s, root, m) = (&fx.s, fx.root.as_str(), fx.m.as_str());
    let secret = fx.make(root, "categories", json!({"title": "secret"}));
    let root_tag = fx.make(root, "tags", json!({"name": "root tag"}));
    let my_cat = fx.make(m, "categories", json!({"title": "my category"}));
    let my_tag = fx.make(m, "tags", json!({"name": "my tag"}));
    let mine = fx.make(m, "posts", json!({"title": "mine", "tags": [my_tag]}));
    let mine2 = fx.make(m, "posts", json!({"title": "mine too", "category": my_cat}));
    // Root links its rows to the member's posts, and puts its own post in the member's category.
    s.ok(
        "POST",
        &format!("/api/posts:update/{mine}"),
        Some(json!({"category": secret, "tags": [my_tag, root_tag]})),
    );
    fx.make(
        root,
        "comments",
        json!({"content": "root comment", "postId": mine}),
    );
    let root_post = fx.make(
        root,
        "posts",
        json!({"title": "root post", "category": my_cat}),
    );

    // to-one: root's category reads as null, as categories:get does.
    assert_eq!(
        s.get(m, &format!("/api/categories:get/{secret}")),
        (200, json!({"data": null}))
    );
    let (st, v) = s.get(m, &format!("/api/posts:get/{mine}?appends=category"));
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["data"]["title"], &v["data"]["category"]),
        (&json!("mine"), &Value::Null),
        "{v}"
    );
    let (_, v) = s.get(m, &format!("/api/posts:get/{mine2}?appends=category"));
    assert_eq!(v["data"]["category"]["title"], "my category", "{v}");
    // to-many: only the member's own tags; comments (no view right) are left out.
    let (_, v) = s.get(m, &format!("/api/posts:get/{mine}?appends=tags,comments"));
    assert_eq!(ids(&v["data"]["tags"]), vec![my_tag], "{v}");
    assert!(
        v["data"].get("comments").is_none(),
        "an append the role may not view is left out: {v}"
    );
    let (_, v) = s.get(m, &format!("/api/posts:get/{mine}?fields=id,comments"));
    assert!(v["data"].get("comments").is_none(), "{v}");
    // Nested: the category's posts are the member's own only (root's post in its category is hidden).
    let (_, v) = s.get(m, &format!("/api/posts:get/{mine2}?appends=category.posts"));
    assert_eq!(ids(&v["data"]["category"]["posts"]), vec![mine2], "{v}");
    let (_, v) = s.get(
        root,
        &format!("/api/posts:get/{mine2}?appends=category.posts"),
    );
    assert_eq!(
        ids(&v["data"]["category"]["posts"]),
        vec![mine2, root_post],
        "root sees all: {v}"
    );
    let (_, v) = s.get(m, "/api/posts:list?appends=category,tags&sort=id");
    assert_eq!(ids(&v["data"]), vec![mine, mine2]);
    assert_eq!(v["data"][0]["category"], Value::Null, "{v}");
    assert_eq!(ids(&v["data"][0]["tags"]), vec![my_tag]);

    // Filters: no yes/no oracle on root's category title or tag name.
    let filtered = |f: Value| {
        let (st, v) = s.get(
            m,
            &format!("/api/posts:list?filter={}", enc(&f.to_string())),
        );
        assert_eq!(st, 200, "{f}: {v}");
        ids(&v["data"])
    };
    assert_eq!(
        filtered(json!({"category.title": "secret"})),
        Vec::<i64>::new()
    );
    assert_eq!(
        filtered(json!({"category.title": {"$eq": "other"}})),
        Vec::<i64>::new()
    );
    assert_eq!(
        filtered(json!({"category": {"title": {"$like": "sec%"}}})),
        Vec::<i64>::new()
    );
    assert_eq!(
        filtered(json!({"category.title": "my category"})),
        vec![mine2]
    );
    assert_eq!(
        filtered(json!({"tags.name": "root tag"})),
        Vec::<i64>::new()
    );
    assert_eq!(filtered(json!({"tags.name": "my tag"})), vec![mine]);
    assert_eq!(
        filtered(json!({"category": {"$exists": true}})),
        vec![mine2],
        "a hidden category counts as none"
    );
    assert_eq!(
        filtered(json!({"category.posts.title": "root post"})),
        Vec::<i64>::new()
    );
    // A filter through a target the role may not view at all is refused.
    for f in [
        json!({"comments.content": "root comment"}),
        json!({"comments": {"$exists": true}}),
        json!({"detail.summary": "x"}),
    ] {
        let (st, v) = s.get(
            m,
            &format!("/api/posts:list?filter={}", enc(&f.to_string())),
        );
        assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{f}: {v}");
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("may not view"),
            "{v}"
        );
    }
    // Writes filtered through an association follow the same rule.
    let (st, v) = s.post(
        m,
        &format!(
            "/api/posts:update?filter={}",
            enc(&json!({"category.title": "secret"}).to_string())
        ),
        json!({"title": "hit"}),
    );
    assert_eq!((st, &v["data"]), (200, &json!([])), "{v}");
    assert_eq!(fx.stored("posts", mine, "title"), json!("mine"));

    // Association resources: the target's scope and rights hold there too.
    let (_, v) = s.get(m, &format!("/api/posts/{mine}/tags:list"));
    assert_eq!(ids(&v["data"]), vec![my_tag], "{v}");
    assert_eq!(
        s.get(m, &format!("/api/posts/{mine}/category:get")),
        (200, json!({"data": null}))
    );
    let (st, v) = s.get(m, &format!("/api/posts/{mine}/comments:list"));
    assert_eq!((st, code(&v)), (403, "NO_PERMISSIONS"), "{v}");
    let (_, v) = s.get(
        m,
        &format!("/api/categories/{my_cat}/posts:list?appends=tags"),
    );
    assert_eq!(ids(&v["data"]), vec![mine2], "{v}");

    // X-With-ACL-Meta: the appended rows are scoped as without it.
    let (st, v) = s
        .req("GET", "/api/posts:list?appends=category,tags&sort=id")
        .bearer(m)
        .header("X-With-ACL-Meta", "true")
        .send();
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["data"][0]["category"], Value::Null, "{v}");
    assert_eq!(ids(&v["data"][0]["tags"]), vec![my_tag]);
    assert_eq!(
        v["meta"]["allowedActions"]["update"],
        json!([mine, mine2]),
        "{v}"
    );

    // Root still sees everything.
    let (_, v) = s.get(
        root,
        &format!("/api/posts:get/{mine}?appends=category,tags,comments"),
    );
    assert_eq!(v["data"]["category"]["title"], "secret");
    assert_eq!(ids(&v["data"]["tags"]), vec![root_tag, my_tag]);
    assert_eq!(v["data"]["comments"].as_array().map(Vec::len), Some(1));
}

#[track_caller]
fn wrong_type(got: (u16, Value), field: &str, expected: &str) {
    let (st, v) = got;
    assert_eq!((st, code(&v)), (400, "INVALID_VALUE"), "{field}: {v}");
    assert_eq!(v["errors"][0]["field"], field, "{v}");
    let msg = v["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains(&format!("\"{field}\"")) && msg.contains(expected),
        "{field}: {msg}"
    );
}

/// Point 11: a body field of the wrong type is `400 INVALID_VALUE` naming the field and the expected
/// type, with nothing stored; it is never read as false, empty or the default. `null` stays accepted
/// where NocoBase accepts it.
#[test]
fn wrong_types_are_refused_not_read_as_false() {
    let s = Server::start();
    samples(&s);
    let root = s.root();
    let m = s.user("m", &["member"]);
    // The deny-all config of the report: "true" is not true.
    let configs = |s: &Server| {
        s.get(&root, "/api/roles/member/resources:list").1["data"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = configs(&s);
    wrong_type(
        s.post(
            &root,
            "/api/roles/member/resources:create",
            json!({"name": "samples", "usingActionsConfig": "true", "actions": []}),
        ),
        "usingActionsConfig",
        "boolean",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles/member/resources:create",
            json!({"name": 7, "usingActionsConfig": true}),
        ),
        "name",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles/member/resources:create",
            json!({"name": "samples", "usingActionsConfig": true, "actions": [{"name": 1}]}),
        ),
        "name",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles/member/resources:create",
            json!({"name": "samples", "actions": "view"}),
        ),
        "actions",
        "array",
    );
    assert_eq!(configs(&s), before, "no config stored");
    let cfg = s.ok(
        "POST",
        "/api/roles/member/resources:create",
        Some(json!({"name": "samples", "usingActionsConfig": true, "actions": []})),
    );
    let id = cfg["id"].as_i64().unwrap();
    let (st, v) = s.get(&m, "/api/samples:list");
    assert_eq!(
        (st, code(&v)),
        (403, "NO_PERMISSIONS"),
        "deny-all denies: {v}"
    );
    wrong_type(
        s.post(
            &root,
            &format!("/api/roles/member/resources:update/{id}"),
            json!({"usingActionsConfig": 0}),
        ),
        "usingActionsConfig",
        "boolean",
    );
    wrong_type(
        s.post(
            &root,
            &format!("/api/roles/member/resources:update/{id}"),
            json!({"name": ["samples"]}),
        ),
        "name",
        "string",
    );
    assert_eq!(
        s.get(&root, &format!("/api/roles/member/resources:get/{id}"))
            .1["data"]["usingActionsConfig"],
        true
    );
    // null is accepted where NocoBase accepts it (no change).
    let (st, v) = s.post(
        &root,
        &format!("/api/roles/member/resources:update/{id}"),
        json!({"name": "samples", "usingActionsConfig": null}),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        s.get(&root, &format!("/api/roles/member/resources:get/{id}"))
            .1["data"]["usingActionsConfig"],
        true
    );

    // Roles: a non-object strategy, a non-boolean default, a non-string title or name.
    let roles = || s.rows("roles");
    let n = roles();
    wrong_type(
        s.post(
            &root,
            "/api/roles:create",
            json!({"name": "r1", "strategy": "all"}),
        ),
        "strategy",
        "object",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles:create",
            json!({"name": "r1", "strategy": {"actions": "view"}}),
        ),
        "strategy.actions",
        "array",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles:create",
            json!({"name": "r1", "default": "yes"}),
        ),
        "default",
        "boolean",
    );
    wrong_type(
        s.post(
            &root,
            "/api/roles:create",
            json!({"name": "r1", "title": 5}),
        ),
        "title",
        "string",
    );
    wrong_type(
        s.post(&root, "/api/roles:create", json!({"name": 5})),
        "name",
        "string",
    );
    assert_eq!(roles(), n, "no role stored");
    let (st, v) = s.post(
        &root,
        "/api/roles:create",
        json!({"name": "r1", "title": null, "strategy": null, "default": null}),
    );
    assert_eq!((st, &v["data"]["default"]), (200, &json!(false)), "{v}");
    wrong_type(
        s.post(&root, "/api/roles:update/r1", json!({"strategy": ["view"]})),
        "strategy",
        "object",
    );
    wrong_type(
        s.post(&root, "/api/roles:update/r1", json!({"default": 1})),
        "default",
        "boolean",
    );
    wrong_type(
        s.post(&root, "/api/roles:update/r1", json!({"title": {"en": "x"}})),
        "title",
        "string",
    );
    let (_, v) = s.get(&root, "/api/roles:get/r1");
    assert_eq!(
        (&v["data"]["title"], &v["data"]["default"]),
        (&json!("r1"), &json!(false)),
        "{v}"
    );

    // Users and API keys.
    let users = s.rows("users");
    wrong_type(
        s.post(
            &root,
            "/api/users:create",
            json!({"username": "u9", "password": 12345678}),
        ),
        "password",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/users:create",
            json!({"username": ["u9"], "password": "long-enough-1"}),
        ),
        "username",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/users:create",
            json!({"username": "u9", "password": "long-enough-1", "roles": "member"}),
        ),
        "roles",
        "array",
    );
    assert_eq!(s.rows("users"), users);
    wrong_type(
        s.post(&root, "/api/users:update/1", json!({"password": true})),
        "password",
        "string",
    );
    let keys = s.rows("tokens");
    wrong_type(
        s.post(
            &root,
            "/api/apiKeys:create",
            json!({"name": 1, "role": "root", "expiresIn": "1d"}),
        ),
        "name",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/apiKeys:create",
            json!({"name": "k", "role": 1, "expiresIn": "1d"}),
        ),
        "role",
        "role name",
    );
    assert_eq!(s.rows("tokens"), keys);

    // Workflows and nodes: a non-string title, a non-boolean enabled.
    let wf = s.ok(
        "POST",
        "/api/workflows:create",
        Some(json!({"title": "w", "type": "custom-action"})),
    );
    let wid = wf["id"].as_i64().unwrap();
    let workflows = s.rows("workflows");
    wrong_type(
        s.post(
            &root,
            "/api/workflows:create",
            json!({"title": 1, "type": "custom-action"}),
        ),
        "title",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            "/api/workflows:create",
            json!({"title": "w", "description": [], "type": "custom-action"}),
        ),
        "description",
        "string",
    );
    assert_eq!(s.rows("workflows"), workflows);
    wrong_type(
        s.post(
            &root,
            &format!("/api/workflows:update/{wid}"),
            json!({"title": false}),
        ),
        "title",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            &format!("/api/workflows:revision/{wid}"),
            json!({"title": 2}),
        ),
        "title",
        "string",
    );
    wrong_type(
        s.post(
            &root,
            &format!("/api/workflows:revision/{wid}"),
            json!({"enabled": "true"}),
        ),
        "enabled",
        "boolean",
    );
    assert_eq!(s.rows("workflows"), workflows);
    assert_eq!(
        s.ok("GET", &format!("/api/workflows:get/{wid}"), None)["title"],
        "w"
    );
    // null clears a description, as in NocoBase.
    let (st, v) = s.post(
        &root,
        &format!("/api/workflows:update/{wid}"),
        json!({"description": null}),
    );
    assert_eq!(st, 200, "{v}");
    let node = s.ok("POST", &format!("/api/workflows/{wid}/nodes:create"), Some(json!({"type": "calculation", "title": "n", "config": {"engine": "math.js", "expression": "1"}})));
    let nid = node["id"].as_i64().unwrap();
    wrong_type(s.post(&root, &format!("/api/workflows/{wid}/nodes:create"), json!({"type": "calculation", "title": 3, "config": {"engine": "math.js", "expression": "1"}})), "title", "string");
    wrong_type(
        s.post(
            &root,
            &format!("/api/flow_nodes:update/{nid}"),
            json!({"title": 3}),
        ),
        "title",
        "string",
    );
    assert_eq!(
        s.ok("GET", &format!("/api/flow_nodes:get/{nid}"), None)["title"],
        "n"
    );

    // Collections and fields: already typed; the same envelope with `field`.
    wrong_type(
        s.post(
            &root,
            "/api/collections/samples/fields:create",
            json!({"name": "flag", "type": "boolean", "unique": "yes"}),
        ),
        "unique",
        "boolean",
    );
    assert!(!s.columns("samples").contains(&"flag".to_string()));
}
