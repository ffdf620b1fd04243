import { SPAN_CLASS_MIGRATION } from '../sql/span-class.js';

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
  {
    // Ids are never reused (AUTOINCREMENT): a sync token and a collection ETag name a collection
    // by id, and a principal id must not pass to a later user. And locks.token is NOT NULL, as a
    // PostgreSQL primary key is (SQLite lets a non-integer primary key be NULL). Rebuilds the
    // three tables the way SQLite documents for changing a column (foreign keys are checked after
    // the migration).
    version: 2,
    sql: `
CREATE TABLE users_v2 (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT NOT NULL UNIQUE,
  email         TEXT,
  display_name  TEXT,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
INSERT INTO users_v2 (id, name, email, display_name, password_hash, created_at)
  SELECT id, name, email, display_name, password_hash, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v2 RENAME TO users;
CREATE TABLE resources_v2 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO resources_v2 (id, path, parent_id, is_collection, collection_type, owner_id, content_type, size, etag,
  created_at, modified_at, sync_seq, sync_floor, uid, component, first_start, last_end, body)
  SELECT id, path, parent_id, is_collection, collection_type, owner_id, content_type, size, etag,
  created_at, modified_at, sync_seq, sync_floor, uid, component, first_start, last_end, body FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v2 RENAME TO resources;
CREATE INDEX resources_parent ON resources(parent_id, path);
CREATE INDEX resources_uid ON resources(parent_id, uid);
CREATE INDEX resources_range ON resources(parent_id, component, first_start);
CREATE TABLE locks_v2 (
  token           TEXT NOT NULL PRIMARY KEY,
  path            TEXT NOT NULL,
  depth           TEXT NOT NULL,
  scope           TEXT NOT NULL,
  owner_xml       TEXT,
  principal_id    INTEGER NOT NULL,
  timeout_seconds INTEGER,
  expires_at      INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
INSERT INTO locks_v2 (token, path, depth, scope, owner_xml, principal_id, timeout_seconds, expires_at, created_at)
  SELECT token, path, depth, scope, owner_xml, principal_id, timeout_seconds, expires_at, created_at FROM locks
  WHERE token IS NOT NULL;
DROP TABLE locks;
ALTER TABLE locks_v2 RENAME TO locks;
CREATE INDEX locks_path ON locks(path);
`,
  },
  {
    // CardDAV search index (RFC 6352 §8.6): one row per searchable vCard property value, folded
    // with i;unicode-casemap, so addressbook-query can prefilter without reading every card.
    version: 3,
    sql: `
CREATE TABLE card_index (
  resource_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  collection_id INTEGER NOT NULL,
  prop          TEXT NOT NULL,
  value_folded  TEXT NOT NULL
);
CREATE INDEX card_index_search ON card_index(collection_id, prop);
CREATE INDEX card_index_resource ON card_index(resource_id);
`,
  },
  {
    // SyncML DS (issue #5): devices with their DevInf, per-datastore anchors, and each device's
    // LUID ⇄ GUID map. Sessions, nonces and cached responses live in kv with an expiry.
    version: 4,
    sql: `
CREATE TABLE syncml_devices (
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id    TEXT NOT NULL,
  info         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_sync_at INTEGER,
  PRIMARY KEY (user_id, device_id)
);
CREATE TABLE syncml_anchors (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id     TEXT NOT NULL,
  datastore     TEXT NOT NULL,
  client_anchor TEXT,
  server_anchor TEXT,
  server_seq    INTEGER NOT NULL,
  last_mode     INTEGER,
  last_sync_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, device_id, datastore)
);
CREATE TABLE syncml_idmap (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  datastore TEXT NOT NULL,
  guid      TEXT NOT NULL,
  luid      TEXT NOT NULL,
  PRIMARY KEY (user_id, device_id, datastore, guid)
);
CREATE INDEX syncml_idmap_luid ON syncml_idmap(user_id, device_id, datastore, luid);
`,
  },
  {
    // Whether an object's [first_start, last_end) is exactly its RFC 4791 §9.9 time-range test
    // (one non-recurring VEVENT/VTODO, no floating time): such objects answer a plain
    // comp-filter time-range from the index without being parsed. Existing rows stay 0 (parsed).
    version: 5,
    sql: `
ALTER TABLE resources ADD COLUMN span_exact INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    // Time-range prefilters read O(answer) index entries (store/sql/span-class.ts).
    version: 6,
    sql: SPAN_CLASS_MIGRATION,
  },
  {
    // Precomputed VEVENT intervals (formats/ical/object-index.ts): plain time ranges need no parse.
    version: 7,
    sql: `
ALTER TABLE resources ADD COLUMN event_intervals BLOB;
ALTER TABLE resources ADD COLUMN event_intervals_until INTEGER;
`,
  },
  {
    // A counter of a resource's metadata writes that the change feed does not record: its dead
    // properties, its members' dead properties and its collection type. With sync_seq it names
    // the state a cached report answer was computed from (dav/core/response-cache.ts).
    version: 8,
    sql: `
ALTER TABLE resources ADD COLUMN meta_seq INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    // Failed authentications per account name and per source address (domain/throttle.ts), in
    // the store so that every node of a cluster counts together.
    version: 9,
    sql: `
CREATE TABLE auth_failures (
  subject         TEXT NOT NULL PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL
);
CREATE INDEX auth_failures_last ON auth_failures(last_failure_at);
`,
  },
  {
    // Derived calendars (issue #13): resources.derived marks an .ics subscription or a birthday
    // calendar and its members (read-only to clients); a subscription's feed, schedule, HTTP
    // validators, last outcome and the fetch lease that keeps several nodes from fetching at once.
    version: 10,
    sql: `
ALTER TABLE resources ADD COLUMN derived TEXT;
CREATE TABLE calendar_subscriptions (
  collection_id   INTEGER NOT NULL PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
  owner_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  refresh_seconds INTEGER NOT NULL,
  etag            TEXT,
  last_modified   TEXT,
  last_attempt_at INTEGER,
  last_success_at INTEGER,
  last_error      TEXT,
  next_refresh_at INTEGER NOT NULL,
  lease_holder    TEXT,
  lease_until     INTEGER
);
CREATE INDEX calendar_subscriptions_due ON calendar_subscriptions(next_refresh_at);
CREATE INDEX calendar_subscriptions_owner ON calendar_subscriptions(owner_id);
`,
  },
  {
    // Scheduling (issue #16): iTIP messages for recipients outside this server, queued in the
    // transaction of the write that caused them and drained by a transport (iMIP) under a lease,
    // so a crash loses none and two nodes never send one twice.
    version: 11,
    sql: `
CREATE TABLE outbound_itip (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient       TEXT NOT NULL,
  method          TEXT NOT NULL,
  ics_text        TEXT NOT NULL,
  organizer       TEXT NOT NULL,
  sender_user_id  INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  lease_holder    TEXT,
  lease_until     INTEGER,
  done_at         INTEGER
);
CREATE INDEX outbound_itip_due ON outbound_itip(state, next_attempt_at);
`,
  },
  {
    // Stored access control entries (RFC 3744 §5.5, the ACL method §8.1) and groups of users as
    // principals (issue #17). Grant-only ACEs on a resource; members inherit their collection's.
    version: 12,
    sql: `
CREATE TABLE principal_groups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES principal_groups(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);
CREATE TABLE aces (
  resource_id  INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  principal    TEXT NOT NULL,
  principal_id INTEGER,
  privileges   TEXT NOT NULL,
  PRIMARY KEY (resource_id, position)
);
CREATE INDEX aces_principal ON aces(principal, principal_id);
`,
  },
  {
    // Groups a user owns (issue #17): the two calendar-user proxy groups of every user
    // (caldav-proxy §5.2), named OWNER/ROLE, which no CLI group name can be (no '/').
    version: 13,
    sql: `
ALTER TABLE principal_groups ADD COLUMN owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE principal_groups ADD COLUMN role TEXT;
CREATE UNIQUE INDEX principal_groups_owner_role ON principal_groups(owner_id, role);
`,
  },
  {
    // Sharing (issue #17 items 1, 2, 5; caldav-sharing §5): one row per sharee of a shared calendar
    // or address book — the invitation, its answer, and while accepted the sharee's instance
    // (a path in their home mapped to the shared collection) with their per-user properties.
    version: 14,
    sql: `
CREATE TABLE shares (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  sharee_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  access        TEXT NOT NULL,
  status        TEXT NOT NULL,
  invite_uid    TEXT NOT NULL UNIQUE,
  summary       TEXT,
  common_name   TEXT,
  instance_path TEXT UNIQUE,
  properties    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (collection_id, sharee_id)
);
CREATE INDEX shares_sharee ON shares(sharee_id);
`,
  },
  {
    // Accounts (issue #19): the directory a user comes from (LDAP, IMAP; NULL = local), the
    // sealed TOTP secret when two-factor login is on, and per-device app passwords (hashed,
    // scoped to DAV and/or SyncML, revocable; checked against this table on every request).
    version: 15,
    sql: `
ALTER TABLE users ADD COLUMN directory TEXT;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
CREATE TABLE app_passwords (
  id           TEXT NOT NULL PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  secret_hash  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX app_passwords_user ON app_passwords(user_id);
`,
  },
  {
    // WebDAV-Push (issue #18): registrations of push subscriptions on collections, and the jobs
    // queued in the transaction of a change and claimed under a lease by exactly one node.
    version: 16,
    sql: `
CREATE TABLE push_registrations (
  id               TEXT NOT NULL PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  collection_id    INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  push_resource    TEXT NOT NULL,
  public_key       TEXT NOT NULL,
  auth_secret      TEXT NOT NULL,
  content_encoding TEXT NOT NULL,
  content_depth    TEXT,
  property_depth   TEXT,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  failures         INTEGER NOT NULL,
  retry_at         INTEGER,
  UNIQUE (user_id, collection_id, push_resource)
);
CREATE INDEX push_registrations_collection ON push_registrations(collection_id, expires_at);
CREATE INDEX push_registrations_expires ON push_registrations(expires_at);
CREATE TABLE push_jobs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  registration_id TEXT REFERENCES push_registrations(id) ON DELETE CASCADE,
  content         INTEGER NOT NULL,
  property        INTEGER NOT NULL,
  exclude         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  due_at          INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  lease_holder    TEXT,
  lease_until     INTEGER
);
CREATE INDEX push_jobs_due ON push_jobs(due_at);
CREATE INDEX push_jobs_collection ON push_jobs(collection_id, lease_until);
`,
  },
  {
    // Web Push to browsers (issue #18 item 4) and messages that stand alone: the web app's
    // subscriptions (one per browser), the per-user outbox of self-contained push messages
    // (a deleted collection's farewell to its registrations, reminders, invitations), claimed
    // under a lease like push_jobs, and the alarms already notified (one row per alarm instant:
    // the node whose INSERT lands sends it).
    version: 17,
    sql: `
CREATE TABLE browser_push_subscriptions (
  id          TEXT NOT NULL PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint    TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  auth_secret TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (user_id, endpoint)
);
CREATE TABLE push_messages (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription_id TEXT REFERENCES browser_push_subscriptions(id) ON DELETE CASCADE,
  push_resource   TEXT NOT NULL,
  public_key      TEXT NOT NULL,
  auth_secret     TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  payload         TEXT NOT NULL,
  urgency         TEXT NOT NULL,
  ttl_s           INTEGER NOT NULL,
  topic           TEXT,
  due_at          INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  lease_holder    TEXT,
  lease_until     INTEGER
);
CREATE INDEX push_messages_due ON push_messages(due_at);
CREATE TABLE alarm_notices (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  alarm_key   TEXT NOT NULL,
  fires_at    INTEGER NOT NULL,
  PRIMARY KEY (user_id, alarm_key)
);
CREATE INDEX alarm_notices_fires ON alarm_notices(fires_at);
`,
  },
  {
    // Admins and quotas (issue #19 item 6, RFC 4331): who may use the admin API, each user's
    // quota (NULL = the server default) and the bytes they use, kept by the store in the
    // transaction of every write; a resource's dead-property bytes, which count too.
    version: 18,
    sql: `
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN quota_bytes INTEGER;
ALTER TABLE users ADD COLUMN quota_used INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN prop_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE resources SET prop_bytes = (SELECT COALESCE(SUM(length(CAST(xml AS BLOB))), 0) FROM properties WHERE resource_id = resources.id);
UPDATE users SET quota_used = (SELECT COALESCE(SUM(size + prop_bytes), 0) FROM resources WHERE owner_id = users.id);
`,
  },
  {
    // Per-user calendar data in shared calendars (caldav-sharing §5.5.4, issue #17): a sharee's
    // own TRANSP and VALARMs of one object, as a VCALENDAR of stubs (formats/ical/per-user.ts).
    version: 19,
    sql: `
CREATE TABLE per_user_data (
  resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ical        TEXT NOT NULL,
  PRIMARY KEY (resource_id, user_id)
);
CREATE INDEX per_user_data_user ON per_user_data(user_id);
`,
  },
  {
    // The row of a resource with its large values last (issue #20). SQLite keeps a row's columns
    // in order and spills a long value into a chain of overflow pages; a column after the body
    // (span_exact, meta_seq, derived… were added after it) can only be reached by walking that
    // whole chain, so listing a calendar's members read every event's body page by page. The
    // table is rebuilt with every column a listing selects (RESOURCE_COLUMNS) before the BLOBs.
    version: 20,
    sql: `
CREATE TABLE resources_v20 (
  id                    INTEGER PRIMARY KEY AUTOINCREMENT,
  path                  TEXT NOT NULL UNIQUE,
  parent_id             INTEGER REFERENCES resources(id),
  is_collection         INTEGER NOT NULL,
  collection_type       TEXT NOT NULL DEFAULT '',
  owner_id              INTEGER NOT NULL REFERENCES users(id),
  content_type          TEXT,
  size                  INTEGER NOT NULL DEFAULT 0,
  etag                  TEXT NOT NULL,
  created_at            INTEGER NOT NULL,
  modified_at           INTEGER NOT NULL,
  sync_seq              INTEGER NOT NULL DEFAULT 0,
  sync_floor            INTEGER NOT NULL DEFAULT 0,
  uid                   TEXT,
  component             TEXT,
  first_start           INTEGER,
  last_end              INTEGER,
  span_exact            INTEGER NOT NULL DEFAULT 0,
  span_class            INTEGER NOT NULL DEFAULT 5,
  event_intervals_until INTEGER,
  meta_seq              INTEGER NOT NULL DEFAULT 0,
  derived               TEXT,
  prop_bytes            INTEGER NOT NULL DEFAULT 0,
  event_intervals       BLOB,
  body                  BLOB
);
INSERT INTO resources_v20 (id, path, parent_id, is_collection, collection_type, owner_id, content_type, size, etag, created_at, modified_at, sync_seq, sync_floor, uid, component, first_start, last_end, span_exact, span_class, event_intervals_until, meta_seq, derived, prop_bytes, event_intervals, body)
  SELECT id, path, parent_id, is_collection, collection_type, owner_id, content_type, size, etag, created_at, modified_at, sync_seq, sync_floor, uid, component, first_start, last_end, span_exact, span_class, event_intervals_until, meta_seq, derived, prop_bytes, event_intervals, body FROM resources;
DROP TABLE resources;
ALTER TABLE resources_v20 RENAME TO resources;
CREATE INDEX resources_parent ON resources(parent_id, path);
CREATE INDEX resources_uid ON resources(parent_id, uid);
CREATE INDEX resources_range ON resources(parent_id, component, span_class, first_start);
`,
  },
  {
    // The server's own account (the owner of the directory address book, issue #17 item 5): a
    // users row marked is_system, made on first use, which no users query returns (sql/rows.ts PEOPLE).
    version: 21,
    sql: `
ALTER TABLE users ADD COLUMN is_system INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    // Sharing with a group (issue #17 items 1, 3, 7): one row per group a collection is shared
    // with; each member holds an ordinary shares row whose access is the highest of their own
    // share's (direct_access, null when they were not shared with directly) and their groups'.
    version: 22,
    sql: `
CREATE TABLE group_shares (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  group_id      INTEGER NOT NULL REFERENCES principal_groups(id) ON DELETE CASCADE,
  access        TEXT NOT NULL,
  invite_uid    TEXT NOT NULL UNIQUE,
  summary       TEXT,
  created_at    INTEGER NOT NULL,
  UNIQUE (collection_id, group_id)
);
CREATE INDEX group_shares_group ON group_shares(group_id);
ALTER TABLE shares ADD COLUMN direct_access TEXT;
UPDATE shares SET direct_access = access;
`,
  },
  {
    // Search of address books (RFC 6352 §8.6 text-match; issue #20, FN search): the lookups
    // read card_index by (collection, property) and test each value, and with an index of
    // those two columns alone every entry cost a read of its table row. With the value and the
    // resource in the index, a lookup reads the index only: a contains search over 50,000
    // cards went from 12.6 ms to 3.1 ms of SQLite time, and equals is a seek. It covers
    // every use of the old (collection_id, prop) index, which goes.
    version: 23,
    sql: `
CREATE INDEX card_index_value ON card_index(collection_id, prop, value_folded, resource_id);
DROP INDEX card_index_search;
`,
  },
  {
    // Substring search of address books (RFC 6352 §8.6 contains, starts-with, ends-with; issue
    // #20, FN search at 10k and 100k): a LIKE tests every value of the property in the book. An
    // FTS5 index of the folded values' trigrams (external content: the text stays in card_index
    // alone) finds the values holding a term from the postings of its trigrams
    // (sql/card-search.ts). The folded values are already case-folded, so the tokenizer folds
    // nothing (case_sensitive 1); positions (detail=full) make a term's trigrams a phrase, which
    // is a substring match. Triggers keep it with card_index, whatever writes or cascades there.
    // Only the names and addresses people type part of (FN, N, NICKNAME, EMAIL, ORG) are in it:
    // every entry costs each card write its trigrams, and TEL and UID are looked up whole or by
    // their ends far more than by a middle part (card-search.ts TRIGRAM_PROPERTIES).
    version: 24,
    sql: `
CREATE VIEW card_trigram_values AS
  SELECT rowid AS entry, value_folded FROM card_index WHERE prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG');
CREATE VIRTUAL TABLE card_trigrams USING fts5(
  value_folded, content='card_trigram_values', content_rowid='entry', tokenize='trigram case_sensitive 1', detail=full
);
INSERT INTO card_trigrams(card_trigrams) VALUES ('rebuild');
CREATE TRIGGER card_index_trigrams_insert AFTER INSERT ON card_index
  WHEN new.prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG') BEGIN
  INSERT INTO card_trigrams(rowid, value_folded) VALUES (new.rowid, new.value_folded);
END;
CREATE TRIGGER card_index_trigrams_delete AFTER DELETE ON card_index
  WHEN old.prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG') BEGIN
  INSERT INTO card_trigrams(card_trigrams, rowid, value_folded) VALUES ('delete', old.rowid, old.value_folded);
END;
CREATE TRIGGER card_index_trigrams_update AFTER UPDATE OF prop, value_folded ON card_index BEGIN
  INSERT INTO card_trigrams(card_trigrams, rowid, value_folded)
    SELECT 'delete', old.rowid, old.value_folded WHERE old.prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG');
  INSERT INTO card_trigrams(rowid, value_folded)
    SELECT new.rowid, new.value_folded WHERE new.prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG');
END;
`,
  },
  {
    // A recurring event's expansion made ready when it is written (formats/ical/expand.ts
    // SeriesText, as JSON), beside its event_intervals and written with them: a query expands
    // it from the two without parsing it (issue #20: at 10,000 events most series an expanded
    // window meets were never parsed before, and their parse and preparation were two fifths of
    // the request). Rows written before stay NULL and are prepared from their parse as before.
    version: 25,
    sql: `ALTER TABLE resources ADD COLUMN series_text TEXT;`,
  },
  {
    // A lone event's CALDAV:expand answer made when it is written (domain/calendar/object.ts,
    // formats/ical/instance-text.ts loneEventExpansion), after the etag of its version: an
    // expanded window answers such an event from it, reading neither its body (VTIMEZONEs
    // included) nor writing the expansion again (issue #20). Rows written before stay NULL and
    // are expanded from their body as before.
    version: 26,
    sql: `ALTER TABLE resources ADD COLUMN expanded_text TEXT;`,
  },
  {
    // A time-range prefilter answered from resources_range alone (issue #20): its span-class
    // scans (store/sql/span-class.ts) then read the columns of the rows they return
    // (RESOURCE_COLUMNS) and test last_end from the index, not from the table, whose rows carry
    // the bodies, intervals and stored expansions — one or two rows a page, so each candidate
    // was a page of its own. At 100,000 events a month's prefilter read ~600 index entries and
    // ~250 table rows: 1.7–2.6 ms alone, 0.9 ms from the index; month queries on fresh
    // windows 14,800 → 10,100 µs of CPU, free-busy 7,400 → 4,400. The index is ~22 MB at
    // 100,000 events. test/store/range-prefilter-plan.test.ts keeps it covering. `id` is the
    // rowid, in every index already; it is named so that both dialects list the same columns
    // (PostgreSQL has no rowid: migration 28 includes it).
    version: 27,
    sql: `
DROP INDEX resources_range;
CREATE INDEX resources_range ON resources(parent_id, component, span_class, first_start, last_end, is_collection,
  path, collection_type, owner_id, content_type, size, etag, created_at, modified_at, sync_seq, uid, span_exact,
  meta_seq, derived, id)
  WHERE is_collection = 0;
`,
  },
];
