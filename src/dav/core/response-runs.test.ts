import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlNode } from '../../xml/element.js';
import { inRuns } from './response-runs.js';

const node = (s: string): XmlNode => ({ raw: s });
const texts = (run: readonly XmlNode[]): string[] => run.map((n) => (n as { raw: string }).raw);

describe('response runs (issue #20)', () => {
  it('responses at hand go over together; one that is waited for ends the run', async () => {
    const runs: string[][] = [];
    for await (const run of inRuns([node('a'), node('b'), Promise.resolve(node('c')), node('d')]))
      runs.push(texts(run));
    assert.deepEqual(runs, [
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('the run before a wait is handed over before the wait, not held through it', async () => {
    let release: (n: XmlNode) => void = () => undefined;
    const slow = new Promise<XmlNode>((resolve) => (release = resolve));
    const it = inRuns([node('a'), slow])[Symbol.asyncIterator]();
    const first = await it.next(); // answered although `slow` is still pending
    assert.deepEqual(texts(first.value as readonly XmlNode[]), ['a']);
    release(node('b'));
    assert.deepEqual(texts((await it.next()).value as readonly XmlNode[]), ['b']);
    assert.equal((await it.next()).done, true);
  });

  it('each response is made only when its turn comes', async () => {
    const made: number[] = [];
    function* lazily(): Generator<XmlNode> {
      for (let i = 0; i < 3; i++) {
        made.push(i);
        yield node(String(i));
      }
    }
    const it = inRuns(lazily())[Symbol.asyncIterator]();
    assert.deepEqual(made, []);
    await it.next();
    assert.deepEqual(made, [0, 1, 2]);
  });

  it('a long run is cut at a bounded length', async () => {
    const lengths: number[] = [];
    for await (const run of inRuns(Array.from({ length: 600 }, (_, i) => node(String(i))))) lengths.push(run.length);
    assert.equal(
      lengths.reduce((a, b) => a + b, 0),
      600,
    );
    assert.ok(lengths.length >= 3 && Math.max(...lengths) <= 256, lengths.join(','));
  });
});
