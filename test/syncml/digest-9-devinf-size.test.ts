/**
 * Digest §9 (RepPro 1.2 §10 status 413, MoreData chunks): a DevInf sent in chunks is bounded
 * like any large object; chunks adding up beyond the limit are refused with 413 instead of
 * being kept in the session without end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEVINF_XML } from '../../src/formats/syncml/model.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Device, itemStatuses, makeServer } from './driver.js';

describe('digest §9: DevInf size', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.close());

  it('DevInf chunks adding up beyond 1 MiB → 413; the session keeps nothing of them', async () => {
    const dev = new Device(makeServer(t.store), 'chunky-phone', '1');
    const chunk = (n: number) => [
      {
        kind: 'Put' as const,
        cmdId: '1',
        meta: { type: DEVINF_XML },
        items: [{ source: { locURI: './devinf12' }, data: 'x'.repeat(n), moreData: true }],
      },
    ];
    const r1 = await dev.send(chunk(600_000), false, true);
    assert.deepEqual(itemStatuses(r1, 'Put'), [213]);
    const r2 = await dev.send(chunk(600_000), false);
    assert.deepEqual(itemStatuses(r2, 'Put'), [413]);
    const r3 = await dev.send(chunk(10), false);
    assert.deepEqual(itemStatuses(r3, 'Put'), [413], 'the rest of the refused object is refused too');
  });
});
