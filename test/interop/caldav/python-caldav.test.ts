/**
 * Interop: python3-caldav (Debian package, 0.11) discovers, creates a calendar, stores events and
 * tasks, searches by date range (recurring, expanded) and by UID, and syncs by token.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = join(process.cwd(), 'test/interop/caldav/python_caldav_client.py');
let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

describe('python3-caldav', () => {
  it('discovers, creates, searches and syncs', async () => {
    const { stdout } = await run(PYTHON, [SCRIPT], {
      env: { ...process.env, ALMANAC_URL: `${s.server.url}/dav/` },
      timeout: 120_000,
    });
    const f = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    assert.match(String(f.principal), /\/dav\/principals\/users\/alice\/$/);
    assert.ok((f.calendars as string[]).some((c) => c.endsWith('/dav/calendars/alice/default/')));
    assert.match(String(f.made), /\/dav\/calendars\/alice\/pywork\/$/);
    assert.equal(f.displayname, 'Python Work');
    assert.deepEqual(f.march, ['one', 'two', 'weekly']);
    assert.deepEqual(f.weekly_expanded, ['20240304T090000Z', '20240311T090000Z']);
    assert.match(String(f.by_uid), /\.ics$/);
    assert.deepEqual(f.todos, ['task-1']);
    assert.equal(f.all_events, 4);
    assert.equal(f.initial_sync, 5);
    assert.equal((f.delta as string[]).length, 2);
    assert.deepEqual(f.delta_loaded, ['three']);
    assert.equal(f.deleted, true);
  });
});
