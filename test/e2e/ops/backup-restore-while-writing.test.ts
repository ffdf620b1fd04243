/**
 * `almanac backup` / `almanac restore` (issue #19). The backup is taken by a separate process
 * while a server keeps writing to the same SQLite file (new events one after another, bounded
 * in count and time); the restored store, served by a second server, has every object and sync
 * token identical to the source for every collection written before the backup, and for the
 * collection written during it exactly a prefix of the writes, with the sync token of that
 * point of its history (sync-collection on the source from the restored token lists exactly
 * the writes the copy does not hold). Restore refuses a non-empty target without --force, a
 * tampered file, and a copy made by a newer schema.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { ALMANAC } from '../../helpers/cli-server.js';
import { runCli } from '../../../src/cli/dispatch.js';
import { event, mkcalendar, put, report, type Fetch } from '../rfc4791/caldav-client.js';

const run = promisify(execFile);
/** The backup runs as its own process, beside the server that keeps writing. */
const almanac = (...args: string[]) => run(process.execPath, [ALMANAC, ...args], { timeout: 60_000 });

/** `almanac restore …` in this process (the same command code; no server uses its target). */
async function restore(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    env: {},
    out: (l: string) => (out += `${l}\n`),
    err: (l: string) => (err += `${l}\n`),
    readStdin: async () => '',
  };
  const code = await runCli(['restore', ...args], io);
  return { code, out, err };
}
/** Bounds of the writer running during the backup. */
const MAX_LIVE_WRITES = 400;
const MAX_LIVE_MS = 30_000;

let dir: string;
let source: TestServer;
let restored: TestServer | undefined;
let liveWrites = 0;
let writtenBeforeBackup = 0;

const at = (i: number) =>
  `202501${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 10)).padStart(2, '0')}0000Z`;
const ev = (uid: string, i: number) => event(uid, at(i), at(i).replace(/00Z$/, '30Z'));

async function ok(p: Promise<{ status: number }>, status = 201): Promise<void> {
  assert.equal((await p).status, status);
}

/** Every collection of the user's calendar and address-book homes, as hrefs. */
async function collections(f: Fetch, user: string): Promise<string[]> {
  const out: string[] = [];
  for (const home of [`/dav/calendars/${user}/`, `/dav/addressbooks/${user}/`]) {
    const text = await (await f(home, { method: 'PROPFIND', headers: { Depth: '1' } })).text();
    out.push(
      ...[...text.matchAll(/<D:href>([^<]+\/)<\/D:href>/g)].map((m) => m[1] as string).filter((h) => h !== home),
    );
  }
  return out.sort();
}

interface Snapshot {
  readonly token: string;
  /** href → etag and body. */
  readonly objects: Map<string, string>;
}

async function snapshot(f: Fetch, collection: string): Promise<Snapshot> {
  const body =
    '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/><D:getetag/></D:prop></D:propfind>';
  const text = await (await f(collection, { method: 'PROPFIND', headers: { Depth: '1' }, body })).text();
  const token = /<D:sync-token>([^<]*)<\/D:sync-token>/.exec(text)?.[1] ?? '';
  const objects = new Map<string, string>();
  for (const m of text.matchAll(/<D:href>([^<]+\.(?:ics|vcf))<\/D:href>/g)) {
    const res = await f(m[1] as string);
    objects.set(m[1] as string, `${res.headers.get('etag')} ${await res.text()}`);
  }
  return { token, objects };
}

