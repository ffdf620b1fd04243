/**
 * Races between three Almanac nodes on one PostgreSQL database behind HAProxy (round robin per
 * request, no sticky sessions): RFC 6578 sync-collection while other nodes write, If-Match and
 * If-None-Match races (RFC 9110 §13.1.1, §13.1.2), RFC 4918 §7 locks across nodes, a MOVE of a
 * collection (RFC 4918 §9.9) while another node writes into it, and one server-sent event per
 * change per browser whichever node it is connected to.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ask, haproxySkipReason, startTestCluster, type Answer, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';
import { openEvents } from './events.js';

const CAL = '/dav/calendars/alice/default/';
const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

function event(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//cluster//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260301T090000Z',
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const syncBody = (token: string): string =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token>` +
  '<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>';

/** The changes of one sync-collection answer: href → etag (null = removed), and the new token. */
function parseSync(text: string): { token: string; changes: Map<string, string | null> } {
  const token = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';
  const changes = new Map<string, string | null>();
  for (const r of text.split('<D:response>').slice(1)) {
    const href = /<D:href>([^<]+)<\/D:href>/.exec(r)?.[1] ?? '';
    const etag = /<D:getetag>([^<]+)<\/D:getetag>/.exec(r)?.[1] ?? null;
    changes.set(href, / 404 /.test(r) && etag === null ? null : (etag?.replace(/&quot;/g, '"') ?? null));
  }
  return { token, changes };
}

/** The sequence number a sync token carries (…/sync/COLLECTION-SEQ). */
const seqOf = (token: string): number => Number(/-(\d+)$/.exec(token)?.[1] ?? NaN);

/** href → etag of every member, by PROPFIND Depth 1 on `base`. */
async function listing(base: string, path: string): Promise<Map<string, string>> {
  const a = await ask(base, path, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '1' },
    body: '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  });
  assert.equal(a.status, 207);
  const out = new Map<string, string>();
  for (const r of a.text.split('<D:response>').slice(1)) {
    const href = /<D:href>([^<]+)<\/D:href>/.exec(r)?.[1] ?? '';
    const etag = /<D:getetag>([^<]+)<\/D:getetag>/.exec(r)?.[1];
    if (etag && href !== path) out.set(href, etag.replace(/&quot;/g, '"'));
  }
  return out;
}

async function ctag(base: string): Promise<string> {
  const a = await ask(base, CAL, {
    method: 'PROPFIND',
    headers: { ...XML, Depth: '0' },
    body: '<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/><D:sync-token/></D:prop></D:propfind>',
  });
  return /getctag[^>]*>([^<]+)</.exec(a.text)?.[1] ?? '';
}

