import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resource } from '../../store/types.js';
import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { parseXml } from '../../xml/parse.js';
import { StreamingXmlWriter } from '../../xml/write.js';
import { Lru } from '../../formats/lru.js';
import type { KeptFragment } from '../../domain/caches.js';
import { MemberFragments } from './member-fragments.js';

function member(over: Partial<Resource> = {}): Resource {
  return {
    id: 5,
    path: '/calendars/u1/default/a.ics',
    parentId: 7,
    isCollection: false,
    collectionType: '',
    ownerId: 1,
    contentType: 'text/calendar',
    size: 10,
    etag: '"e1"',
    createdAt: 0,
    modifiedAt: 0,
    syncSeq: 0,
    uid: 'a',
    component: 'VEVENT',
    firstStart: null,
    lastEnd: null,
    spanExact: false,
    metaSeq: 0,
    derived: null,
    ...over,
  };
}

describe('member fragments (dav/core/member-fragments.ts)', () => {
  it('a fragment serves only the same user, shape and member in the same state: id, etag, dead properties, path, echoed href', () => {
    const f = new MemberFragments(new Lru({ maxBytes: 1 << 20 }));
    const response = el(dav('response'), {}, el(dav('href'), {}, '/a.ics'));
    f.keep(f.keyOf(1, 's', member()), response);
    assert.ok(f.get(f.keyOf(1, 's', member())));
    for (const other of [
      f.keyOf(2, 's', member()),
      f.keyOf(1, 't', member()),
      f.keyOf(1, 's', member({ id: 6 })),
      f.keyOf(1, 's', member({ etag: '"e2"' })),
      f.keyOf(1, 's', member({ metaSeq: 1 })),
      f.keyOf(1, 's', member({ path: '/calendars/u1/default/b.ics' })),
      f.keyOf(1, 's', member(), '/dav/calendars/u1/default/a%2Eics'),
    ])
      assert.equal(f.get(other), undefined);
  });

  it('issue #20: the key is short, and a member written again replaces its fragment rather than adding one', () => {
    const lru = new Lru<string, KeptFragment>({ maxBytes: 1 << 20 });
    const f = new MemberFragments(lru);
    const shape = MemberFragments.shapeKey('{"kind":"prop"}', 'UTC');
    const k = f.keyOf(1, shape, member());
    // Lookups hash and compare the key: the member's path, etag and echoed href are not in it.
    assert.ok(k.key.length <= 40, k.key);
    f.keep(k, el(dav('response'), {}, el(dav('href'), {}, '/a.ics')));
    const again = f.keyOf(1, shape, member({ etag: '"e2"' }));
    assert.equal(f.get(again), undefined);
    f.keep(again, el(dav('response'), {}, el(dav('href'), {}, '/a.ics'), el(dav('getetag'), {}, '"e2"')));
    assert.equal(lru.size, 1);
    assert.ok(f.get(again));
  });

  it('keeps the serialised element, which reads back the same inside any multistatus', () => {
    const lru = new Lru<string, KeptFragment>({ maxBytes: 1 << 20 });
    const f = new MemberFragments(lru);
    const response = el(dav('response'), {}, el(dav('href'), {}, '/a.ics'), el('{urn:x}color', {}, 'teal & blue'));
    const key = f.keyOf(1, 's', member());
    assert.equal(f.get(key), undefined);
    const kept = f.keep(key, response);
    const hit = f.get(key);
    assert.deepEqual(hit, kept);
    const w = new StreamingXmlWriter(dav('multistatus'));
    const doc = parseXml(w.open() + w.write(el(dav('response'), {}, el('{urn:y}other'))) + w.write(hit!) + w.close());
    const again = doc.children[1];
    assert.ok(again && typeof again === 'object' && 'name' in again);
    assert.deepEqual(
      again,
      parseXml(new StreamingXmlWriter(dav('multistatus')).open() + w.write(response) + w.close()).children[0],
    );
    const { hits, misses } = lru.stats();
    assert.deepEqual({ hits, misses }, { hits: 1, misses: 1 });
  });
});