/** The hrefs sync-collection (RFC 6578 §3.2) reports on `collection` since `token`. */
async function changedSince(f: Fetch, collection: string, token: string): Promise<string[]> {
  const r = await report(
    f,
    collection,
    `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    null,
  );
  assert.equal(r.status, 207);
  return [...r.text.matchAll(/<D:href>([^<]+\.ics)<\/D:href>/g)].map((m) => m[1] as string).sort();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-backup-'));
  source = await startTestServer();
  const alice = davFetch(source.url, 'alice');
  const bob = davFetch(source.url, 'bob');
  // History before the backup: creations, edits and a delete, in two users' collections.
  await ok(mkcalendar(alice, '/dav/calendars/alice/work/'));
  for (let i = 0; i < 8; i++) await ok(put(alice, `/dav/calendars/alice/work/w${i}.ics`, ev(`w${i}`, i)));
  await ok(put(alice, '/dav/calendars/alice/work/w1.ics', ev('w1', 20)), 204);
  await ok(alice('/dav/calendars/alice/work/w2.ics', { method: 'DELETE' }), 204);
  for (let i = 0; i < 3; i++) await ok(put(bob, `/dav/calendars/bob/default/b${i}.ics`, ev(`b${i}`, i)));
  await ok(mkcalendar(alice, '/dav/calendars/alice/live/'));
});

after(async () => {
  await restored?.close();
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('almanac backup while a server writes, then almanac restore', () => {
  it('backup → restore: every object and sync token identical; the live collection a consistent prefix', async () => {
    const alice = davFetch(source.url, 'alice');
    const started = Date.now();
    let backupDone = false;
    let extra = 0;
    const writer = (async () => {
      // Writes one after another until the backup is over, then a few more; bounded either way.
      while (extra < 3 && liveWrites < MAX_LIVE_WRITES && Date.now() - started < MAX_LIVE_MS) {
        await ok(put(alice, `/dav/calendars/alice/live/l${liveWrites}.ics`, ev(`l${liveWrites}`, liveWrites)));
        liveWrites += 1;
        if (backupDone) extra += 1;
      }
    })();
    while (liveWrites < 5) await new Promise((r) => setTimeout(r, 5));
    writtenBeforeBackup = liveWrites;
    const backup = await almanac('backup', '--data', source.dataDir, join(dir, 'bk'));
    backupDone = true;
    await writer;
    assert.match(backup.stdout, /^Backed up sqlite .* \(schema \d+, \d+ bytes\)/);
    assert.ok(extra === 3, `the writer kept going after the backup (${liveWrites} writes)`);

    const restored1 = await restore(join(dir, 'bk'), '--data', join(dir, 'restored'));
    assert.match(restored1.out, /^Restored /, restored1.err);
    restored = await startTestServer({ users: {}, store: openSqliteStore(join(dir, 'restored', 'almanac.sqlite')) });

    for (const user of ['alice', 'bob']) {
      const from = davFetch(source.url, user);
      const to = davFetch(restored.url, user);
      const list = await collections(from, user);
      assert.deepEqual(await collections(to, user), list);
      assert.ok(list.length >= 3, `${user}: ${list.join(' ')}`);
      for (const c of list.filter((h) => !h.endsWith('/live/'))) {
        assert.deepEqual(await snapshot(to, c), await snapshot(from, c), c);
      }
    }
    const live = '/dav/calendars/alice/live/';
    const copy = await snapshot(davFetch(restored.url, 'alice'), live);
    const now = await snapshot(alice, live);
    const held = copy.objects.size;
    assert.ok(held >= writtenBeforeBackup && held < liveWrites, `the copy holds ${held} of ${liveWrites} writes`);
    const prefix = Array.from({ length: held }, (_, i) => `${live}l${i}.ics`);
    assert.deepEqual([...copy.objects.keys()].sort(), prefix.sort(), 'a prefix of the writes, nothing torn');
    for (const [href, value] of copy.objects) assert.equal(value, now.objects.get(href), href);
    const later = Array.from({ length: liveWrites - held }, (_, i) => `${live}l${held + i}.ics`).sort();
    assert.deepEqual(await changedSince(alice, live, copy.token), later, 'the token names the same point of history');
    assert.deepEqual(await changedSince(davFetch(restored.url, 'alice'), live, copy.token), []);
  });

  it('restore refuses a non-empty target unless --force, a tampered file, a copy of a newer schema', async () => {
    const tampered = join(dir, 'tampered');
    cpSync(join(dir, 'bk'), tampered, { recursive: true });
    const file = join(tampered, 'almanac.sqlite');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);

    const newer = join(dir, 'newer');
    cpSync(join(dir, 'bk'), newer, { recursive: true });
    const db = new Database(join(newer, 'almanac.sqlite'));
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)').run();
    db.close();
    const manifest = JSON.parse(readFileSync(join(newer, 'backup.json'), 'utf8')) as { files: Record<string, string> };
    manifest.files['almanac.sqlite'] = createHash('sha256')
      .update(readFileSync(join(newer, 'almanac.sqlite')))
      .digest('hex');
    writeFileSync(join(newer, 'backup.json'), JSON.stringify(manifest));

    const occupied = join(dir, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'almanac.sqlite'), 'an older store');
    const refusal = async (...args: string[]): Promise<string> => {
      const r = await restore(...args);
      assert.equal(r.code, 1, r.out);
      return r.err;
    };
    assert.match(await refusal(join(dir, 'bk'), '--data', occupied), /is not empty; use --force to replace it/);
    assert.match(await refusal(tampered, '--data', join(dir, 't1')), /almanac\.sqlite does not match its SHA-256/);
    assert.match(await refusal(newer, '--data', join(dir, 't2')), /made by a newer Almanac \(schema 9999/);
    assert.equal((await restore(join(dir, 'bk'), '--data', occupied, '--force')).code, 0);
    const restoredStore = openSqliteStore(join(occupied, 'almanac.sqlite'));
    assert.ok(await restoredStore.getUserByName('alice'), 'the forced restore replaced the file');
    await restoredStore.close();
  });
});