describe('three nodes behind HAProxy: races across nodes', async () => {
  const skip = (await postgresSkipReason()) || haproxySkipReason();
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3);
    // Each node checks alice's password once and then remembers it: pay that before the races.
    await Promise.all(c.nodes.map((n) => ask(n.url, CAL, { method: 'PROPFIND', headers: { Depth: '0' } })));
  });
  after(async () => c?.close());

  it('the balancer spreads requests over every node, one request at a time', { skip }, async () => {
    const served = new Set<string>();
    for (let i = 0; i < 6; i++)
      served.add((await ask(c.url, CAL, { method: 'PROPFIND', headers: { Depth: '0' } })).node);
    assert.deepEqual([...served].sort(), ['n1', 'n2', 'n3']);
  });

  it(
    'PUTs through every node while others sync: no change missed, tokens never go back, ETags and CTags agree (RFC 6578 §3.2)',
    { skip },
    async () => {
      const first = parseSync((await ask(c.url, CAL, { method: 'REPORT', headers: XML, body: syncBody('') })).text);
      const seen = new Map<string, string>();
      for (const [h, e] of first.changes) if (e) seen.set(h, e);
      let token = first.token;
      let writing = true;
      const acknowledged = new Map<string, string>(); // href → etag of the last acknowledged PUT
      const writer = async (w: number): Promise<void> => {
        for (let i = 0; i < 8; i++) {
          const name = `w${w}-${i % 4}.ics`; // each object is written twice
          const a = await ask(c.url, `${CAL}${name}`, {
            method: 'PUT',
            headers: ICS,
            body: event(`w${w}-${i % 4}`, `rev ${i}`),
          });
          assert.ok(a.status === 201 || a.status === 204, `PUT ${name}: ${a.status} ${a.text}`);
          acknowledged.set(`${CAL}${name}`, a.headers.get('etag') ?? '');
        }
      };
      const syncer = async (): Promise<number> => {
        let rounds = 0;
        while (writing || rounds < 1) {
          const a = await ask(c.url, CAL, { method: 'REPORT', headers: XML, body: syncBody(token) });
          assert.equal(a.status, 207, a.text);
          const r = parseSync(a.text);
          assert.ok(seqOf(r.token) >= seqOf(token), `token went back on ${a.node}: ${token} → ${r.token}`);
          for (const [h, e] of r.changes) {
            if (e === null) seen.delete(h);
            else seen.set(h, e);
          }
          token = r.token;
          rounds += 1;
        }
        return rounds;
      };
      const syncing = syncer();
      await Promise.all([0, 1, 2].map(writer));
      writing = false;
      assert.ok((await syncing) > 1, 'the syncer ran while the writers wrote');
      // One more round after the last write: the synced state is the collection's state.
      const last = parseSync((await ask(c.url, CAL, { method: 'REPORT', headers: XML, body: syncBody(token) })).text);
      for (const [h, e] of last.changes) {
        if (e === null) seen.delete(h);
        else seen.set(h, e);
      }
      const listed = await listing(c.url, CAL);
      assert.deepEqual(new Map([...seen].sort()), new Map([...listed].sort()));
      for (const [href, etag] of acknowledged) assert.equal(listed.get(href), etag, `${href}: last acknowledged ETag`);
      const ctags = await Promise.all(c.nodes.map((n) => ctag(n.url)));
      assert.equal(new Set(ctags).size, 1, `every node reports one CTag: ${ctags.join(' ')}`);
      assert.ok(ctags[0]);
    },
  );

  it('If-Match races across nodes: exactly one winner (RFC 9110 §13.1.1)', { skip }, async () => {
    const path = `${CAL}contended.ics`;
    const made = await ask(c.url, path, { method: 'PUT', headers: ICS, body: event('contended', 'v0') });
    assert.equal(made.status, 201);
    const etag = made.headers.get('etag')!;
    const tries = c.nodes.flatMap((n) =>
      [0, 1, 2].map((k) =>
        ask(n.url, path, {
          method: 'PUT',
          headers: { ...ICS, 'If-Match': etag },
          body: event('contended', `node ${n.index} try ${k}`),
        }),
      ),
    );
    const answers: Answer[] = await Promise.all(tries);
    const statuses = answers.map((a) => a.status).sort();
    assert.equal(statuses.filter((s) => s === 204).length, 1, `one winner: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 412).length, answers.length - 1);
    const winner = answers.find((a) => a.status === 204)!;
    const now = await ask(c.url, path);
    assert.equal(now.headers.get('etag'), winner.headers.get('etag'));
  });

  it('If-None-Match: * creations race across nodes: exactly one 201 (RFC 9110 §13.1.2)', { skip }, async () => {
    const answers = await Promise.all(
      c.nodes.flatMap((n) =>
        [0, 1].map(() =>
          ask(n.url, `${CAL}created-once.ics`, {
            method: 'PUT',
            headers: { ...ICS, 'If-None-Match': '*' },
            body: event('created-once', `node ${n.index}`),
          }),
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 412).length, answers.length - 1, statuses.join(','));
  });

  it('a LOCK taken through one node is honoured on every other (RFC 4918 §7, §9.10)', { skip }, async () => {
    const path = '/dav/files/alice/locked.txt';
    const [n1, n2, n3] = c.nodes;
    assert.equal((await ask(n1!.url, path, { method: 'PUT', body: 'v1' })).status, 201);
    const lock = await ask(n1!.url, path, {
      method: 'LOCK',
      headers: { ...XML, Timeout: 'Second-600' },
      body: '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>',
    });
    assert.equal(lock.status, 200);
    const token = /<([^>]+)>/.exec(lock.headers.get('lock-token') ?? '')?.[1] ?? '';
    for (const n of [n2!, n3!]) {
      assert.equal((await ask(n.url, path, { method: 'PUT', body: 'no token' })).status, 423, `node ${n.index}`);
      assert.equal((await ask(n.url, path, { method: 'DELETE' })).status, 423, `node ${n.index}`);
      const second = await ask(n.url, path, {
        method: 'LOCK',
        headers: XML,
        body: '<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:shared/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>',
      });
      assert.equal(second.status, 423, `a second lock on node ${n.index}`);
    }
    assert.equal(
      (await ask(n3!.url, path, { method: 'PUT', headers: { If: `(<${token}>)` }, body: 'v2' })).status,
      204,
    );
    assert.equal((await ask(n2!.url, path, { method: 'UNLOCK', headers: { 'Lock-Token': `<${token}>` } })).status, 204);
    assert.equal((await ask(n1!.url, path, { method: 'PUT', body: 'v3' })).status, 204);
    assert.equal((await ask(n3!.url, path)).text, 'v3');
  });

  it(
    'MOVE of a collection on one node while another writes into it: every acknowledged write is found once (RFC 4918 §9.9)',
    { skip },
    async () => {
      const [n1, n2] = c.nodes;
      assert.equal((await ask(n1!.url, '/dav/files/alice/folder/', { method: 'MKCOL' })).status, 201);
      const acknowledged: string[] = [];
      const refused: number[] = [];
      const writer = (async () => {
        for (let i = 0; i < 25; i++) {
          const a = await ask(n2!.url, `/dav/files/alice/folder/f${i}.txt`, { method: 'PUT', body: `file ${i}` });
          if (a.status === 201 || a.status === 204) acknowledged.push(`f${i}.txt`);
          else refused.push(a.status);
        }
      })();
      // Move once some writes landed, while the writer is still going.
      while (acknowledged.length < 3) await new Promise((r) => setTimeout(r, 10));
      const moved = await ask(n1!.url, '/dav/files/alice/folder/', {
        method: 'MOVE',
        headers: { Destination: `${c.url}/dav/files/alice/moved/` },
      });
      assert.equal(moved.status, 201, moved.text);
      await writer;
      assert.ok(refused.length > 0, 'some writes came after the move');
      // After the move the old folder is gone: a PUT there finds no parent (409, RFC 4918 §9.7.1).
      assert.ok(
        refused.every((s) => s === 409),
        `refused: ${refused.join(',')}`,
      );
      const inMoved = [...(await listing(c.url, '/dav/files/alice/moved/')).keys()].map((h) => h.split('/').pop()!);
      const gone = await ask(c.url, '/dav/files/alice/folder/', { method: 'PROPFIND', headers: { Depth: '0' } });
      assert.equal(gone.status, 404);
      assert.deepEqual(inMoved.sort(), [...acknowledged].sort(), 'every acknowledged file moved, nothing else');
      for (const name of acknowledged.slice(0, 5))
        assert.equal((await ask(c.url, `/dav/files/alice/moved/${name}`)).text, `file ${name.slice(1, -4)}`);
    },
  );

  it(
    'one change → exactly one server-sent event per browser, whichever node it is connected to',
    { skip },
    async () => {
      const streams = await Promise.all(c.nodes.map((n) => openEvents(n.url)));
      try {
        for (let i = 0; i < 3; i++) {
          const node = c.nodes[i]!;
          const put = await ask(node.url, `${CAL}sse-${i}.ics`, {
            method: 'PUT',
            headers: ICS,
            body: event(`sse-${i}`, 'x'),
          });
          assert.equal(put.status, 201);
        }
        // Wait until every stream has three events for the calendar, then a little for any duplicate.
        const deadline = Date.now() + 5000;
        while (streams.some((s) => s.changes(CAL) < 3) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(
          streams.map((s) => s.changes(CAL)),
          [3, 3, 3],
          'three changes, three events on each stream',
        );
      } finally {
        for (const s of streams) s.close();
      }
    },
  );
});
