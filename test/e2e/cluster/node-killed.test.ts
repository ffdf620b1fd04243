/**
 * A node killed with SIGKILL in the middle of a write load through HAProxy: clients retry
 * through the balancer, no acknowledged write is lost, the survivors keep serving, and the
 * node started again serves the same data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { LOAD_CAL, startWriteLoad, until } from './load.js';

describe('kill -9 a node mid-load', async () => {
  const skip = (await postgresSkipReason()) || haproxySkipReason();
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3);
    await Promise.all(c.nodes.map((n) => ask(n.url, LOAD_CAL, { method: 'PROPFIND', headers: { Depth: '0' } })));
  });
  after(async () => c?.close());

  it('loses no acknowledged write; the survivors serve; the node comes back', { skip }, async (t) => {
    const load = startWriteLoad(c.url, 4);
    await until(() => load.acknowledged() >= 20, 30_000, '20 writes before the kill');
    const victim = c.nodes[1]!;
    await victim.kill('SIGKILL');
    const atKill = load.acknowledged();
    await until(() => load.acknowledged() >= atKill + 30, 30_000, '30 writes after the kill');
    // The survivors answer every request: the balancer has taken the dead node out.
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const a = await ask(c.url, LOAD_CAL, { method: 'PROPFIND', headers: { Depth: '0' } });
      assert.equal(a.status, 207);
      served.add(a.node);
    }
    assert.ok(!served.has('n2'), `the dead node is out of the rotation: ${[...served].join(',')}`);
    load.stop();
    await load.done;
    t.diagnostic(`writers: ${JSON.stringify([...load.failures])}, ${load.acknowledged()} acknowledged`);
    assert.ok(![...load.failures.keys()].some((k) => k.startsWith('gave up')), JSON.stringify([...load.failures]));
    await load.verify(c.url);
    await victim.start();
    await load.verify(victim.url);
    const back = new Set<string>();
    await until(
      async () => {
        back.add((await ask(c.url, LOAD_CAL, { method: 'PROPFIND', headers: { Depth: '0' } })).node);
        return back.has('n2');
      },
      10_000,
      'the restarted node back in the rotation',
    );
  });
});
