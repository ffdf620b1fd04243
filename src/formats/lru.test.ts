import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lru } from './lru.js';

describe('Lru: the one least-recently-used map', () => {
  it('evicts least recently used entries to stay under the byte budget', () => {
    const lru = new Lru<string, string>({ maxBytes: 1000 });
    lru.set('a', 'A', 400);
    lru.set('b', 'B', 400);
    assert.equal(lru.get('a'), 'A'); // a is now the most recent
    lru.set('c', 'C', 400);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 'A');
    assert.equal(lru.get('c'), 'C');
    assert.ok(lru.bytes <= 1000);
    lru.set('huge', 'H', 5000); // bigger than the budget: not kept, nothing evicted for it
    assert.equal(lru.get('huge'), undefined);
    assert.equal(lru.size, 2);
    assert.deepEqual(lru.stats(), { hits: 3, misses: 2, evictions: 1, entries: 2, bytes: 800 });
  });

  it('evicts by count when bounded by entries, and peek neither counts nor refreshes', () => {
    const lru = new Lru<number, string>({ maxEntries: 2 });
    lru.set(1, 'one');
    lru.set(2, 'two');
    assert.equal(lru.peek(1), 'one'); // not made recent
    lru.set(3, 'three');
    assert.equal(lru.peek(1), undefined);
    assert.equal(lru.get(2), 'two');
    assert.deepEqual(lru.stats(), { hits: 1, misses: 0, evictions: 1, entries: 2, bytes: 0 });
  });

  it('delete drops an entry and its bytes, and is no eviction', () => {
    const lru = new Lru<string, string>({ maxBytes: 1000 });
    lru.set('a', 'A', 300);
    lru.set('b', 'B', 300);
    assert.equal(lru.delete('a'), true);
    assert.equal(lru.delete('a'), false);
    assert.equal(lru.peek('a'), undefined);
    assert.deepEqual(lru.stats(), { hits: 0, misses: 0, evictions: 0, entries: 1, bytes: 300 });
  });

  it('a value refused by the caller counts as a miss', () => {
    const lru = new Lru<string, number>({ maxEntries: 4 });
    lru.set('k', 1);
    assert.equal(
      lru.get('k', (v) => v === 2),
      undefined,
    );
    assert.equal(
      lru.get('k', (v) => v === 1),
      1,
    );
    assert.deepEqual(lru.stats(), { hits: 1, misses: 1, evictions: 0, entries: 1, bytes: 0 });
  });
});
