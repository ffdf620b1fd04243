import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import { createRegistry } from '../index.js';
import type { DavContext } from './context.js';
import { propstatsFor } from './properties.js';
import { storedResource } from './resource.js';
import { resourceRow } from '../../store/resource-fixture.js';

const registry = createRegistry();

const alice: User = { id: 1, name: 'alice', email: null, displayName: null, passwordHash: '', createdAt: 0 };

const bobsFile: Resource = resourceRow({
  id: 9,
  path: '/files/bob/secret.txt',
  parentId: 8,
  ownerId: 2,
  contentType: 'text/plain',
  size: 6,
  etag: '"bob-etag"',
});

/** A store that fails the test if anything is read from it. */
const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => {
      throw new Error(`the store was asked for ${String(name)}`);
    },
  },
) as Store;

describe('propstatsFor (dav/core/properties.ts)', () => {
  it('RFC 3744 §7.1.1: on a resource the user may not read, every property asked is 403 and nothing is read', async () => {
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    const names = [dav('getetag'), dav('displayname'), '{urn:x}dead', dav('getetag')];
    const propstats = await propstatsFor(ctx, storedResource(bobsFile), { kind: 'prop', names });
    const xml = propstats.map((p) => serializeXml(p, false)).join('');
    assert.equal(propstats.length, 1);
    assert.match(xml, /403 Forbidden/);
    assert.doesNotMatch(xml, /bob-etag|secret/);
    assert.equal(xml.match(/getetag/g)?.length, 1, 'each name once');
    const all = await propstatsFor(ctx, storedResource(bobsFile), { kind: 'allprop', include: [] });
    assert.doesNotMatch(all.map((p) => serializeXml(p, false)).join(''), /bob-etag|getcontentlength|200 OK/);
  });
});
