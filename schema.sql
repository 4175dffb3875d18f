-- flowgate system tables. Applied at start by src/store/schema.rs inside one transaction; the schema
-- version lives in PRAGMA user_version (see SCHEMA_VERSION there). Collections made through the API are
-- ordinary tables beside these; their names are checked against the reserved list (collections.md §1).
-- Timestamps are ISO-8601 UTC text with milliseconds; *_ms columns are epoch milliseconds for comparisons.

CREATE TABLE IF NOT EXISTS users (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  username    TEXT COLLATE NOCASE UNIQUE,
  email       TEXT COLLATE NOCASE UNIQUE,
  nickname    TEXT,
  password    TEXT NOT NULL,            -- argon2id PHC string; never leaves the server
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS roles (
  name        TEXT PRIMARY KEY COLLATE NOCASE,
  title       TEXT,
  strategy    TEXT NOT NULL DEFAULT '{"actions":[]}',   -- json {actions:[...]}
  snippets    TEXT NOT NULL DEFAULT '[]',               -- json array
  "default"   INTEGER NOT NULL DEFAULT 0,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL,
  options     TEXT                                      -- schema version 4: a document's other attributes, json (bridge.md §5.1)
);

-- A user's roles in assignment order (the first is the default role).
CREATE TABLE IF NOT EXISTS fg_user_roles (
  userId      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  roleName    TEXT NOT NULL COLLATE NOCASE REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
  position    INTEGER NOT NULL,
  PRIMARY KEY (userId, roleName)
);
CREATE INDEX IF NOT EXISTS fg_user_roles_role ON fg_user_roles(roleName);

-- Per-collection overrides of a role's strategy (auth.md §8).
CREATE TABLE IF NOT EXISTS fg_role_resources (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  roleName            TEXT NOT NULL COLLATE NOCASE REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
  name                TEXT NOT NULL COLLATE NOCASE,     -- collection name
  usingActionsConfig  INTEGER NOT NULL DEFAULT 0,
  actions             TEXT NOT NULL DEFAULT '[]',       -- json [{name, scope}]
  createdAt           TEXT NOT NULL,
  updatedAt           TEXT NOT NULL,
  UNIQUE (roleName, name)
);

-- Sign-in tokens ('session') and API keys ('apikey'); only the SHA-256 of a token is stored.
-- No foreign key to users: a deleted user's token must still be recognised to answer NOT_EXIST_USER.
CREATE TABLE IF NOT EXISTS tokens (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  kind          TEXT NOT NULL CHECK (kind IN ('session', 'apikey')),
  hash          BLOB NOT NULL UNIQUE,
  userId        INTEGER NOT NULL,
  name          TEXT,                   -- API key name
  roleName      TEXT,                   -- API key's forced role
  expires_ms    INTEGER,                -- NULL = never
  revoked       TEXT,                   -- NULL, 'signout', 'password' or 'destroyed'
  revoked_ms    INTEGER,
  createdAt     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_user ON tokens(userId, kind);

-- The collection and field registry (collections.md). options holds the type's settings as json.
CREATE TABLE IF NOT EXISTS collections (
  name        TEXT PRIMARY KEY COLLATE NOCASE,
  title       TEXT,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL,
  options     TEXT                      -- schema version 4: a document's other attributes, json (bridge.md §5.1)
);

CREATE TABLE IF NOT EXISTS fields (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  collectionName  TEXT NOT NULL COLLATE NOCASE REFERENCES collections(name) ON DELETE CASCADE,
  name            TEXT NOT NULL COLLATE NOCASE,
  type            TEXT NOT NULL,
  options         TEXT NOT NULL DEFAULT '{}',
  createdAt       TEXT NOT NULL,
  updatedAt       TEXT NOT NULL,
  UNIQUE (collectionName, name)
);

-- Workflows (workflows.md §1), kept close to NocoBase's tables.
CREATE TABLE IF NOT EXISTS workflows (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  key         TEXT NOT NULL,
  title       TEXT,
  description TEXT,
  type        TEXT NOT NULL,
  config      TEXT NOT NULL DEFAULT '{}',
  enabled     INTEGER NOT NULL DEFAULT 0,
  sync        INTEGER NOT NULL DEFAULT 0,
  current     INTEGER,                              -- 1 or NULL, never 0
  options     TEXT NOT NULL DEFAULT '{}',
  executed    INTEGER NOT NULL DEFAULT 0,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL,
  createdById INTEGER REFERENCES users(id) ON DELETE SET NULL,   -- schema version 2
  updatedById INTEGER REFERENCES users(id) ON DELETE SET NULL,
  extra       TEXT                                              -- schema version 4: triggerTitle and unknown attributes, json
);
CREATE INDEX IF NOT EXISTS workflows_key ON workflows(key);
CREATE UNIQUE INDEX IF NOT EXISTS workflows_one_current ON workflows(key) WHERE current = 1;

CREATE TABLE IF NOT EXISTS flow_nodes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  key           TEXT NOT NULL,
  workflowId    INTEGER NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
  upstreamId    INTEGER REFERENCES flow_nodes(id) ON DELETE SET NULL,
  downstreamId  INTEGER REFERENCES flow_nodes(id) ON DELETE SET NULL,
  branchIndex   INTEGER,
  type          TEXT NOT NULL,
  title         TEXT,
  config        TEXT NOT NULL DEFAULT '{}',
  createdAt     TEXT NOT NULL,
  updatedAt     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS flow_nodes_workflow ON flow_nodes(workflowId);

-- Executions stay when their workflow is destroyed (no foreign key), as in NocoBase.
CREATE TABLE IF NOT EXISTS executions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  key         TEXT NOT NULL,
  workflowId  INTEGER NOT NULL,
  context     TEXT NOT NULL DEFAULT '{}',
  status      INTEGER,                              -- NULL = QUEUEING (workflows.md §1)
  output      TEXT,
  reason      TEXT,
  manually    INTEGER NOT NULL DEFAULT 0,
  sync        INTEGER NOT NULL DEFAULT 0,           -- ran inside a request (restart rule, §4.3)
  startedAt   TEXT,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL,
  rerunOf     INTEGER,                              -- schema version 5: the execution this one re-runs (no FK: that one may go)
  attempt     INTEGER NOT NULL DEFAULT 1,           -- schema version 5: options.retry's attempt now running
  retryAt     TEXT                                  -- schema version 5: when the next attempt starts (STARTED, no job)
);
CREATE INDEX IF NOT EXISTS executions_workflow ON executions(workflowId);
CREATE INDEX IF NOT EXISTS executions_key ON executions(key);
CREATE INDEX IF NOT EXISTS executions_open ON executions(id) WHERE status IS NULL OR status = 0;

-- Executions per workflow version, kept by SQLite itself (schema version 3): exact `meta.count` of
-- the executions lists by key, by version and overall without counting a million rows. A version's key
-- never changes, and neither do an execution's key and workflowId.
CREATE TABLE IF NOT EXISTS fg_execution_counts (
  workflowId  INTEGER PRIMARY KEY,
  key         TEXT NOT NULL,
  n           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fg_execution_counts_key ON fg_execution_counts(key);
CREATE TRIGGER IF NOT EXISTS fg_execution_counted AFTER INSERT ON executions BEGIN
  INSERT INTO fg_execution_counts (workflowId, key, n) VALUES (NEW.workflowId, NEW.key, 1)
    ON CONFLICT(workflowId) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS fg_execution_uncounted AFTER DELETE ON executions BEGIN
  UPDATE fg_execution_counts SET n = n - 1 WHERE workflowId = OLD.workflowId;
END;

CREATE TABLE IF NOT EXISTS jobs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  executionId INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
  nodeId      INTEGER,
  nodeKey     TEXT,
  upstreamId  INTEGER,
  status      INTEGER NOT NULL,
  result      TEXT,
  meta        TEXT,
  createdAt   TEXT NOT NULL,
  updatedAt   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_execution ON jobs(executionId);

-- Attempts of an execution that options.retry ran again (schema version 5): one row per failed attempt.
CREATE TABLE IF NOT EXISTS fg_execution_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  executionId INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
  attempt     INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  reason      TEXT,
  nodeKey     TEXT,
  createdAt   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fg_execution_attempts_execution ON fg_execution_attempts(executionId);

-- Idempotency records of trigger requests (trigger.md §9); state 'running' rows are removed at start.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  userId      INTEGER NOT NULL,
  key         TEXT NOT NULL,
  fingerprint BLOB NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('running', 'done')),
  status      INTEGER,
  body        TEXT,
  expires_ms  INTEGER NOT NULL,
  PRIMARY KEY (userId, key)
);

-- Definitions of an imported document that flowgate cannot host (schema version 4; bridge.md §5.1, §6.2):
-- kept verbatim so that export and push give them back in place. kind is collection, field or workflow;
-- path the document path (collections.<c>, collections.<c>.fields.<f>, workflows.<key>); position the
-- index among its siblings (fields keep the document's order); reason why it is kept.
CREATE TABLE IF NOT EXISTS fg_bridge_kept (
  kind        TEXT NOT NULL,
  path        TEXT NOT NULL,
  position    INTEGER NOT NULL DEFAULT 0,
  definition  TEXT NOT NULL,
  reason      TEXT NOT NULL,
  PRIMARY KEY (kind, path)
);
