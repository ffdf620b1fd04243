import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store/store.js';
import type { Resource, User } from '../store/types.js';
import { DavError } from './core/errors.js';
import { storedResource } from './core/resource.js';
import { handleDav, type DavRequestInput } from './handler.js';
import { createRegistry } from './index.js';

const alice: User = { id: 1, name: 'alice', email: null, displayName: null, passwordHash: '', createdAt: 0 };
const folder: Resource = {
  id: 5,
  path: '/files/alice/docs',
  parentId: 4,
  isCollection: true,
  collectionType: '',
  ownerId: 1,
  contentType: null,
  size: 0,
  etag: '"c"',
  createdAt: 0,
  modifiedAt: 0,
  syncSeq: 1,
  uid: null,
  component: null,
  firstStart: null,
  lastEnd: null,
  spanExact: false,
  metaSeq: 0,
  derived: null,
};
/** A store holding one collection and no ACEs; nothing else may be asked of it. */
const store = {
  getResource: (path: string) => Promise.resolve(path === folder.path ? folder : null),
  grantsFor: () => Promise.resolve([]),
  now: () => Date.now(),
} as unknown as Store;

function request(registry: ReturnType<typeof createRegistry>, method: string): DavRequestInput {
  return {
    store,
    registry,
    user: alice,
    method,
    urlPath: '/dav/files/alice/docs/',
    headers: {},
    body: undefined as never,
    settings: {} as DavRequestInput['settings'],
    readBody: () => Promise.resolve(Buffer.alloc(0)),
  };
}

describe('handleDav: Allow derived from the registry (RFC 9110 §15.5.6, §10.2.1)', () => {
  it("a 405 a handler raises itself (a race) carries the same Allow as OPTIONS; the registry is the server's own", async () => {
    const registry = createRegistry();
    registry.method({
      name: 'RACE',
      privilege: 'read',
      allowedOn: () => true,
      handle: () => Promise.reject(new DavError(405, 'changed meanwhile')),
    });
    const raced = await handleDav(request(registry, 'RACE'));
    const options = await handleDav(request(registry, 'OPTIONS'));
    assert.equal(raced.status, 405);
    assert.ok(options.headers?.Allow);
    assert.equal(raced.headers?.Allow, options.headers.Allow);
    assert.deepEqual(options.headers.Allow.split(', '), registry.allowed(storedResource(folder)));
    assert.ok(options.headers.Allow.split(', ').includes('RACE'));
    // Another server's registry never heard of RACE.
    assert.equal((await handleDav(request(createRegistry(), 'RACE'))).status, 501);
  });

  it('a 405 before the handler (PUT on a collection) lists what the registry allows there, REPORT included', async () => {
    const registry = createRegistry();
    const put = await handleDav(request(registry, 'PUT'));
    assert.equal(put.status, 405);
    const allow = put.headers?.Allow?.split(', ') ?? [];
    assert.deepEqual(allow, registry.allowed(storedResource(folder)));
    assert.ok(allow.includes('REPORT') && !allow.includes('PUT') && !allow.includes('MKCOL'));
  });
});
