/**
 * Change notices cross processes: a write committed by `almanac import` — a second process on
 * the server's SQLite file — reaches an open event stream (HTML §9.2 server-sent events) as it
 * does for the server's own writes, within 2 seconds.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { ALMANAC } from '../../helpers/cli-server.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { EventLog } from '../../helpers/event-log.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ALMANAC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function logIn(base: string): Promise<string> {
  const res = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
  });
  assert.equal(res.status, 200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Run `almanac import` of one event in a child process; the notice must reach `log` within 2 s of its end. */
async function importReachesStream(s: TestServer, log: EventLog, store: string[]): Promise<void> {
  const file = join(s.dataDir, 'one.ics');
  writeFileSync(
    file,
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//Import//EN',
      'BEGIN:VEVENT',
      'UID:from-cli@example.com',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260110T100000Z',
      'DTEND:20260110T110000Z',
      'SUMMARY:Imported by the CLI',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  const r = await run(['import', 'alice', 'default', file, ...store]);
  const done = Date.now();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Imported 1 of 1/);
  const notice = await log.waitFor(
    (e) => e.event === 'change' && e.data.includes('/dav/calendars/alice/default/'),
    2000,
  );
  assert.ok(notice.at - done < 2000, `the notice came ${notice.at - done} ms after the import ended`);
  const got = await davFetch(s.url, 'alice')('/dav/calendars/alice/default/from-cli@example.com.ics');
  assert.equal(got.status, 200, 'the imported event is served');
}

describe('change notices cross processes (SQLite)', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    s = await startTestServer();
    cookie = await logIn(s.url);
  });
  after(async () => {
    await s.close();
  });

  it('an event imported by `almanac import` in another process reaches an open event stream within 2 s', async () => {
    const log = await EventLog.open(s.url, cookie);
    try {
      await importReachesStream(s, log, ['--data', s.dataDir]);
    } finally {
      log.close();
    }
  });

  it("the server's own writes are announced once, not again by the other-process watcher", async () => {
    const log = await EventLog.open(s.url, cookie);
    try {
      const put = await davFetch(s.url, 'alice')('/dav/calendars/alice/default/own.ics', {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//Test//Own//EN',
          'BEGIN:VEVENT',
          'UID:own@example.com',
          'DTSTAMP:20260101T000000Z',
          'DTSTART:20260111T100000Z',
          'SUMMARY:Own write',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      });
      assert.equal(put.status, 201);
      await log.waitFor((e) => e.event === 'change', 2000);
      // Two poll intervals later there is still only the one notice.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(log.events.filter((e) => e.event === 'change').length, 1, JSON.stringify(log.events));
    } finally {
      log.close();
    }
  });
});

describe('change notices cross processes (PostgreSQL: the command line NOTIFYs)', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  let s: TestServer | undefined;
  before(async () => {
    if (skip) return;
    db = await createThrowawayDatabase();
    s = await startTestServer({ store: await openPostgresStore(db.url), config: { database: db.url } });
  });
  after(async () => {
    await s?.close();
    await db?.drop();
  });

  it(
    'an event imported by `almanac import --database postgres://…` reaches an open event stream within 2 s',
    { skip },
    async () => {
      const log = await EventLog.open(s!.url, await logIn(s!.url));
      try {
        await new Promise((r) => setTimeout(r, 200)); // the server's LISTEN is up
        await importReachesStream(s!, log, ['--database', db!.url]);
      } finally {
        log.close();
      }
    },
  );
});
