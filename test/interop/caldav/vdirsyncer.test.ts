/**
 * Interop: vdirsyncer 0.19 two-way sync of a few hundred events between a local vdir and the
 * calendar (discover, sync, edits and deletes on both sides, sync again) converges.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { event, mkcalendar, put, report, startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';

const run = promisify(execFile);
let s: CalServer;
let dir: string;
const REMOTE = '/dav/calendars/alice/sync/';

before(async () => {
  s = await startCalServer();
  dir = mkdtempSync(join(tmpdir(), 'almanac-vdirsyncer-'));
  writeFileSync(
    join(dir, 'config'),
    `[general]
status_path = "${dir}/status/"

[pair cal]
a = "local"
b = "remote"
collections = ["sync"]
conflict_resolution = "a wins"

[storage local]
type = "filesystem"
path = "${dir}/local/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "${s.server.url}/"
username = "alice"
password = "alice-pw"
`,
  );
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function vdirsyncer(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('vdirsyncer', ['--config', join(dir, 'config'), ...args], {
    timeout: 300_000,
    env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
  });
  return stdout + stderr;
}

async function remoteUids(): Promise<string[]> {
  const r = await report(
    s.fetch,
    REMOTE,
    `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`,
  );
  return [...r.text.matchAll(/UID:([^\r\n<]+)/g)].map((m) => m[1] as string).sort();
}

function localUids(): string[] {
  const d = join(dir, 'local', 'sync');
  return readdirSync(d)
    .filter((f) => f.endsWith('.ics'))
    .map((f) => /UID:([^\r\n]+)/.exec(readFileSync(join(d, f), 'utf8'))?.[1] ?? '')
    .sort();
}

const stamp = (i: number): string =>
  `2024${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}0000Z`;

describe('vdirsyncer two-way sync', () => {
  it('converges over a few hundred events', async () => {
    assert.equal((await mkcalendar(s.fetch, REMOTE, ['VEVENT', 'VTODO'])).status, 201);
    for (let i = 0; i < 150; i++) {
      const st = stamp(i);
      assert.equal(
        (
          await put(
            s.fetch,
            `${REMOTE}remote-${i}.ics`,
            event(
              `remote-${i}`,
              st,
              st.replace(/T(\d\d)/, (_m, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`),
            ),
          )
        ).status,
        201,
      );
    }
    mkdirSync(join(dir, 'local', 'sync'), { recursive: true });
    for (let i = 0; i < 150; i++) {
      const st = stamp(i + 3);
      writeFileSync(
        join(dir, 'local', 'sync', `local-${i}.ics`),
        event(
          `local-${i}`,
          st,
          st.replace(/T(\d\d)/, (_m, h: string) => `T${String(Number(h) + 1).padStart(2, '0')}`),
        ),
      );
    }
    await vdirsyncer('discover', 'cal');
    await vdirsyncer('sync');
    assert.equal(localUids().length, 300);
    assert.deepEqual(await remoteUids(), localUids());

    // Edits and deletes on both sides.
    const d = join(dir, 'local', 'sync');
    const localFiles = readdirSync(d)
      .filter((f) => f.endsWith('.ics'))
      .sort();
    for (const f of localFiles.slice(0, 10)) unlinkSync(join(d, f));
    for (const f of localFiles.slice(10, 20))
      writeFileSync(
        join(d, f),
        readFileSync(join(d, f), 'utf8').replace('SUMMARY:Test event', 'SUMMARY:Edited locally'),
      );
    for (let i = 0; i < 5; i++)
      assert.equal((await s.fetch(`${REMOTE}remote-${140 + i}.ics`, { method: 'DELETE' })).status, 204);
    for (let i = 0; i < 5; i++) {
      const r = await put(
        s.fetch,
        `${REMOTE}remote-${100 + i}.ics`,
        event(`remote-${100 + i}`, '20240601T100000Z', '20240601T110000Z', ['X-EDITED:remote']),
      );
      assert.equal(r.status, 204);
    }
    await vdirsyncer('sync');
    const local = localUids();
    assert.equal(local.length, 300 - 10 - 5);
    assert.deepEqual(await remoteUids(), local);
    const remoteText = (
      await report(
        s.fetch,
        REMOTE,
        `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-data/></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`,
      )
    ).text;
    assert.equal((remoteText.match(/Edited locally/g) ?? []).length, 10);
    const localText = readdirSync(d)
      .map((f) => readFileSync(join(d, f), 'utf8'))
      .join('');
    assert.equal((localText.match(/X-EDITED:remote/g) ?? []).length, 5);

    // A third sync has nothing left to do.
    const quiet = await vdirsyncer('sync');
    assert.doesNotMatch(quiet, /Copying|Updating|Deleting/, quiet);
  });
});
