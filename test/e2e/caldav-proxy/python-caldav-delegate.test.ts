/**
 * caldav-proxy §5.4 with a real client: python3-caldav (Debian 0.11) logged in as Bob, Alice's
 * write proxy, reads Alice's principal, lists her calendars and stores an event in one. The
 * package has no principal search (search_principals is in later versions), so the RFC 3744
 * §9.4 side is covered by the e2e tests in test/e2e/rfc3744/ only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { setMembers } from './proxy-client.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(process.cwd(), 'test/e2e/caldav-proxy/python_caldav_delegate.py');

let server: TestServer;
before(async () => {
  server = await startTestServer();
  const res = await davFetch(server.url, 'alice')('/dav/principals/users/alice/calendar-proxy-write/', {
    method: 'PROPPATCH',
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
    body: setMembers('bob'),
  });
  assert.equal(res.status, 207);
});
after(() => server.close());

describe('python3-caldav as a write proxy (caldav-proxy §5.4)', () => {
  it("opens Alice's principal and calendars and stores an event in her calendar", async () => {
    const { stdout } = await run(PYTHON, [SCRIPT], {
      env: { ...process.env, ALMANAC_URL: `${server.url}/dav/` },
      timeout: 60_000,
    });
    const f = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    assert.ok((f.addresses as string[]).includes('mailto:alice@example.com'));
    assert.ok((f.calendars as string[]).some((c) => c.endsWith('/dav/calendars/alice/default/')));
    assert.match(String(f.saved), /\/dav\/calendars\/alice\/default\/.+\.ics$/);
    const stored = await davFetch(server.url, 'alice')(new URL(String(f.saved)).pathname);
    assert.equal(stored.status, 200);
    assert.match(await stored.text(), /SUMMARY:Booked by Bob/);
  });
});
