//! Identifier rules, reserved names and the deterministic naming of association keys (collections.md §1, §5).

use crate::error::{bad, Code, Result};

/// `^[A-Za-z_][A-Za-z0-9_]{0,62}$`
pub fn is_identifier(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

pub fn check_identifier(name: &str) -> Result<()> {
    if !is_identifier(name) {
        return Err(bad(
            Code::InvalidIdentifier,
            format!("Invalid name \"{name}\": must match ^[A-Za-z_][A-Za-z0-9_]{{0,62}}$"),
        ));
    }
    Ok(())
}

const RESERVED_COLLECTIONS: [&str; 13] = [
    "auth",
    "users",
    "roles",
    "apiKeys",
    "collections",
    "fields",
    "workflows",
    "flow_nodes",
    "executions",
    "jobs",
    "health",
    "tokens",
    "idempotency_keys",
];

pub const SYSTEM_FIELDS: [&str; 7] = [
    "id",
    "createdAt",
    "updatedAt",
    "createdById",
    "updatedById",
    "createdBy",
    "updatedBy",
];

/// Reserved as a collection name (case-insensitive, as SQLite table names are).
pub fn is_reserved_collection(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    RESERVED_COLLECTIONS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(name))
        || lower.starts_with("sqlite_")
        || lower.starts_with("fg_")
}

pub fn is_reserved_field(name: &str) -> bool {
    SYSTEM_FIELDS.iter().any(|r| r.eq_ignore_ascii_case(name))
}

pub fn reserved(name: &str) -> crate::error::Error {
    bad(Code::ReservedName, format!("Name \"{name}\" is reserved"))
}

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

/// consonant + y → ies; s, x, z, ch, sh → +es; else +s.
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = name.strip_suffix('y').or_else(|| name.strip_suffix('Y')) {
        if stem
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphabetic() && !is_vowel(c))
        {
            return format!("{stem}ies");
        }
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return format!("{name}es");
    }
    format!("{name}s")
}

/// ies → y; ses, xes, zes, ches, shes → drop es; final s (not ss) dropped.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") {
        return format!("{}y", &name[..name.len() - 3]);
    }
    if ["ses", "xes", "zes", "ches", "shes"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return name[..name.len() - 2].to_string();
    }
    if lower.ends_with('s') && !lower.ends_with("ss") {
        return name[..name.len() - 1].to_string();
    }
    name.to_string()
}

/// camelCase of `a_b`: `aB`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
            continue;
        }
        if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The through table of a belongsToMany: camelCase of the two collection names sorted, joined by `_`.
pub fn through_name(a: &str, b: &str) -> String {
    let mut pair = [a, b];
    pair.sort();
    camel(&format!("{}_{}", pair[0], pair[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflection() {
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("branch"), "branches");
        assert_eq!(plural("tag"), "tags");
        assert_eq!(singular("posts"), "post");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("class"), "class");
        assert_eq!(through_name("tags", "posts"), "postsTags");
        assert_eq!(through_name("blog_posts", "tags"), "blogPostsTags");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("posts"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1tags"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier(&"a".repeat(64)));
        assert!(is_reserved_collection("Users"));
        assert!(is_reserved_collection("fg_x"));
        assert!(is_reserved_collection("sqlite_master"));
    }
}
