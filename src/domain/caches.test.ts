import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Caches, formatCacheStats } from './caches.js';

describe('Caches: every cache of a server, from its configuration', () => {
  it('sizes come from the configuration; 0 turns a cache off and it is not reported', () => {
    const on = new Caches({ responseCacheBytes: 2 * 1024 * 1024, objectCacheBytes: 1024 * 1024 });
    assert.equal(on.answers?.maxBytes, 1024 * 1024);
    assert.equal(on.fragments?.maxBytes, 1024 * 1024);
    assert.equal(on.objects.enabled, true);
    assert.deepEqual(Object.keys(on.stats()).sort(), [
      'answers',
      'floating-zones',
      'fragments',
      'listings',
      'objects',
      'zone-offsets',
    ]);
    const off = Caches.none();
    assert.equal(off.answers, null);
    assert.equal(off.fragments, null);
    assert.equal(off.objects.enabled, false);
    assert.deepEqual(Object.keys(off.stats()), ['zone-offsets', 'floating-zones']);
  });

  it('one stats shape per cache, and one log line for them all', () => {
    const c = new Caches({ responseCacheBytes: 1024 * 1024, objectCacheBytes: 0 });
    c.fragments!.set('k', { etag: '"e"', metaSeq: 0, path: '/a', href: '', text: 'text' }, 100);
    c.fragments!.get('k');
    c.fragments!.get('other');
    assert.deepEqual(c.stats().fragments, { hits: 1, misses: 1, evictions: 0, entries: 1, bytes: 100 });
    const line = formatCacheStats({ fragments: c.stats().fragments! });
    assert.equal(line, 'Caches: fragments 1 hits, 1 misses, 0 evictions, 1 entries, 0.0 MB');
    assert.equal(formatCacheStats({}), 'Caches: none');
  });
});
