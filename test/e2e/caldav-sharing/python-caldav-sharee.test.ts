/**
 * A real client as a sharee (caldav-sharing §5.4, §5.5.1): python3-caldav (the Debian package)
 * finds the shared calendar among the sharee's own, reads and writes it through the instance,
 * searches it by date and syncs it by token; with read access its write is refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { makeCalendar, shareAndAccept } from './sharing-steps.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(process.cwd(), 'test/e2e/caldav-sharing/python_caldav_sharee.py');
const SHARED = '/dav/calendars/alice/work/';

async function sharee(server: TestServer, user: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(PYTHON, [SCRIPT], {
    env: { ...process.env, ALMANAC_URL: `${server.url}/dav/`, ALMANAC_USER: user },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

describe('python3-caldav as a sharee', () => {
  let server: TestServer;
  let writer = '';
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', dave: 'dave-pw' } });
    await makeCalendar(server.url, 'alice', SHARED, 'Work');
    const alice = davFetch(server.url, 'alice');
    await alice(`${SHARED}a.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body:
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\n' +
        'DTSTART:20260110T100000Z\r\nDTEND:20260110T110000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    writer = await shareAndAccept(server.url, 'alice', SHARED, 'dave', 'read-write');
    await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
  });
  after(async () => server.close());

  it('read-write: discovers, reads, writes into the owner’s calendar, searches and syncs through the instance', async () => {
    const f = await sharee(server, 'dave');
    assert.ok(String(f.shared_url).endsWith(writer), `the instance ${writer} is found in dave's home`);
    assert.deepEqual(f.events, ['Planning']);
    assert.equal(f.initial_sync, 1);
    assert.ok(String(f.saved).includes(writer), 'saved under the instance');
    assert.deepEqual(f.january, ['From python', 'Planning']);
    assert.ok((f.january_urls as string[]).every((u) => u.includes(writer)));
    assert.deepEqual(f.delta, ['From python']);
    const owner = await davFetch(server.url, 'alice')(SHARED, { method: 'PROPFIND', headers: { Depth: '1' } });
    assert.equal(((await owner.text()).match(/\.ics<\/D:href>/g) ?? []).length, 2, 'the owner has the sharee’s event');
  });

  it('read: reads and searches, and the write is refused', async () => {
    const f = await sharee(server, 'bob');
    assert.equal(f.saved, null);
    assert.ok(f.save_error);
    assert.deepEqual(f.january, ['From python', 'Planning']);
  });
});
