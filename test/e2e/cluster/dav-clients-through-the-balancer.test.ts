/**
 * Real DAV clients through HAProxy (round robin per request, no sticky sessions) pass exactly as
 * against one node: the same test bodies as test/interop/ — vdirsyncer two-way sync of a
 * calendar (RFC 4791, RFC 6578) and of an address book (RFC 6352), tsdav's discovery, time-range
 * fetch and smart sync (sync-collection and ctag/etag) — while HAProxy's access log shows their
 * requests spread over all three nodes.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { tsdavSteps } from '../../interop/caldav/tsdav-steps.js';
import { vdirsyncerCalendarStep } from '../../interop/caldav/vdirsyncer-calendar-step.js';
import { VDIRSYNCER } from '../../helpers/vdirsyncer.js';
import { vdirsyncerContactSteps } from '../../interop/carddav/vdirsyncer-contact-steps.js';

describe('vdirsyncer and tsdav through three nodes behind HAProxy', async () => {
  const skip =
    (await postgresSkipReason()) ||
    haproxySkipReason() ||
    (existsSync(VDIRSYNCER) ? false : 'vdirsyncer is not installed');
  let c: TestCluster;
  const base = (): string => c.url;
  const calendar = vdirsyncerCalendarStep(base);
  const contacts = vdirsyncerContactSteps(base);
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3, { accessLog: true });
  });
  after(async () => {
    calendar.close();
    contacts.close();
    await c?.close();
  });

  it(`${calendar.name}`, { skip }, () => calendar.run());
  for (const step of contacts.steps) it(`vdirsyncer contacts: ${step.name}`, { skip }, () => step.run());
  for (const step of tsdavSteps(base)) it(`tsdav: ${step.name}`, { skip }, () => step.run());

  it('the clients were served by every node in turn', { skip }, () => {
    const log = c.accessLog();
    const by = (n: string): number => log.filter((r) => r.node === n).length;
    assert.ok(log.length > 100, `${log.length} requests logged`);
    for (const n of ['n1', 'n2', 'n3'])
      assert.ok(by(n) > log.length / 5, `${n} served ${by(n)} of ${log.length} requests`);
    assert.deepEqual(
      log.filter((r) => r.status >= 500),
      [],
      'no request failed on a node',
    );
  });
});
