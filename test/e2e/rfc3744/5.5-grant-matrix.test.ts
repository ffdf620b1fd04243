/**
 * RFC 3744 §5.5 (ACEs), §3.12 (aggregates), Appendix B (privileges per method) and caldav-sharing
 * §5.5.1 (access levels): the security proof for shares. For every way Alice can give Bob access to
 * one of her calendars — none, a CalendarServer share read or read-write (through her path and
 * through Bob's instance), an ACE granting read / write / write-properties / bind / unbind /
 * read-free-busy to Bob, to a group holding Bob, or to DAV:authenticated — Bob sends every method
 * and report. Each request must succeed exactly when the privileges it needs are among those the
 * grant gives (its aggregates expanded), and be 403 otherwise; no answer may carry what Bob may
 * not read (the events' text of a calendar he cannot read, a calendar he was never given through
 * a multiget href, the events through free-busy). Each configuration gets its own calendar, so
 * one server serves the whole table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { shareAndAccept } from '../caldav-sharing/sharing-steps.js';
import { PushService, registerBody, type Subscription } from '../webdav-push/push-service.js';
import {
  CASES,
  effective,
  event,
  grantAcl,
  NS,
  operations,
  PRIVATE_SECRET,
  type Case,
  type Operation,
} from './grant-matrix-cases.js';

const CAL = { 'Content-Type': 'text/calendar' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const vapidKeyOf = (propfind: string) => /<P:vapid-public-key[^>]*>([^<]+)</.exec(propfind)?.[1] ?? '';

let server: TestServer;
let svc: PushService;
const alice = () => davFetch(server.url, 'alice');
const bob = () => davFetch(server.url, 'bob');

/** Alice's calendar for `c`, with the members the operations read, replace, delete, move and lock. */
async function setUp(c: Case): Promise<void> {
  const base = `/dav/calendars/alice/${c.name}/`;
  assert.equal((await alice()(base, { method: 'MKCALENDAR' })).status, 201);
  for (const m of ['ev', 'del', 'del-i', 'mv', 'mv-i', 'lk', 'lk-i'])
    assert.equal(
      (await alice()(`${base}${m}.ics`, { method: 'PUT', headers: CAL, body: event(`${c.name}-${m}`) })).status,
      201,
    );
}

before(async () => {
  svc = await PushService.start();
  server = await startTestServer({
    users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' },
    config: { pushTestLoopback: true },
  });
  await server.store.transaction(['/principals/groups'], async (tx) => {
    const team = await tx.createGroup('team');
    const u = await tx.getUserByName('bob');
    if (u) await tx.addGroupMember(team.id, u.id);
  });
  // A calendar Bob is never given: its event must appear in no answer to Bob.
  assert.equal((await alice()('/dav/calendars/alice/private/', { method: 'MKCALENDAR' })).status, 201);
  assert.equal(
    (await alice()('/dav/calendars/alice/private/p.ics', { method: 'PUT', headers: CAL, body: event(PRIVATE_SECRET) }))
      .status,
    201,
  );
  assert.equal((await bob()('/dav/calendars/bob/in/', { method: 'MKCALENDAR' })).status, 201);
  assert.equal(
    (await bob()('/dav/calendars/bob/default/mine.ics', { method: 'PUT', headers: CAL, body: event('bob-own') }))
      .status,
    201,
  );
});
after(async () => {
  await server.close();
  await svc.close();
});

/** Run `op` as Bob at `base` and check its status against what `granted` allows, and its body for leaks. */
async function check(c: Case, op: Operation, base: string, instance: boolean): Promise<string | null> {
  const res = await op.send({
    dav: bob(),
    base,
    name: c.name,
    instance,
    pushRegister: () => registerBody(svc.subscribe()),
  });
  const body = await res.text();
  const granted = effective(c);
  const allowed =
    !(c.share && op.refusedToSharees) && ((instance && op.needsOnInstance) || op.needs).every((p) => granted.has(p));
  const where = `${c.name}${instance ? ' (instance)' : ''}: ${op.name}`;
  if (body.includes(PRIVATE_SECRET)) return `${where} leaks the private calendar`;
  if (!granted.has('read') && body.includes(`SUMMARY:${c.name}-`))
    return `${where} leaks event text without read (${res.status})`;
  if (allowed && res.status !== op.ok) return `${where}: ${res.status}, expected ${op.ok} — ${body.slice(0, 300)}`;
  if (!allowed && res.status !== 403) return `${where}: ${res.status}, expected 403 — ${body.slice(0, 300)}`;
  const problem = allowed ? op.verify?.(body, c.name) : undefined;
  return problem ? `${where}: ${problem}` : null;
}

