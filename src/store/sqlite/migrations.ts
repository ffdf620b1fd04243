/** Numbered SQLite migrations. Never edit a released one: add the next number. */
export const SQLITE_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  email         TEXT,
  display_name  TEXT,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE TABLE resources (
  id              INTEGER PRIMARY KEY,
  path            TEXT NOT NULL UNIQUE,
  parent_id       INTEGER REFERENCES resources(id),
  is_collection   INTEGER NOT NULL,
  collection_type TEXT NOT NULL DEFAULT '',
  owner_id        INTEGER NOT NULL REFERENCES users(id),
  content_type    TEXT,
  size            INTEGER NOT NULL DEFAULT 0,
  etag            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  modified_at     INTEGER NOT NULL,
  sync_seq        INTEGER NOT NULL DEFAULT 0,
  sync_floor      INTEGER NOT NULL DEFAULT 0,
  uid             TEXT,
  component       TEXT,
  first_start     INTEGER,
  last_end        INTEGER,
  body            BLOB
);
CREATE INDEX resources_parent ON resources(parent_id, path);
CREATE INDEX resources_uid ON resources(parent_id, uid);
CREATE INDEX resources_range ON resources(parent_id, component, first_start);
CREATE TABLE properties (
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  xml         TEXT NOT NULL,
  PRIMARY KEY (resource_id, name)
);
CREATE TABLE changes (
  collection_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  name          TEXT NOT NULL,
  op            TEXT NOT NULL,
  origin        TEXT,
  at            INTEGER NOT NULL,
  PRIMARY KEY (collection_id, seq)
);
CREATE TABLE locks (
  token           TEXT PRIMARY KEY,
  path            TEXT NOT NULL,
  depth           TEXT NOT NULL,
  scope           TEXT NOT NULL,
  owner_xml       TEXT,
  principal_id    INTEGER NOT NULL,
  timeout_seconds INTEGER,
  expires_at      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX locks_path ON locks(path);
CREATE TABLE kv (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (namespace, key)
);
`,
  },
];
