/**
 * PostgreSQL restarted under load (a private cluster, so the machine's database that other tests
 * share is left alone): requests in flight fail cleanly with 503 and Retry-After (RFC 9110
 * §15.6.4), never 500; the nodes reconnect by themselves, with no restart; nothing acknowledged
 * is lost; change notices (LISTEN/NOTIFY) flow again afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  privatePostgresAvailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from '../../../bench/cluster/private-postgres.js';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { openEvents } from './events.js';
import { LOAD_CAL, startWriteLoad, until } from './load.js';

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

describe('PostgreSQL restarted mid-load', () => {
  const skip =
    haproxySkipReason() || (privatePostgresAvailable() ? false : 'no PostgreSQL 15 binaries for a private cluster');
  let pg: PrivatePostgres;
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    pg = await startPrivatePostgres();
    c = await startTestCluster(2, { database: pg.url });
    await Promise.all(c.nodes.map((n) => ask(n.url, LOAD_CAL, { method: 'PROPFIND', headers: { Depth: '0' } })));
  });
  after(async () => {
    await c?.close();
    pg?.destroy();
  });

  it(
    'in-flight requests get 503 + Retry-After, nodes reconnect alone, nothing acknowledged is lost',
    { skip },
    async (t) => {
      const pids = c.nodes.map((n) => n.pid());
      const load = startWriteLoad(c.url, 3);
      // A client asking node 1 directly, never retrying: every answer it sees is recorded.
      const seen = new Map<string, number>();
      let probing = true;
      const probe = (async () => {
        for (let i = 0; probing; i++) {
          const a = await ask(c.nodes[0]!.url, i % 2 ? LOAD_CAL : `${LOAD_CAL}load-0-1.ics`, {
            method: i % 2 ? 'PROPFIND' : 'GET',
            headers: { Depth: '0' },
          }).catch((err: Error) => ({ status: 0, headers: new Headers(), text: String(err.cause ?? err) }));
          const key = a.status === 503 ? `503 Retry-After: ${a.headers.get('retry-after')}` : String(a.status);
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      })();
      await until(() => load.acknowledged() >= 15, 30_000, '15 writes before the restart');
      await pg.restart();
      const atRestart = load.acknowledged();
      await until(() => load.acknowledged() >= atRestart + 20, 30_000, '20 writes after the restart');
      probing = false;
      load.stop();
      await Promise.all([probe, load.done]);
      t.diagnostic(
        `direct probe of node 1: ${JSON.stringify([...seen])}; writers: ${JSON.stringify([...load.failures])}, ${load.acknowledged()} acknowledged`,
      );
      // The probe saw only answers and clean refusals: no 500, no cut connection, no 503 without Retry-After.
      const bad = [...seen.keys()].filter((k) => !['200', '207', '404', '503 Retry-After: 5'].includes(k));
      assert.deepEqual(bad, [], JSON.stringify([...seen]));
      assert.ok(![...load.failures.keys()].some((k) => k.startsWith('gave up')), JSON.stringify([...load.failures]));
      await load.verify(c.url);
      assert.deepEqual(
        c.nodes.map((n) => n.pid()),
        pids,
        'no node was restarted',
      );
      assert.ok(c.nodes.every((n) => n.alive()));
      for (const n of c.nodes) assert.equal((await fetch(`${n.url}/healthz`)).status, 200, `node ${n.index} healthy`);
      // LISTEN/NOTIFY reconnected: a change through node 2 reaches a browser on node 1.
      const stream = await openEvents(c.nodes[0]!.url);
      try {
        await until(
          async () => {
            const put = await ask(c.nodes[1]!.url, `${LOAD_CAL}after-restart.ics`, {
              method: 'PUT',
              headers: ICS,
              body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:after-restart\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
            });
            assert.ok(put.status === 201 || put.status === 204);
            await new Promise((r) => setTimeout(r, 300));
            return stream.changes(LOAD_CAL) > 0;
          },
          15_000,
          'a change notice on node 1 for a write through node 2',
        );
      } finally {
        stream.close();
      }
    },
  );
});
