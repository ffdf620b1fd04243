/**
 * vdirsyncer 0.19 two-way sync between a local vdir and a calendar, as a step against any base
 * URL (one server: vdirsyncer.test.ts; a cluster's balancer: test/e2e/cluster/): `perSide`
 * events on each side, discover, sync, edits and deletes on both sides, sync again, converged,
 * and a third sync has nothing left to do.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { davFetch } from '../../helpers/server.js';
import type { Step } from '../../helpers/steps.js';
import { runVdirsyncer } from '../../helpers/vdirsyncer.js';
import { event, mkcalendar, put, report } from '../../e2e/rfc4791/caldav-client.js';

const REMOTE = '/dav/calendars/alice/sync/';

const stamp = (i: number): string =>
  `2024${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}0000Z`;

/** The two-way sync as one step (perSide ≥ 60: the edits touch fixed ranges); close() removes its files. */
export function vdirsyncerCalendarStep(base: () => string, perSide = 150): Step & { close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-vdirsyncer-'));
  const dav = (): ReturnType<typeof davFetch> => davFetch(base());

  const vdirsyncer = (...args: string[]): Promise<string> => runVdirsyncer(dir, args, '', 300_000);

  async function remoteUids(): Promise<string[]> {
    const r = await report(
      dav(),
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

  return {
    name: `vdirsyncer two-way sync of ${2 * perSide} events converges`,
    close: () => rmSync(dir, { recursive: true, force: true }),
    async run() {
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
url = "${base()}/"
username = "alice"
password = "alice-pw"
`,
      );
      assert.equal((await mkcalendar(dav(), REMOTE, ['VEVENT', 'VTODO'])).status, 201);
      for (let i = 0; i < perSide; i++) {
        const st = stamp(i);
        assert.equal(
          (
            await put(
              dav(),
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
      for (let i = 0; i < perSide; i++) {
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
      assert.equal(localUids().length, 2 * perSide);
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
        assert.equal((await dav()(`${REMOTE}remote-${perSide - 10 + i}.ics`, { method: 'DELETE' })).status, 204);
      for (let i = 0; i < 5; i++) {
        const r = await put(
          dav(),
          `${REMOTE}remote-${perSide - 50 + i}.ics`,
          event(`remote-${perSide - 50 + i}`, '20240601T100000Z', '20240601T110000Z', ['X-EDITED:remote']),
        );
        assert.equal(r.status, 204);
      }
      await vdirsyncer('sync');
      const local = localUids();
      assert.equal(local.length, 2 * perSide - 10 - 5);
      assert.deepEqual(await remoteUids(), local);
      const remoteText = (
        await report(
          dav(),
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
    },
  };
}
