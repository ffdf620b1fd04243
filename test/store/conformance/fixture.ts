/**
 * What every store conformance case works with: the store of the case running now (a fresh, empty
 * one per case, with the user alice and her home collection) and small helpers over it.
 *
 * `store`, `alice` and `home` are live bindings: index.ts calls `openCase` before each case and
 * `closeCase` after it, and the case files read the current values through their imports.
 */
import assert from 'node:assert/strict';
import { StoreError, type Store, type StoreErrorCode, type StoreTx } from '../../../src/store/store.js';
import type { Lock, PutOptions, Resource, User } from '../../../src/store/types.js';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
  /**
   * Runs one statement on the database outside the store, `?` for each parameter, as another
   * process would (a node of an older version beside this one).
   */
  sql(text: string, params: readonly unknown[]): Promise<void>;
}

const enc = new TextEncoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
/** Compare bytes whatever the concrete class (Buffer, Uint8Array) a driver hands back. */
export const same = (actual: Uint8Array, expected: Uint8Array, msg?: string): void =>
  assert.deepEqual(Buffer.from(actual), Buffer.from(expected), msg);

export async function rejectsWith(p: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError '${code}', got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

/** Byte order of UTF-8, the order paths are listed in. */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export const HOME = '/files/alice';

export class Boom extends Error {}

let opened: OpenedStore | undefined;
/** The current case's store. */
export let store: Store;
/** The user every case starts with, owner of HOME. */
export let alice: User;
/** alice's home collection (HOME). */
export let home: Resource;

/** Opens the fresh store of the next case and creates alice and her home in it. */
export async function openCase(open: () => Promise<OpenedStore>): Promise<void> {
  opened = await open();
  store = opened.store;
  [alice, home] = await tx(async (t) => {
    const u = await t.createUser({
      name: 'alice',
      passwordHash: 'hash-a',
      email: 'alice@example.org',
      displayName: 'Alice',
    });
    return [u, await t.createCollection(HOME, { ownerId: u.id, home: true })] as const;
  });
}

/** Closes and removes the current case's store. */
/** OpenedStore.sql on the current case's database. */
export async function rawSql(text: string, params: readonly unknown[]): Promise<void> {
  assert.ok(opened, 'a case is open');
  await opened.sql(text, params);
}

export async function closeCase(): Promise<void> {
  await opened?.cleanup();
  opened = undefined;
}

export const tx = <T>(fn: (t: StoreTx) => Promise<T>, keys: readonly string[] = [HOME]): Promise<T> =>
  store.transaction(keys, fn);

export const put = (path: string, body: string | Uint8Array = 'x', extra: Partial<PutOptions> = {}) =>
  tx((t) =>
    t.putObject(path, {
      ownerId: alice.id,
      body: typeof body === 'string' ? bytes(body) : body,
      contentType: 'text/plain',
      etag: `"${path}-${body.length}"`,
      ...extra,
    }),
  );

export const mkcol = (path: string, origin: string | null = null) =>
  tx((t) => t.createCollection(path, { ownerId: alice.id, origin }));

export const get = async (path: string): Promise<Resource> => {
  const r = await store.getResource(path);
  assert.ok(r, `${path} should exist`);
  return r;
};

export const lock = (path: string, over: Partial<Lock> = {}): Lock => ({
  token: `urn:uuid:${path}-${Math.random().toString(16).slice(2)}`,
  path,
  depth: 0,
  scope: 'exclusive',
  ownerXml: null,
  principalId: alice.id,
  timeoutSeconds: 600,
  expiresAt: Date.now() + 600_000,
  createdAt: Date.now(),
  ...over,
});
