/**
 * A node whose clock is 10 minutes off changes nothing: sync tokens come from the change feed's
 * sequence (RFC 6578 §3.2), never a clock, and lock timeouts (RFC 4918 §6.6, §10.7) are measured
 * by the clock the nodes share (the database server's), so a lock taken on a node that is behind
 * is not over early on the others, nor one taken on a node that is ahead kept too long.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';

const SKEW_MS = 10 * 60 * 1000;
const PRELOAD = pathToFileURL(join(import.meta.dirname, '..', '..', 'helpers', 'skewed-clock.js')).href;
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const LOCKINFO =
  '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>';

/** The lock's remaining timeout in seconds as `base` reports it (DAV:lockdiscovery). */
async function timeoutSeen(base: string, path: string): Promise<number> {
  const a = await ask(base, path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>',
  });
  return Number(/<D:timeout>Second-(\d+)<\/D:timeout>/.exec(a.text)?.[1] ?? NaN);
}

describe('a node whose clock is 10 minutes off', async () => {
  const skip = (await postgresSkipReason()) || haproxySkipReason();
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    // n1 on time, n2 ten minutes ahead, n3 ten minutes behind.
    const skews = [0, SKEW_MS, -SKEW_MS];
    c = await startTestCluster(3, {
      nodeEnv: (i) => ({
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PRELOAD}`.trim(),
        ALMANAC_TEST_CLOCK_SKEW_MS: String(skews[i - 1]),
      }),
    });
  });
  after(async () => c?.close());

  it(
    'really is off: what a node stamps by its own clock (DAV:getlastmodified) is off by 10 minutes',
    { skip },
    async () => {
      const stamped = await Promise.all(
        c.nodes.map(async (n) => {
          const path = `/dav/files/alice/stamp-${n.index}.txt`;
          assert.equal((await ask(n.url, path, { method: 'PUT', body: 'x' })).status, 201);
          const a = await ask(c.url, path, {
            method: 'PROPFIND',
            headers: { ...XML, Depth: '0' },
            body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getlastmodified/></D:prop></D:propfind>',
          });
          return Date.parse(/<D:getlastmodified>([^<]+)</.exec(a.text)?.[1] ?? '') - Date.now();
        }),
      );
      assert.ok(Math.abs(stamped[0]!) < 60_000, `n1: ${stamped[0]} ms`);
      assert.ok(Math.abs(stamped[1]! - SKEW_MS) < 60_000, `n2 ahead: ${stamped[1]} ms`);
      assert.ok(Math.abs(stamped[2]! + SKEW_MS) < 60_000, `n3 behind: ${stamped[2]} ms`);
    },
  );

  it('a lock taken on the node that is behind holds on the others for its whole timeout', { skip }, async () => {
    const [n1, n2, n3] = c.nodes;
    const path = '/dav/files/alice/behind.txt';
    assert.equal((await ask(n1!.url, path, { method: 'PUT', body: 'v1' })).status, 201);
    const lock = await ask(n3!.url, path, {
      method: 'LOCK',
      headers: { ...XML, Timeout: 'Second-120' },
      body: LOCKINFO,
    });
    assert.equal(lock.status, 200);
    for (const n of [n1!, n2!]) {
      assert.equal((await ask(n.url, path, { method: 'PUT', body: 'no token' })).status, 423, `node ${n.index}`);
      const left = await timeoutSeen(n.url, path);
      assert.ok(left > 60 && left <= 120, `node ${n.index} reports ${left} s left`);
    }
  });

  it('a lock taken on the node that is ahead is not kept longer than asked', { skip }, async () => {
    const [n1, n2] = c.nodes;
    const path = '/dav/files/alice/ahead.txt';
    assert.equal((await ask(n1!.url, path, { method: 'PUT', body: 'v1' })).status, 201);
    const lock = await ask(n2!.url, path, {
      method: 'LOCK',
      headers: { ...XML, Timeout: 'Second-60' },
      body: LOCKINFO,
    });
    assert.equal(lock.status, 200);
    const left = await timeoutSeen(n1!.url, path);
    assert.ok(left > 30 && left <= 60, `node 1 reports ${left} s left`);
  });

  it(
    'writes through the skewed nodes: sync tokens only move forward and the feed misses nothing (RFC 6578 §3.2)',
    { skip },
    async () => {
      const cal = '/dav/calendars/alice/default/';
      const sync = async (base: string, token: string): Promise<{ token: string; hrefs: string[] }> => {
        const a = await ask(base, cal, {
          method: 'REPORT',
          headers: XML,
          body: `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
        });
        assert.equal(a.status, 207, a.text);
        return {
          token: /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(a.text)?.[1] ?? '',
          hrefs: [...a.text.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]!),
        };
      };
      let { token } = await sync(c.nodes[0]!.url, '');
      for (let i = 0; i < 6; i++) {
        const n = c.nodes[i % 3]!;
        const body = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:skew-${i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
        const put = await ask(n.url, `${cal}skew-${i}.ics`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body,
        });
        assert.equal(put.status, 201);
        // Each node in turn answers the sync: every one of them sees exactly the new event.
        const reader = c.nodes[(i + 1) % 3]!;
        const next = await sync(reader.url, token);
        assert.deepEqual(
          next.hrefs,
          [`${cal}skew-${i}.ics`],
          `sync on node ${reader.index} after a PUT on node ${n.index}`,
        );
        assert.ok(
          Number(/-(\d+)$/.exec(next.token)?.[1]) > Number(/-(\d+)$/.exec(token)?.[1]),
          `${token} → ${next.token}`,
        );
        token = next.token;
      }
    },
  );
});
