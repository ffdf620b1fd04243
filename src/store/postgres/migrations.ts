import { SPAN_CLASS_MIGRATION } from '../sql/span-class.js';

/** Numbered PostgreSQL migrations; the same logical schema as the SQLite ones. */
export const POSTGRES_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id            BIGSERIAL PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  email         TEXT,
  display_name  TEXT,
  password_hash TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE TABLE resources (
  id              BIGSERIAL PRIMARY KEY,
  path            TEXT COLLATE "C" NOT NULL UNIQUE,
  parent_id       BIGINT REFERENCES resources(id),
  is_collection   INTEGER NOT NULL,
  collection_type TEXT NOT NULL DEFAULT '',
  owner_id        BIGINT NOT NULL REFERENCES users(id),
  content_type    TEXT,
  size            BIGINT NOT NULL DEFAULT 0,
  etag            TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  modified_at     BIGINT NOT NULL,
  sync_seq        BIGINT NOT NULL DEFAULT 0,
  sync_floor      BIGINT NOT NULL DEFAULT 0,
  uid             TEXT,
  component       TEXT,
  first_start     BIGINT,
  last_end        BIGINT,
  body            BYTEA
);
CREATE INDEX resources_parent ON resources(parent_id, path);
CREATE INDEX resources_uid ON resources(parent_id, uid);
CREATE INDEX resources_range ON resources(parent_id, component, first_start);
CREATE TABLE properties (
  resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  xml         TEXT NOT NULL,
  PRIMARY KEY (resource_id, name)
);
CREATE TABLE changes (
  collection_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  seq           BIGINT NOT NULL,
  name          TEXT NOT NULL,
  op            TEXT NOT NULL,
  origin        TEXT,
  at            BIGINT NOT NULL,
  PRIMARY KEY (collection_id, seq)
);
CREATE TABLE locks (
  token           TEXT PRIMARY KEY,
  path            TEXT COLLATE "C" NOT NULL,
  depth           TEXT NOT NULL,
  scope           TEXT NOT NULL,
  owner_xml       TEXT,
  principal_id    BIGINT NOT NULL,
  timeout_seconds BIGINT,
  expires_at      BIGINT NOT NULL,
  created_at      BIGINT NOT NULL
);
CREATE INDEX locks_path ON locks(path);
CREATE TABLE kv (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  expires_at BIGINT,
  PRIMARY KEY (namespace, key)
);
`,
  },
  {
    // Names the store lists in order (users, dead properties) compare byte-wise, as in SQLite,
    // whatever the database's default collation is.
    version: 2,
    sql: `
ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE properties ALTER COLUMN name TYPE TEXT COLLATE "C";
`,
  },
  {
    // CardDAV search index (RFC 6352 §8.6): one row per searchable vCard property value, folded
    // with i;unicode-casemap, so addressbook-query can prefilter without reading every card.
    version: 3,
    sql: `
