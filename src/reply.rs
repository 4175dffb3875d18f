//! What an action answers (http.md §5): the envelope body, a status and extra headers. Every door shows
//! it its own way: the HTTP layer as the response, the CLI as printed JSON.

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(&'static str, String)>,
    /// A file to save instead of the envelope (`app:export`): each door delivers it its own way (HTTP
    /// as an attachment with this name).
    pub download: Option<Download>,
}

/// A file handed over: a JSON text (`app:export`) or an open file read to its end (`app:backup`).
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub body: DownloadBody,
}

#[derive(Debug, Clone)]
pub enum DownloadBody {
    Text(String),
    /// An open file of `len` bytes, sent from its start; it may already be unlinked (a temporary copy
    /// whose space the OS frees when the last handle closes).
    File {
        file: std::sync::Arc<std::fs::File>,
        len: u64,
    },
}

impl Reply {
    /// `{"data": v}`
    pub fn data(v: Value) -> Reply {
        Reply {
            status: 200,
            body: json!({ "data": v }),
            headers: Vec::new(),
            download: None,
        }
    }

    /// `{"data": [...], "meta": {...}}`
    pub fn list(items: Value, meta: Option<Value>) -> Reply {
        let body = match meta {
            Some(m) => json!({ "data": items, "meta": m }),
            None => json!({ "data": items }),
        };
        Reply {
            status: 200,
            body,
            headers: Vec::new(),
            download: None,
        }
    }

    /// A list paged in memory (small lists: fields, nodes, grants, keys) with the usual `meta`.
    pub fn paged(items: Vec<Value>, page: Option<crate::action::Page>) -> Reply {
        let count = items.len() as u64;
        let items: Vec<Value> = match page {
            Some(p) => {
                let skip = usize::try_from(p.offset()).unwrap_or(usize::MAX);
                items
                    .into_iter()
                    .skip(skip)
                    .take(usize::try_from(p.page_size).unwrap_or(usize::MAX))
                    .collect()
            }
            None => items,
        };
        Reply::list(Value::Array(items), page.map(|p| p.meta(count)))
    }

    /// `{}`: nothing to return.
    pub fn empty() -> Reply {
        Reply {
            status: 200,
            body: json!({}),
            headers: Vec::new(),
            download: None,
        }
    }

    /// A JSON file to save, named `file_name`, instead of an envelope.
    pub fn download(file_name: String, text: String) -> Reply {
        Reply {
            download: Some(Download {
                file_name,
                content_type: "application/json; charset=utf-8",
                body: DownloadBody::Text(text),
            }),
            ..Reply::empty()
        }
    }

    /// An open file of `len` bytes to save, named `file_name`, instead of an envelope.
    pub fn file(
        file_name: String,
        content_type: &'static str,
        file: std::fs::File,
        len: u64,
    ) -> Reply {
        Reply {
            download: Some(Download {
                file_name,
                content_type,
                body: DownloadBody::File {
                    file: std::sync::Arc::new(file),
                    len,
                },
            }),
            ..Reply::empty()
        }
    }

    pub fn raw(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body,
            headers: Vec::new(),
            download: None,
        }
    }
}
