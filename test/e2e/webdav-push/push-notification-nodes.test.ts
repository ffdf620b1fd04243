/**
 * draft-bitfire-webdav-push § Push Notification across processes: two server nodes on one
 * PostgreSQL database both hear every change, yet each change is pushed exactly once (the job
 * is claimed by one node); the VAPID key and the registrations live in the store, so a phone's
 * subscription survives a node restart; on SQLite a write by `almanac import` in another
 * process is pushed by the running server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { ALMANAC } from '../../helpers/cli-server.js';
import { countingStore } from '../../helpers/counting-store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { PushService, registerBody, type Subscription } from './push-service.js';

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const CAL = '/dav/calendars/alice/default/';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ics = (uid: string): string =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

async function vapidOf(node: TestServer): Promise<string> {
  const res = await davFetch(node.url)(CAL, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:P="https://bitfire.at/webdav-push"><D:prop><P:transports/></D:prop></D:propfind>',
  });
  return /<P:vapid-public-key[^>]*>([^<]+)</.exec(await res.text())?.[1] ?? '';
}

async function register(node: TestServer, sub: Subscription): Promise<void> {
  const res = await davFetch(node.url)(CAL, { method: 'POST', headers: XML, body: registerBody(sub) });
  assert.equal(res.status, 201, await res.text());
}

async function put(node: TestServer, uid: string): Promise<void> {
  const res = await davFetch(node.url)(`${CAL}${uid}.ics`, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/calendar' },
    body: ics(uid),
  });
  assert.equal(res.status, 201);
}

describe('exactly once across nodes (PostgreSQL)', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  let svc: PushService;
  const node = async (users?: Record<string, string>) =>
    startTestServer({
      ...(users ? { users } : {}),
      store: await openPostgresStore(db!.url),
      config: { database: db!.url, pushTestLoopback: true },
    });
  before(async () => {
    svc = await PushService.start();
    if (skip) return;
    db = await createThrowawayDatabase();
    a = await node();
    b = await node({});
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    await svc.close();
  });

  it('one change on node B, a registration made on node A: exactly one message per change', { skip }, async () => {
    svc.vapidKey = await vapidOf(a!);
    assert.equal(await vapidOf(b!), svc.vapidKey, 'both nodes sign with the stored key');
    const phone = svc.subscribe();
    await register(a!, phone);
    await sleep(200); // both nodes' LISTEN connections are up
    for (let i = 1; i <= 3; i++) {
      await put(i % 2 ? b! : a!, `n${i}`);
      assert.ok(await svc.until(() => svc.to(phone).length >= i), `message ${i}; errors: ${svc.errors.join('; ')}`);
    }
    await sleep(500);
    assert.equal(svc.to(phone).length, 3, 'no change pushed twice');
    assert.deepEqual(svc.errors, []);
  });

  it(
    'the subscription survives a node restart: a new node on the same database pushes with the same key',
    { skip },
    async () => {
      const phone = svc.subscribe();
      await register(a!, phone);
      await a!.close();
      await b!.close();
      b = undefined;
      a = await node({});
      assert.equal(await vapidOf(a), svc.vapidKey);
      await put(a, 'after-restart');
      assert.ok(await svc.until(() => svc.to(phone).length >= 1), `errors: ${svc.errors.join('; ')}`);
      assert.deepEqual(svc.errors, []);
    },
  );
});

describe('only the writing node claims push jobs on a change notice (PostgreSQL)', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  let writer: TestServer | undefined;
  let idle: TestServer | undefined;
  /** Transactions on no path that the idle node ran: its push delivery's claims. */
  let idleClaims = 0;
  before(async () => {
    if (skip) return;
    db = await createThrowawayDatabase();
    writer = await startTestServer({
      store: await openPostgresStore(db.url),
      config: { database: db.url, pushTestLoopback: true },
    });
    const counted = countingStore(await openPostgresStore(db.url), (method, args) => {
      if (method === 'transaction' && (args[0] as readonly string[]).length === 0) idleClaims += 1;
    });
    idle = await startTestServer({ users: {}, store: counted, config: { database: db.url, pushTestLoopback: true } });
  });
  after(async () => {
    await idle?.close();
    await writer?.close();
    await db?.drop();
  });

  it('20 changes on one node cost the other node no claim transaction (only its own poll)', { skip }, async () => {
    await put(writer!, 'warm-up');
    await sleep(300); // the idle node's start-up claim and the warm-up's notice are behind us
    const before = idleClaims;
    for (let i = 0; i < 20; i++) await put(writer!, `w${i}`);
    await sleep(300); // the notices have reached the idle node
    // Its periodic poll (every 5 s) may fall in this window once; a claim per notice would be 20.
    assert.ok(idleClaims - before <= 1, `the idle node ran ${idleClaims - before} claim transactions`);
  });
});

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ALMANAC, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('another process on the SQLite file (almanac import)', () => {
  let s: TestServer;
  let svc: PushService;
  before(async () => {
    svc = await PushService.start();
    s = await startTestServer({ config: { pushTestLoopback: true } });
    svc.vapidKey = await vapidOf(s);
  });
  after(async () => {
    await s.close();
    await svc.close();
  });

  it('an event imported by `almanac import` is pushed by the running server within 2 s', async () => {
    const phone = svc.subscribe();
    await register(s, phone);
    const file = join(s.dataDir, 'one.ics');
    writeFileSync(file, ics('from-cli'));
    const r = await run(['import', 'alice', 'default', file, '--data', s.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    const done = Date.now();
    assert.ok(await svc.until(() => svc.to(phone).length >= 1, 2000), `errors: ${svc.errors.join('; ')}`);
    assert.ok(svc.to(phone)[0]!.at - done < 2000);
    await sleep(300);
    assert.equal(svc.to(phone).length, 1);
  });
});