CREATE TABLE card_index (
  resource_id   BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  collection_id BIGINT NOT NULL,
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
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id    TEXT NOT NULL,
  info         TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_sync_at BIGINT,
  PRIMARY KEY (user_id, device_id)
);
CREATE TABLE syncml_anchors (
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id     TEXT NOT NULL,
  datastore     TEXT NOT NULL,
  client_anchor TEXT,
  server_anchor TEXT,
  server_seq    BIGINT NOT NULL,
  last_mode     BIGINT,
  last_sync_at  BIGINT NOT NULL,
  PRIMARY KEY (user_id, device_id, datastore)
);
CREATE TABLE syncml_idmap (
  user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
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
ALTER TABLE resources ADD COLUMN event_intervals BYTEA;
ALTER TABLE resources ADD COLUMN event_intervals_until BIGINT;
`,
  },
  {
    // A counter of a resource's metadata writes that the change feed does not record: its dead
    // properties, its members' dead properties and its collection type. With sync_seq it names
    // the state a cached report answer was computed from (dav/core/response-cache.ts).
    version: 8,
    sql: `
ALTER TABLE resources ADD COLUMN meta_seq BIGINT NOT NULL DEFAULT 0;
`,
  },
  {
    // Failed authentications per account name and per source address (domain/throttle.ts), in
    // the store so that every node of a cluster counts together.
    version: 9,
    sql: `
CREATE TABLE auth_failures (
  subject         TEXT NOT NULL PRIMARY KEY,
  failures        BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL
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
  collection_id   BIGINT NOT NULL PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
  owner_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  refresh_seconds BIGINT NOT NULL,
  etag            TEXT,
  last_modified   TEXT,
  last_attempt_at BIGINT,
  last_success_at BIGINT,
  last_error      TEXT,
  next_refresh_at BIGINT NOT NULL,
  lease_holder    TEXT,
  lease_until     BIGINT
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
  id              BIGSERIAL PRIMARY KEY,
  recipient       TEXT NOT NULL,
  method          TEXT NOT NULL,
  ics_text        TEXT NOT NULL,
  organizer       TEXT NOT NULL,
  sender_user_id  BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  state           TEXT NOT NULL,
  attempts        BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT,
  lease_holder    TEXT,
  lease_until     BIGINT,
  done_at         BIGINT
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
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE group_members (
  group_id BIGINT NOT NULL REFERENCES principal_groups(id) ON DELETE CASCADE,
  user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);
CREATE TABLE aces (
  resource_id  BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  position     BIGINT NOT NULL,
  principal    TEXT NOT NULL,
  principal_id BIGINT,
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
ALTER TABLE principal_groups ADD COLUMN owner_id BIGINT REFERENCES users(id) ON DELETE CASCADE;
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
  id            BIGSERIAL PRIMARY KEY,
  collection_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  sharee_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  access        TEXT NOT NULL,
  status        TEXT NOT NULL,
  invite_uid    TEXT NOT NULL UNIQUE,
  summary       TEXT,
  common_name   TEXT,
  instance_path TEXT COLLATE "C" UNIQUE,
  properties    TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
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
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  secret_hash  TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT
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
  user_id          BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  collection_id    BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  push_resource    TEXT NOT NULL,
  public_key       TEXT NOT NULL,
  auth_secret      TEXT NOT NULL,
  content_encoding TEXT NOT NULL,
  content_depth    TEXT,
  property_depth   TEXT,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  failures         BIGINT NOT NULL,
  retry_at         BIGINT,
  UNIQUE (user_id, collection_id, push_resource)
);
CREATE INDEX push_registrations_collection ON push_registrations(collection_id, expires_at);
CREATE INDEX push_registrations_expires ON push_registrations(expires_at);
CREATE TABLE push_jobs (
  id              BIGSERIAL PRIMARY KEY,
  collection_id   BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  registration_id TEXT REFERENCES push_registrations(id) ON DELETE CASCADE,
  content         BIGINT NOT NULL,
  property        BIGINT NOT NULL,
  exclude         TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  due_at          BIGINT NOT NULL,
  attempts        BIGINT NOT NULL,
  lease_holder    TEXT,
  lease_until     BIGINT
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
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  endpoint    TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  auth_secret TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  UNIQUE (user_id, endpoint)
);
CREATE TABLE push_messages (
  id              BIGSERIAL PRIMARY KEY,
  subscription_id TEXT REFERENCES browser_push_subscriptions(id) ON DELETE CASCADE,
  push_resource   TEXT NOT NULL,
  public_key      TEXT NOT NULL,
  auth_secret     TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  payload         TEXT NOT NULL,
  urgency         TEXT NOT NULL,
  ttl_s           BIGINT NOT NULL,
  topic           TEXT,
  due_at          BIGINT NOT NULL,
  attempts        BIGINT NOT NULL,
  lease_holder    TEXT,
  lease_until     BIGINT
);
CREATE INDEX push_messages_due ON push_messages(due_at);
CREATE TABLE alarm_notices (
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  alarm_key   TEXT NOT NULL,
  fires_at    BIGINT NOT NULL,
  PRIMARY KEY (user_id, alarm_key)
);
CREATE INDEX alarm_notices_fires ON alarm_notices(fires_at);
`,
  },
  {
    version: 18,
    sql: `
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN quota_bytes BIGINT;
ALTER TABLE users ADD COLUMN quota_used BIGINT NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN prop_bytes BIGINT NOT NULL DEFAULT 0;
UPDATE resources SET prop_bytes = (SELECT COALESCE(SUM(octet_length(xml)), 0) FROM properties WHERE resource_id = resources.id);
UPDATE users SET quota_used = (SELECT COALESCE(SUM(size + prop_bytes), 0) FROM resources WHERE owner_id = users.id);
`,
  },
  {
    // Per-user calendar data in shared calendars (caldav-sharing §5.5.4, issue #17): a sharee's
    // own TRANSP and VALARMs of one object, as a VCALENDAR of stubs (formats/ical/per-user.ts).
    version: 19,
    sql: `
CREATE TABLE per_user_data (
  resource_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  ical        TEXT NOT NULL,
  PRIMARY KEY (resource_id, user_id)
);
CREATE INDEX per_user_data_user ON per_user_data(user_id);
`,
  },
  {
    // SQLite's migration 20 rebuilds resources with the large values last (a column after a long
    // BLOB is reached through its overflow pages). PostgreSQL keeps long values out of line
    // (TOAST), so it needs nothing; the number is kept so both dialects count alike.
    version: 20,
    sql: `SELECT 1;`,
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
  id            BIGSERIAL PRIMARY KEY,
  collection_id BIGINT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  group_id      BIGINT NOT NULL REFERENCES principal_groups(id) ON DELETE CASCADE,
  access        TEXT NOT NULL,
  invite_uid    TEXT NOT NULL UNIQUE,
  summary       TEXT,
  created_at    BIGINT NOT NULL,
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
    // Substring search of address books (see the SQLite migration 24, whose FTS5 table of the
    // same name plays this index's part): a pg_trgm GIN index on the folded values lets the
    // planner answer a LIKE '%term%' from the term's trigrams. Over every property, unlike
    // SQLite's: a partial index could not serve the prepared search, whose property is a
    // parameter. Without the pending list (fastupdate off): a search right after many writes
    // read it whole — 4.4 ms against 0.5 ms once vacuumed, 35,000 cards. Where the extension
    // cannot be created (not installed, or the role may not), the index is left out and
    // searches test every value of the book as before.
    version: 24,
    sql: `
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX card_trigrams ON card_index USING gin (value_folded gin_trgm_ops) WITH (fastupdate = off);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm is not available: address-book searches scan each book';
END
$$;
`,
  },
  {
    // The trigram index of migration 24 held every property's values, so each card write paid
    // the trigrams of its UID (36 characters and more) and TEL too, which are looked up whole or
    // by an end (issue #20: a contact PUT's card_index insert took 1.4 ms of the database's time,
    // 0.8 ms with this index). Now only FN, N, NICKNAME, EMAIL and ORG, as SQLite's FTS5 table
    // (card-search.ts TRIGRAM_PROPERTIES); a search of those names them in its statement, so the
    // planner can prove it covered by this partial index. Made again where pg_trgm has become
    // available since.
    version: 25,
    sql: `
DROP INDEX IF EXISTS card_trigrams;
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX card_trigrams ON card_index USING gin (value_folded gin_trgm_ops) WITH (fastupdate = off)
    WHERE prop IN ('FN', 'N', 'NICKNAME', 'EMAIL', 'ORG');
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm is not available: address-book searches scan each book';
END
$$;
`,
  },
  {
    // A recurring event's expansion made ready when it is written (formats/ical/expand.ts
    // SeriesText, as JSON), beside its event_intervals and written with them: a query expands
    // it from the two without parsing it (issue #20: at 10,000 events most series an expanded
    // window meets were never parsed before, and their parse and preparation were two fifths of
    // the request). Rows written before stay NULL and are prepared from their parse as before.
    version: 26,
    sql: `ALTER TABLE resources ADD COLUMN series_text TEXT;`,
  },
  {
    // A lone event's CALDAV:expand answer made when it is written (domain/calendar/object.ts,
    // formats/ical/instance-text.ts loneEventExpansion), after the etag of its version: an
    // expanded window answers such an event from it, reading neither its body (VTIMEZONEs
    // included) nor writing the expansion again (issue #20). Rows written before stay NULL and
    // are expanded from their body as before.
    version: 27,
    sql: `ALTER TABLE resources ADD COLUMN expanded_text TEXT;`,
  },
  {
    // The time-range prefilter answered from resources_range alone (SQLite migration 27, issue
    // #20): the span-class scan stays on its four key columns, and last_end and the rows'
    // RESOURCE_COLUMNS are carried in the index (INCLUDE; id too, which SQLite's rowid gives
    // every index), so an index-only scan tests last_end and returns the candidates without
    // reading the heap rows with their bodies (as far as the visibility map allows:
    // autovacuum keeps it current).
    version: 28,
    sql: `
DROP INDEX resources_range;
CREATE INDEX resources_range ON resources(parent_id, component, span_class, first_start)
  INCLUDE (last_end, is_collection, path, collection_type, owner_id, content_type, size, etag, created_at, modified_at,
    sync_seq, uid, span_exact, meta_seq, derived, id)
  WHERE is_collection = 0;
`,
  },
];
