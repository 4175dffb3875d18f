//! The one error type of flowgate's core.
//!
//! Every layer returns `Result<_, Error>`. An `Error` carries a machine-readable [`Code`] (the table of
//! http.md §8), one or more entries (`message` plus extra fields such as `field`, `key`, `executionId`),
//! and for internal failures the cause (`detail`), which goes to logs and job results but never into an
//! answer to a client. The [`ErrorCode`] trait is how a door reads an error: its code, and the status the
//! code table gives it; `Error::body` is the only place an error becomes the envelope.
//! `http::error_response` is the one function that turns an error into an HTTP response.

use serde_json::{json, Map, Value};

macro_rules! codes {
    ($($variant:ident => ($name:literal, $status:literal),)*) => {
        /// Error codes with their HTTP status (http.md §8).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in the table's order (the API description lists them).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
            pub fn status(self) -> u16 {
                match self { $(Code::$variant => $status,)* }
            }
        }
    };
}

codes! {
    InvalidJson => ("INVALID_JSON", 400),
    InvalidBody => ("INVALID_BODY", 400),
    PayloadTooLarge => ("PAYLOAD_TOO_LARGE", 413),
    UnsupportedMediaType => ("UNSUPPORTED_MEDIA_TYPE", 415),
    MissingParameter => ("MISSING_PARAMETER", 400),
    InvalidParameter => ("INVALID_PARAMETER", 400),
    ResourceNotFound => ("RESOURCE_NOT_FOUND", 404),
    ActionNotFound => ("ACTION_NOT_FOUND", 404),
    MethodNotAllowed => ("METHOD_NOT_ALLOWED", 405),
    DataSourceNotFound => ("DATA_SOURCE_NOT_FOUND", 400),
    RecordNotFound => ("RECORD_NOT_FOUND", 404),
    IdempotencyKeyInvalid => ("IDEMPOTENCY_KEY_INVALID", 400),
    IdempotencyKeyConflict => ("IDEMPOTENCY_KEY_CONFLICT", 409),
    IdempotencyKeyInProgress => ("IDEMPOTENCY_KEY_IN_PROGRESS", 409),
    EmptyToken => ("EMPTY_TOKEN", 401),
    InvalidToken => ("INVALID_TOKEN", 401),
    ExpiredSession => ("EXPIRED_SESSION", 401),
    BlockedToken => ("BLOCKED_TOKEN", 401),
    NotExistUser => ("NOT_EXIST_USER", 401),
    RoleNotFoundForUser => ("ROLE_NOT_FOUND_FOR_USER", 401),
    UserHasNoRoles => ("USER_HAS_NO_ROLES_ERR", 401),
    AuthenticatorNotFound => ("AUTHENTICATOR_NOT_FOUND", 401),
    AccountRequired => ("ACCOUNT_REQUIRED", 400),
    InvalidCredentials => ("INVALID_CREDENTIALS", 401),
    InvalidPassword => ("INVALID_PASSWORD", 401),
    PasswordMismatch => ("PASSWORD_MISMATCH", 400),
    TooManyAttempts => ("TOO_MANY_ATTEMPTS", 429),
    NoPermissions => ("NO_PERMISSIONS", 403),
    ProtectedResource => ("PROTECTED_RESOURCE", 400),
    InvalidValue => ("INVALID_VALUE", 400),
    UnknownField => ("UNKNOWN_FIELD", 400),
    ConstraintViolation => ("CONSTRAINT_VIOLATION", 400),
    InvalidFilter => ("INVALID_FILTER", 400),
    NotAnAssociation => ("NOT_AN_ASSOCIATION", 400),
    InvalidIdentifier => ("INVALID_IDENTIFIER", 400),
    ReservedName => ("RESERVED_NAME", 400),
    CollectionExists => ("COLLECTION_EXISTS", 400),
    FieldExists => ("FIELD_EXISTS", 400),
    UnknownFieldType => ("UNKNOWN_FIELD_TYPE", 400),
    TargetNotFound => ("TARGET_NOT_FOUND", 400),
    CollectionInUse => ("COLLECTION_IN_USE", 400),
    TriggerTypeRequired => ("TRIGGER_TYPE_REQUIRED", 400),
    TriggerTypeNotRegistered => ("TRIGGER_TYPE_NOT_REGISTERED", 400),
    InvalidConfig => ("INVALID_CONFIG", 400),
    InvalidKey => ("INVALID_KEY", 400),
    KeyExists => ("KEY_EXISTS", 400),
    ConfigLocked => ("CONFIG_LOCKED", 400),
    FieldNotUpdatable => ("FIELD_NOT_UPDATABLE", 400),
    WorkflowNotFound => ("WORKFLOW_NOT_FOUND", 404),
    NodeTypeRequired => ("NODE_TYPE_REQUIRED", 400),
    NodeTypeNotRegistered => ("NODE_TYPE_NOT_REGISTERED", 400),
    InvalidNodeConfig => ("INVALID_NODE_CONFIG", 400),
    InvalidUpstream => ("INVALID_UPSTREAM", 400),
    DelayInSyncWorkflow => ("DELAY_IN_SYNC_WORKFLOW", 400),
    WorkflowExecuted => ("WORKFLOW_EXECUTED", 400),
    NodeNotFound => ("NODE_NOT_FOUND", 404),
    ExecutionNotFound => ("EXECUTION_NOT_FOUND", 404),
    ExecutionNotCancelable => ("EXECUTION_NOT_CANCELABLE", 400),
    ExecutionBusy => ("EXECUTION_BUSY", 409),
    ExecutionNotFinished => ("EXECUTION_NOT_FINISHED", 400),
    ExecuteFailed => ("EXECUTE_FAILED", 400),
    WorkflowNotMatched => ("WORKFLOW_NOT_MATCHED", 400),
    AssociationNotSupported => ("ASSOCIATION_NOT_SUPPORTED", 400),
    WorkflowIntercepted => ("WORKFLOW_INTERCEPTED", 400),
    WorkflowFailed => ("WORKFLOW_FAILED", 500),
    WorkflowHangs => ("WORKFLOW_HANGS", 500),
    WorkflowRollbackOnFailure => ("WORKFLOW_ROLLBACK_ON_FAILURE", 422),
    WorkflowFailedAfterAction => ("WORKFLOW_FAILED_AFTER_ACTION", 500),
    BadRequest => ("BAD_REQUEST", 400),
    RequestTimeout => ("REQUEST_TIMEOUT", 408),
    HeadersTooLarge => ("REQUEST_HEADERS_TOO_LARGE", 431),
    InternalError => ("INTERNAL_ERROR", 500),
    ServiceUnavailable => ("SERVICE_UNAVAILABLE", 503),
}