/** One case: its calendar, its grant, then every operation through each path; the problems found. */
async function runCase(c: Case): Promise<string[]> {
  await setUp(c);
  const base = `/dav/calendars/alice/${c.name}/`;
  let instance: string | null = null;
  if (c.share) instance = await shareAndAccept(server.url, 'alice', base, 'bob', c.share);
  if (c.acl) await grantAcl(alice(), base, c.acl);
  const problems: string[] = [];
  for (const op of operations) {
    const p = await check(c, op, base, false);
    if (p) problems.push(p);
    if (instance && op.throughInstance !== false) {
      const q = await check(c, op, instance, true);
      if (q) problems.push(q);
    }
  }
  return problems;
}

describe('RFC 3744 §5.5, Appendix B: every grant × every method and report', () => {
  // The cases touch disjoint calendars: three run at once (each one's requests in order), which
  // overlaps their waits for the disk and keeps the file fast on a busy machine.
  const results = new Map<string, Promise<string[]>>();
  before(() => {
    let next = 0;
    const lanes = Array.from({ length: 3 }, async () => {
      while (next < CASES.length) {
        const c = CASES[next++]!;
        const run = runCase(c);
        results.set(c.name, run);
        await run.catch(() => undefined);
      }
    });
    return Promise.all(lanes).then(() => undefined);
  });
  for (const c of CASES) {
    it(`${c.name}: ${[...effective(c)].sort().join(' ') || 'nothing'}`, async () => {
      assert.deepEqual(await results.get(c.name), []);
    });
  }

  it('revocation takes effect on the next request: every operation that needed the grant is 403 again', async () => {
    const c: Case = { name: 'revoked', acl: { principal: 'user', privileges: ['read', 'write'] } };
    await setUp(c);
    const base = `/dav/calendars/alice/${c.name}/`;
    await grantAcl(alice(), base, c.acl!);
    assert.equal((await bob()(`${base}ev.ics`)).status, 200);
    await grantAcl(alice(), base, null);
    const problems: string[] = [];
    for (const op of operations) {
      const p = await check({ name: c.name }, op, base, false);
      if (p) problems.push(p);
    }
    assert.deepEqual(problems, []);
  });
});

describe('revocation reaches push registrations', () => {
  it('push: a revoked grant stops the messages of the registration made under it (draft-bitfire-webdav-push)', async () => {
    const base = '/dav/calendars/alice/pushed/';
    await setUp({ name: 'pushed' });
    svc.vapidKey = vapidKeyOf(
      await (
        await alice()(base, {
          method: 'PROPFIND',
          headers: { Depth: '0' },
          body: `<D:propfind ${NS}><D:prop><P:transports/></D:prop></D:propfind>`,
        })
      ).text(),
    );
    await grantAcl(alice(), base, { principal: 'user', privileges: ['read'] });
    const bobs = svc.subscribe();
    const alices = svc.subscribe();
    const register = async (dav: ReturnType<typeof davFetch>, sub: Subscription) =>
      assert.equal((await dav(base, { method: 'POST', headers: XML, body: registerBody(sub) })).status, 201);
    await register(bob(), bobs);
    await register(alice(), alices);
    let n = 0;
    const change = async () =>
      assert.equal(
        (await alice()(`${base}p${++n}.ics`, { method: 'PUT', headers: CAL, body: event(`pushed-p${n}`) })).status,
        201,
      );
    await change();
    assert.ok(await svc.until(() => svc.to(bobs).length === 1 && svc.to(alices).length === 1), 'both notified');
    await grantAcl(alice(), base, null);
    await change();
    assert.ok(await svc.until(() => svc.to(alices).length === 2), 'the owner is notified');
    await change();
    assert.ok(await svc.until(() => svc.to(alices).length === 3), 'the owner is notified');
    assert.equal(svc.to(bobs).length, 1, 'no message after the revocation');
    assert.deepEqual(svc.errors, []);
  });

  it('an unshared instance is gone at once: nothing at the instance path (404), 403 at the owner path', async () => {
    const base = '/dav/calendars/alice/unshared/';
    await setUp({ name: 'unshared' });
    const instance = await shareAndAccept(server.url, 'alice', base, 'bob', 'read-write');
    assert.equal((await bob()(`${instance}ev.ics`)).status, 200);
    const res = await alice()(base, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: `<CS:share ${NS}><CS:remove><D:href>mailto:bob@example.com</D:href></CS:remove></CS:share>`,
    });
    assert.equal(res.status, 200);
    assert.equal((await bob()(`${instance}ev.ics`)).status, 404);
    assert.equal((await bob()(`${base}ev.ics`)).status, 403);
    const put = await bob()(`${instance}new.ics`, { method: 'PUT', headers: CAL, body: event('after-unshare') });
    assert.equal(put.status, 409, 'the instance is gone: its parent is missing (RFC 4918 §9.7.1)');
    assert.equal((await alice()(`${base}new.ics`)).status, 404, 'nothing reached the shared calendar');
  });
});
