/**
 * RFC 6352 §8.6 addressbook-query, §8.7 addressbook-multiget, RFC 6578 sync-collection and the
 * WebDAV methods on address books shared by CS:share (through Alice's path and Bob's instance)
 * or by an ACE to Bob, a group or DAV:authenticated (RFC 3744 §5.5): each request succeeds
 * exactly when the grant gives the privileges it needs, is 403 otherwise, and no answer carries
 * a card of an address book Bob was not given (a foreign multiget href included).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { shareAndAccept } from '../caldav-sharing/sharing-steps.js';
import { CASES, effective, grantAcl, type Case } from '../rfc3744/grant-matrix-cases.js';

const VCF = { 'Content-Type': 'text/vcard; charset=utf-8' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };
const NS = 'xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"';
const SECRET = 'Private Secret Person';
const card = (uid: string, fn: string): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEND:VCARD\r\n`;
const KEPT = new Set([
  'none',
  'share-read',
  'share-read-write',
  'user-read',
  'user-bind-only',
  'group-read-write',
  'authenticated-read',
]);

type Dav = ReturnType<typeof davFetch>;
interface Op {
  readonly name: string;
  readonly needs: readonly string[];
  readonly needsOnInstance?: readonly string[];
  readonly ok: number;
  send(dav: Dav, base: string, name: string, i: string): Promise<Response>;
  readonly shows?: string;
}
const report = (dav: Dav, base: string, body: string, depth = '1') =>
  dav(base, { method: 'REPORT', headers: { ...XML, Depth: depth }, body: `<?xml version="1.0"?>${body}` });
const ADDRESS = '<D:prop><D:getetag/><CR:address-data/></D:prop>';

const OPS: readonly Op[] = [
  {
    name: 'PROPFIND Depth 1',
    needs: ['read'],
    ok: 207,
    send: (d, b) => d(b, { method: 'PROPFIND', headers: { Depth: '1' } }),
    shows: 'c.vcf</D:href>',
  },
  { name: 'GET card', needs: ['read'], ok: 200, send: (d, b) => d(`${b}c.vcf`), shows: 'FN:' },
  {
    name: 'PUT new card',
    needs: ['bind'],
    ok: 201,
    send: (d, b, n, i) => d(`${b}new${i}.vcf`, { method: 'PUT', headers: VCF, body: card(`${n}-new${i}`, 'New') }),
  },
  {
    name: 'PUT over a card',
    needs: ['write-content'],
    ok: 204,
    send: (d, b, n) => d(`${b}c.vcf`, { method: 'PUT', headers: VCF, body: card(`${n}-c`, `Card of ${n}`) }),
  },
  {
    name: 'DELETE card',
    needs: ['unbind'],
    ok: 204,
    send: (d, b, _n, i) => d(`${b}del${i}.vcf`, { method: 'DELETE' }),
  },
  {
    name: 'PROPPATCH',
    needs: ['write-properties'],
    needsOnInstance: ['read'],
    ok: 207,
    send: (d, b) =>
      d(b, {
        method: 'PROPPATCH',
        headers: XML,
        body: `<D:propertyupdate ${NS}><D:set><D:prop><D:displayname>by bob</D:displayname></D:prop></D:set></D:propertyupdate>`,
      }),
  },
  {
    name: 'addressbook-query FN',
    needs: ['read'],
    ok: 207,
    send: (d, b) =>
      report(
        d,
        b,
        `<CR:addressbook-query ${NS}>${ADDRESS}<CR:filter><CR:prop-filter name="FN"><CR:text-match collation="i;unicode-casemap" match-type="contains">card of</CR:text-match></CR:prop-filter></CR:filter></CR:addressbook-query>`,
      ),
    shows: 'FN:Card of',
  },
  {
    name: 'addressbook-multiget with foreign hrefs',
    needs: ['read'],
    ok: 207,
    send: (d, b) =>
      report(
        d,
        b,
        `<CR:addressbook-multiget ${NS}>${ADDRESS}<D:href>${b}c.vcf</D:href><D:href>/dav/addressbooks/alice/private/p.vcf</D:href><D:href>/dav/addressbooks/bob/default/mine.vcf</D:href></CR:addressbook-multiget>`,
      ),
    shows: 'FN:Card of',
  },
  {
    name: 'sync-collection',
    needs: ['read'],
    ok: 207,
    send: (d, b) =>
      report(
        d,
        b,
        `<D:sync-collection ${NS}><D:sync-token/><D:sync-level>1</D:sync-level>${ADDRESS}</D:sync-collection>`,
        '0',
      ),
    shows: 'FN:Card of',
  },
];

let server: TestServer;
const alice = () => davFetch(server.url, 'alice');
const bob = () => davFetch(server.url, 'bob');

before(async () => {
  server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  await server.store.transaction(['/principals/groups'], async (tx) => {
    const team = await tx.createGroup('team');
    const u = await tx.getUserByName('bob');
    if (u) await tx.addGroupMember(team.id, u.id);
  });
  const mk = () =>
    `<D:mkcol ${NS}><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>`;
  assert.equal(
    (await alice()('/dav/addressbooks/alice/private/', { method: 'MKCOL', headers: XML, body: mk() })).status,
    201,
  );
  assert.equal(
    (await alice()('/dav/addressbooks/alice/private/p.vcf', { method: 'PUT', headers: VCF, body: card('p', SECRET) }))
      .status,
    201,
  );
  assert.equal(
    (
      await bob()('/dav/addressbooks/bob/default/mine.vcf', {
        method: 'PUT',
        headers: VCF,
        body: card('mine', 'Bobs Own'),
      })
    ).status,
    201,
  );
  for (const c of CASES.filter((c) => KEPT.has(c.name))) {
    const base = `/dav/addressbooks/alice/${c.name}/`;
    assert.equal((await alice()(base, { method: 'MKCOL', headers: XML, body: mk() })).status, 201);
    for (const m of ['c', 'del', 'del-i'])
      assert.equal(
        (
          await alice()(`${base}${m}.vcf`, {
            method: 'PUT',
            headers: VCF,
            body: card(`${c.name}-${m}`, `Card of ${c.name}`),
          })
        ).status,
        201,
      );
  }
});
after(async () => server.close());

async function judge(c: Case, op: Op, base: string, instance: boolean): Promise<string | null> {
  const res = await op.send(bob(), base, c.name, instance ? '-i' : '');
  const body = await res.text();
  const granted = effective(c) as Set<string>;
  const allowed = ((instance && op.needsOnInstance) || op.needs).every((p) => granted.has(p));
  const where = `${c.name}${instance ? ' (instance)' : ''}: ${op.name}`;
  if (body.includes(SECRET) || body.includes('Bobs Own')) return `${where} answers with a card that is no member`;
  if (!granted.has('read') && body.includes('FN:Card of')) return `${where} leaks cards without read`;
  if (allowed && res.status !== op.ok) return `${where}: ${res.status}, expected ${op.ok} — ${body.slice(0, 300)}`;
  if (!allowed && res.status !== 403) return `${where}: ${res.status}, expected 403 — ${body.slice(0, 300)}`;
  if (allowed && op.shows && !body.includes(op.shows)) return `${where}: no ${op.shows} in the answer`;
  return null;
}

describe('address books: every grant × every method and report', () => {
  for (const c of CASES.filter((c) => KEPT.has(c.name))) {
    it(c.name, async () => {
      const base = `/dav/addressbooks/alice/${c.name}/`;
      const instance = c.share ? await shareAndAccept(server.url, 'alice', base, 'bob', c.share) : null;
      if (c.acl) await grantAcl(alice(), base, c.acl);
      const problems: string[] = [];
      for (const op of OPS) {
        const p = await judge(c, op, base, false);
        if (p) problems.push(p);
        const q = instance ? await judge(c, op, instance, true) : null;
        if (q) problems.push(q);
      }
      assert.deepEqual(problems, []);
    });
  }
});