/// What a door needs of an error: its code, and through the code table its status.
pub trait ErrorCode {
    fn error_code(&self) -> Code;

    fn http_status(&self) -> u16 {
        self.error_code().status()
    }
}

impl ErrorCode for Error {
    fn error_code(&self) -> Code {
        self.code
    }
}

/// One entry of the `errors` array: a message and any extra fields.
#[derive(Debug, Clone)]
pub struct Entry {
    pub message: String,
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {}", code.as_str(), entries.first().map(|e| e.message.as_str()).unwrap_or(""))]
pub struct Error {
    pub code: Code,
    pub entries: Vec<Entry>,
    /// Cause of an internal error, for the log only.
    pub detail: Option<String>,
    /// Extra response headers (e.g. `Retry-After`).
    pub headers: Vec<(&'static str, String)>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            entries: vec![Entry {
                message: message.into(),
                extra: Map::new(),
            }],
            detail: None,
            headers: Vec::new(),
        }
    }

    /// Several entries under one code (validation errors, unmatched keys, intercepted messages).
    pub fn many(code: Code, entries: Vec<Entry>) -> Error {
        Error {
            code,
            entries,
            detail: None,
            headers: Vec::new(),
        }
    }

    /// An unexpected failure: answered as `500 INTERNAL_ERROR`, the cause goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Error {
        let mut e = Error::new(Code::InternalError, "Internal Server Error");
        e.detail = Some(detail.to_string());
        e
    }

    /// Adds a field to every entry (`executionId`, `path`, …).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Error {
        let value = value.into();
        for e in &mut self.entries {
            e.extra.insert(key.to_string(), value.clone());
        }
        self
    }

    pub fn header(mut self, name: &'static str, value: String) -> Error {
        self.headers.push((name, value));
        self
    }

    pub fn message(&self) -> &str {
        self.entries
            .first()
            .map(|e| e.message.as_str())
            .unwrap_or("")
    }

    /// What went wrong, for records an administrator reads (a job's result, a log line): an internal
    /// error's cause (built by flowgate from SQLite's or serde's message: names of tables and columns, never
    /// bound values, the store's path or credentials), else the message. An HTTP answer still shows only
    /// "Internal Server Error" (`body`).
    pub fn cause(&self) -> &str {
        match (&self.code, &self.detail) {
            (Code::InternalError, Some(detail)) => detail,
            _ => self.message(),
        }
    }

    /// The envelope `{"errors":[{"message","code",…}]}`.
    pub fn body(&self) -> Value {
        let errors: Vec<Value> = self
            .entries
            .iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("message".into(), json!(e.message));
                m.insert("code".into(), json!(self.code.as_str()));
                for (k, v) in &e.extra {
                    m.insert(k.clone(), v.clone());
                }
                Value::Object(m)
            })
            .collect();
        json!({ "errors": errors })
    }
}

impl Entry {
    pub fn new(message: impl Into<String>) -> Entry {
        Entry {
            message: message.into(),
            extra: Map::new(),
        }
    }
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Entry {
        self.extra.insert(key.to_string(), value.into());
        self
    }
}

/// Shorthand constructors for the errors most layers raise.
pub fn bad(code: Code, message: impl Into<String>) -> Error {
    Error::new(code, message)
}

pub fn invalid_value(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidValue, message)
}

pub fn invalid_param(name: &str, reason: &str) -> Error {
    Error::new(
        Code::InvalidParameter,
        format!("Invalid parameter \"{name}\": {reason}"),
    )
}

pub fn no_permissions() -> Error {
    Error::new(Code::NoPermissions, "No permissions")
}

pub fn resource_not_found(name: &str) -> Error {
    Error::new(
        Code::ResourceNotFound,
        format!("Resource \"{name}\" not found"),
    )
}

pub fn record_not_found(id: impl std::fmt::Display, collection: &str) -> Error {
    Error::new(
        Code::RecordNotFound,
        format!("Record {id} of \"{collection}\" not found"),
    )
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::internal(format!("sqlite: {e}"))
    }
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Error {
        let mut err = Error::new(Code::ServiceUnavailable, "Store is unavailable");
        err.detail = Some(format!("pool: {e}"));
        err
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::internal(format!("json: {e}"))
    }
}
