// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * The SyncML XML reader within explicit limits (../wbxml/limits.ts, the DAV XML layer's):
 * namespace declarations cost linear time, and element count, attributes per element and size
 * are bounded, each refused with a DocumentLimitError carrying its HTTP status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DOCUMENT_LIMITS, DocumentLimitError } from '../wbxml/limits.js';
import { parseSyncmlXml } from './xml.js';

function limitStatus(f: () => unknown): number | 'none' | string {
  try {
    f();
    return 'none';
  } catch (err) {
    if (err instanceof DocumentLimitError) return err.status;
    return (err as Error).name;
  }
}

/** `levels` nested elements each declaring `decls` prefixes, around `leaves` elements using them. */
function namespaced(levels: number, decls: number, leaves: number): string {
  const open: string[] = [];
  for (let l = 0; l < levels; l++) {
    let d = '';
    for (let k = 0; k < decls; k++) d += ` xmlns:p${l}x${k}="urn:x:${l}:${k}"`;
    open.push(`<L${l}${l === 0 ? ' xmlns="SYNCML:SYNCML1.2"' : ''}${d}>`);
  }
  const body: string[] = [];
  for (let i = 0; i < leaves; i++) body.push(`<p${i % levels}x${i % decls}:a/>`);
  return `${open.join('')}${body.join('')}${open.map((_, l) => `</L${levels - 1 - l}>`).join('')}`;
}

describe('SyncML XML limits', () => {
  it('3,600 namespace declarations in scope over 50,000 elements parse in linear time (< 1.5 s)', () => {
    const doc = namespaced(60, 60, 50_000);
    const t0 = performance.now();
    const root = parseSyncmlXml(doc);
    const ms = performance.now() - t0;
    assert.equal(root.ns, 'SYNCML:SYNCML1.2');
    assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
  });

  it('the innermost declaration of a prefix wins; an undeclared prefix is an error', () => {
    const root = parseSyncmlXml('<a xmlns="u1" xmlns:p="u2"><b xmlns:p="u3"><p:c/></b><p:d/></a>');
    const b = root.children[0] as { children: { ns: string }[] };
    assert.equal(b.children[0]?.ns, 'u3');
    assert.equal((root.children[1] as { ns: string }).ns, 'u2');
    assert.equal(
      limitStatus(() => parseSyncmlXml('<a><q:b/></a>')),
      'SyncmlXmlError',
    );
  });

  it('thousands of attributes on one element → 400, quickly', () => {
    let d = '';
    for (let k = 0; k < 8000; k++) d += ` xmlns:p${k}="u"`;
    const t0 = performance.now();
    assert.equal(
      limitStatus(() => parseSyncmlXml(`<SyncML${d}/>`)),
      400,
    );
    assert.ok(performance.now() - t0 < 200);
    let ok = '';
    for (let k = 0; k < DEFAULT_DOCUMENT_LIMITS.maxAttributes; k++) ok += ` xmlns:p${k}="u"`;
    assert.equal(
      limitStatus(() => parseSyncmlXml(`<SyncML${ok}/>`)),
      'none',
    );
  });
});

describe('SyncML XML limits: element counts, entities, depth and size', () => {
  it('more elements than maxElements → 413, before the rest is read', () => {
    const n = DEFAULT_DOCUMENT_LIMITS.maxElements;
    assert.equal(
      limitStatus(() => parseSyncmlXml(`<S>${'<a/>'.repeat(n - 1)}</S>`)),
      'none',
    );
    const t0 = performance.now();
    assert.equal(
      limitStatus(() => parseSyncmlXml(`<S>${'<a/>'.repeat(3_900_000)}</S>`)),
      413,
    );
    assert.ok(performance.now() - t0 < 1000);
  });

  // The memory bound is what tells one pass from several (the old decoder grew RSS by ~400 MB);
  // the time bound only guards against a hang, since a busy 2-core CI machine varies by 5×.
  it('15 MB of entity references decode in one pass: RSS + < 150 MB (was + 400 MB), < 10 s', () => {
    const doc = `<S>${'&amp;'.repeat(3_000_000)}</S>`;
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const t0 = performance.now();
    const root = parseSyncmlXml(doc);
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal((root.children[0] as string).length, 3_000_000);
    const grown = (peak - rss) / 2 ** 20;
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    assert.ok(grown < 150, `RSS grew by ${grown.toFixed(0)} MB in ${ms.toFixed(0)} ms`);
  });

  it('predefined entities and character references decode; a stray & or a reference beyond U+10FFFF is an error', () => {
    assert.deepEqual(parseSyncmlXml('<S a="&quot;">&lt;&#65;&#x42;&#x0000043;&amp;&quot;&apos;&gt;</S>').children, [
      '<ABC&"\'>',
    ]);
    for (const bad of ['a & b', '&amp', '&nbsp;', '&#x110000;', '&#;', '&constructor;']) {
      assert.equal(
        limitStatus(() => parseSyncmlXml(`<S>${bad}</S>`)),
        'SyncmlXmlError',
        bad,
      );
    }
  });

  it('nesting deeper than maxDepth → 400; a document over maxBytes → 413', () => {
    const d = DEFAULT_DOCUMENT_LIMITS.maxDepth;
    assert.equal(
      limitStatus(() => parseSyncmlXml(`${'<a>'.repeat(d)}${'</a>'.repeat(d)}`)),
      'none',
    );
    assert.equal(
      limitStatus(() => parseSyncmlXml(`${'<a>'.repeat(d + 1)}${'</a>'.repeat(d + 1)}`)),
      400,
    );
    assert.equal(
      limitStatus(() => parseSyncmlXml(`<a>${' '.repeat(DEFAULT_DOCUMENT_LIMITS.maxBytes)}</a>`)),
      413,
    );
  });
});
