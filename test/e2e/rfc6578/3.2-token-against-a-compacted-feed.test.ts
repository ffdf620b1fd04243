/**
 * RFC 6578 §3.2: a sync token the server can no longer answer from gets DAV:valid-sync-token (the
 * client then syncs in full), never an answer missing changes. A sync-collection reads the
 * change feed after the token beside the floor below which the feed was compacted (issue #20:
 * one round trip on PostgreSQL); compaction committed between the two reads leaves a feed that
 * does not go on from the token, which is refused. The compaction is staged by a store whose
 * feed read drops the token's first change, as a compaction committed just before it would.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

const CAL = '/dav/calendars/alice/default/';
const sync = (token: string): string =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
const event = (uid: string): string =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('RFC 6578 §3.2 a token against a feed compacted while it was read', () => {
  let dir: string;
  let server: TestServer;
  /** While set, the feed read drops its first change (a compaction committed between the floor's read and it). */
  let compactedMeanwhile = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-compacted-'));
    const real = openSqliteStore(join(dir, 'almanac.sqlite'));
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop !== 'changesSince' || typeof value !== 'function') return value;
        return async (...args: Parameters<Store['changesSince']>) => {
          const changes = await (value as Store['changesSince']).apply(target, args);
          return compactedMeanwhile ? changes.slice(1) : changes;
        };
      },
    });
    server = await startTestServer({ store });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers DAV:valid-sync-token (403), not the changes without the first one; the same token is answered in full otherwise', async () => {
    const alice = davFetch(server.url, 'alice');
    const put = async (name: string): Promise<void> => {
      const res = await alice(`${CAL}${name}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: event(name),
      });
      assert.equal(res.status, 201);
    };
    await put('before');
    const initial = await alice(CAL, { method: 'REPORT', headers: { 'Cache-Control': 'no-cache' }, body: sync('') });
    const token = /<D:sync-token>([^<]+)</.exec(await initial.text())?.[1] ?? '';
    assert.ok(token);
    await put('first');
    await put('second');

    compactedMeanwhile = true;
    const refused = await alice(CAL, { method: 'REPORT', headers: { 'Cache-Control': 'no-cache' }, body: sync(token) });
    compactedMeanwhile = false;
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /valid-sync-token/);

    const answered = await alice(CAL, {
      method: 'REPORT',
      headers: { 'Cache-Control': 'no-cache' },
      body: sync(token),
    });
    assert.equal(answered.status, 207);
    const text = await answered.text();
    assert.match(text, /first\.ics/);
    assert.match(text, /second\.ics/);
    assert.doesNotMatch(text, /before\.ics/);
  });
});
