import type { Change, ChangeOp, CollectionType, DerivedKind, Lock, LockScope, Resource, User } from '../types.js';

export const RESOURCE_COLUMNS =
  'id, path, parent_id, is_collection, collection_type, owner_id, content_type, size, etag, created_at, modified_at, sync_seq, uid, component, first_start, last_end, span_exact, meta_seq, derived';

export interface ResourceRow {
  id: number;
  path: string;
  parent_id: number | null;
  is_collection: number;
  collection_type: string;
  owner_id: number;
  content_type: string | null;
  size: number;
  etag: string;
  created_at: number;
  modified_at: number;
  sync_seq: number;
  uid: string | null;
  component: string | null;
  first_start: number | null;
  last_end: number | null;
  span_exact: number;
  meta_seq: number;
  derived: string | null;
}

export function toResource(r: ResourceRow): Resource {
  return {
    id: Number(r.id),
    path: r.path,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    isCollection: Number(r.is_collection) === 1,
    collectionType: r.collection_type as CollectionType,
    ownerId: Number(r.owner_id),
    contentType: r.content_type,
    size: Number(r.size),
    etag: r.etag,
    createdAt: Number(r.created_at),
    modifiedAt: Number(r.modified_at),
    syncSeq: Number(r.sync_seq),
    uid: r.uid,
    component: r.component,
    firstStart: r.first_start === null ? null : Number(r.first_start),
    lastEnd: r.last_end === null ? null : Number(r.last_end),
    spanExact: Number(r.span_exact) === 1,
    metaSeq: Number(r.meta_seq),
    derived: r.derived as DerivedKind | null,
  };
}

/** A resource from an array row selected with RESOURCE_COLUMNS (SqlConn.rows), in that order. */
export function toResourceFromArray(a: readonly unknown[]): Resource {
  // No helper closures: this runs for every member of every listing page.
  return {
    id: Number(a[0]),
    path: a[1] as string,
    parentId: a[2] === null ? null : Number(a[2]),
    isCollection: Number(a[3]) === 1,
    collectionType: a[4] as CollectionType,
    ownerId: Number(a[5]),
    contentType: a[6] as string | null,
    size: Number(a[7]),
    etag: a[8] as string,
    createdAt: Number(a[9]),
    modifiedAt: Number(a[10]),
    syncSeq: Number(a[11]),
    uid: a[12] as string | null,
    component: a[13] as string | null,
    firstStart: a[14] === null ? null : Number(a[14]),
    lastEnd: a[15] === null ? null : Number(a[15]),
    spanExact: Number(a[16]) === 1,
    metaSeq: Number(a[17]),
    derived: a[18] as DerivedKind | null,
  };
}

/**
 * The users rows that are people. The server's own account (`is_system`, migration 21), owner of
 * server-wide collections such as the directory address book, is left out of every users query
 * here, so no caller lists it, finds it by name, id or e-mail, logs in as it or sees its principal.
 */
export const PEOPLE = 'is_system = 0';
/** The server's own account's name: not a user name (domain/users.ts), so no user can take it. */
export const SYSTEM_ACCOUNT_NAME = '__system__';

export interface UserRow {
  id: number;
  name: string;
  email: string | null;
  display_name: string | null;
  password_hash: string;
  created_at: number;
  directory: string | null;
  totp_secret: string | null;
  is_admin: number;
  quota_bytes: number | string | null;
  quota_used: number | string;
}

export function toUser(r: UserRow): User {
  return {
    id: Number(r.id),
    name: r.name,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    createdAt: Number(r.created_at),
    directory: r.directory,
    totpSecret: r.totp_secret,
    isAdmin: Number(r.is_admin) === 1,
    quotaBytes: r.quota_bytes === null ? null : Number(r.quota_bytes),
    quotaUsed: Number(r.quota_used),
  };
}

export interface LockRow {
  token: string;
  path: string;
  depth: string;
  scope: string;
  owner_xml: string | null;
  principal_id: number;
  timeout_seconds: number | null;
  expires_at: number;
  created_at: number;
}

export function toLock(r: LockRow): Lock {
  return {
    token: r.token,
    path: r.path,
    depth: r.depth === 'infinity' ? 'infinity' : 0,
    scope: r.scope as LockScope,
    ownerXml: r.owner_xml,
    principalId: Number(r.principal_id),
    timeoutSeconds: r.timeout_seconds === null ? null : Number(r.timeout_seconds),
    expiresAt: Number(r.expires_at),
    createdAt: Number(r.created_at),
  };
}

export interface ChangeRow {
  collection_id: number;
  seq: number;
  name: string;
  op: string;
  origin: string | null;
  at: number;
}

export function toChange(r: ChangeRow): Change {
  return {
    collectionId: Number(r.collection_id),
    seq: Number(r.seq),
    name: r.name,
    op: r.op as ChangeOp,
    origin: r.origin,
    at: Number(r.at),
  };
}
