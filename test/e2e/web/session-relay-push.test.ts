/**
 * The web app's server side without a browser: session login and CSRF (cookie auth for
 * /dav), the change-notice stream (SSE) fed after commit, PostgreSQL LISTEN/NOTIFY across
 * two nodes, the relay's address policy, and credentials encrypted at rest.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/http/config.js';
import { startServer } from '../../../src/http/server.js';
import { isPrivateAddress } from '../../../src/http/app/address-policy.js';
import { open, seal } from '../../../src/http/app/secret.js';
import { PgBus } from '../../../src/push/pg-bus.js';
import { openPostgresStore } from '../../../src/store/postgres/index.js';
import { createThrowawayDatabase, postgresSkipReason } from '../../helpers/postgres.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

interface Login {
  cookie: string;
  csrf: string;
}

async function login(base: string, user: string, password: string): Promise<Login> {
  const res = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  assert.equal(res.status, 200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  return { cookie: setCookie.split(';')[0]!, csrf: ((await res.json()) as { csrf: string }).csrf };
}

const EVENT = (uid: string): string =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

/** Read server-sent events until `want` returns true for one of them. */
async function nextEvent(
  base: string,
  l: Login,
  action: () => Promise<void>,
  want: (e: { event: string; data: string }) => boolean,
  ms = 2000,
): Promise<{ event: string; data: string }> {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/app/events`, { headers: { Cookie: l.cookie }, signal: ctrl.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let acted = false;
  const timer = setTimeout(() => ctrl.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
        if (event === 'hello' && !acted) {
          acted = true;
          await action();
        } else if (want({ event, data })) return { event, data };
      }
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

describe('web app server: sessions and CSRF', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  it('a wrong password is refused with a readable error', async () => {
    const res = await fetch(`${s.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: 'nope' }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'wrong user name or password' });
  });

  it('login needs application/json and a same-origin Origin (login CSRF)', async () => {
    const form = await fetch(`${s.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user=alice&password=alice-pw',
    });
    assert.equal(form.status, 415);
    const cross = await fetch(`${s.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
    });
    assert.equal(cross.status, 403);
  });

  it('the session cookie opens /dav: reads freely, writes only with the CSRF token', async () => {
    const l = await login(s.url, 'alice', 'alice-pw');
    const read = await fetch(`${s.url}/dav/calendars/alice/default/`, {
      method: 'PROPFIND',
      headers: { Cookie: l.cookie, Depth: '0', 'X-Almanac-CSRF': l.csrf },
    });
    assert.equal(read.status, 207);
    const forged = await fetch(`${s.url}/dav/calendars/alice/default/a.ics`, {
      method: 'PUT',
      headers: { Cookie: l.cookie, 'Content-Type': 'text/calendar' },
      body: EVENT('a'),
    });
    assert.equal(forged.status, 403);
    const wrong = await fetch(`${s.url}/dav/calendars/alice/default/a.ics`, {
      method: 'PUT',
      headers: { Cookie: l.cookie, 'X-Almanac-CSRF': 'guess', 'Content-Type': 'text/calendar' },
      body: EVENT('a'),
    });
    assert.equal(wrong.status, 403);
    const ok = await fetch(`${s.url}/dav/calendars/alice/default/a.ics`, {
      method: 'PUT',
      headers: { Cookie: l.cookie, 'X-Almanac-CSRF': l.csrf, 'Content-Type': 'text/calendar' },
      body: EVENT('a'),
    });
    assert.equal(ok.status, 201);
  });

  it('sessions live in the store (kv), not in memory, and logout ends them', async () => {
    const l = await login(s.url, 'bob', 'bob-pw');
    // A second server process on the same store knows the session: it is not held in memory.
    const second = await startServer(s.store, { ...DEFAULT_CONFIG, port: 0, dataDir: s.dataDir, logRequests: false });
    try {
      const there = await fetch(`${second.url}/app/session`, { headers: { Cookie: l.cookie } });
      assert.equal(there.status, 200);
      assert.equal(((await there.json()) as { user: string }).user, 'bob');
    } finally {
      await second.close();
    }
    const out = await fetch(`${s.url}/app/logout`, {
      method: 'POST',
      headers: { Cookie: l.cookie, 'X-Almanac-CSRF': l.csrf, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    const after = await fetch(`${s.url}/app/session`, { headers: { Cookie: l.cookie } });
    assert.equal(after.status, 401);
  });

  it('serves the built app at / with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${s.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await res.text(), /<div id="app"/);
  });

  it('pushes a change notice after a CalDAV PUT commits, only to the owner', async () => {
    const l = await login(s.url, 'alice', 'alice-pw');
    const e = await nextEvent(
      s.url,
      l,
      async () => {
        const put = await davFetch(s.url, 'alice')('/dav/calendars/alice/default/pushed.ics', {
          method: 'PUT',
          headers: { 'Content-Type': 'text/calendar' },
          body: EVENT('pushed'),
        });
        assert.equal(put.status, 201);
      },
      (x) => x.event === 'change',
    );
    assert.deepEqual(JSON.parse(e.data), { href: '/dav/calendars/alice/default/' });
    const lb = await login(s.url, 'bob', 'bob-pw');
    await assert.rejects(
      nextEvent(
        s.url,
        lb,
        async () => {
          await davFetch(s.url, 'alice')('/dav/calendars/alice/default/pushed2.ics', {
            method: 'PUT',
            headers: { 'Content-Type': 'text/calendar' },
            body: EVENT('pushed2'),
          });
        },
        (x) => x.event === 'change',
        800,
      ),
      'bob hears nothing of alice',
    );
  });
});

describe('web app server: the relay to other DAV servers', () => {
  let s: TestServer;
  let other: Server;
  let otherUrl: string;
  let seenAuth = '';
  before(async () => {
    s = await startTestServer();
    other = createServer((req, res) => {
      seenAuth = req.headers.authorization ?? '';
      if (req.url === '/away') {
        res.writeHead(302, { Location: 'http://example.com/steal' });
        res.end();
        return;
      }
      res.writeHead(207, { 'Content-Type': 'application/xml' });
      res.end('<multistatus xmlns="DAV:"/>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await s.close();
    await new Promise((r) => other.close(r));
  });

  it('refuses an account on a loopback or private address unless the operator allows it', async () => {
    const l = await login(s.url, 'alice', 'alice-pw');
    const res = await fetch(`${s.url}/app/accounts`, {
      method: 'POST',
      headers: { Cookie: l.cookie, 'X-Almanac-CSRF': l.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: otherUrl, username: 'u', password: 'p' }),
    });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /loopback or private/);
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ])
      assert.equal(isPrivateAddress(a), true, a);
    for (const a of ['93.184.216.34', '2606:2800:220:1::1']) assert.equal(isPrivateAddress(a), false, a);
  });

  it('with --relay-allow-private: relays with the stored credentials, never follows a redirect to another host, and keeps the password encrypted', async () => {
    const allowed = await startTestServer({ config: { relayAllowPrivate: true } });
    try {
      const l = await login(allowed.url, 'alice', 'alice-pw');
      const h = { Cookie: l.cookie, 'X-Almanac-CSRF': l.csrf };
      const add = await fetch(`${allowed.url}/app/accounts`, {
        method: 'POST',
        headers: { ...h, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: otherUrl, username: 'remote', password: 'very-secret-pw' }),
      });
      assert.equal(add.status, 201);
      const account = (await add.json()) as { id: string; password?: string };
      assert.equal(account.password, undefined);
      const pf = await fetch(`${allowed.url}/relay/${account.id}/cal/`, {
        method: 'PROPFIND',
        headers: { ...h, Depth: '0' },
      });
      assert.equal(pf.status, 207);
      assert.equal(seenAuth, `Basic ${Buffer.from('remote:very-secret-pw').toString('base64')}`);
      const away = await fetch(`${allowed.url}/relay/${account.id}/away`, { headers: h });
      assert.equal(away.status, 502);
      assert.match(((await away.json()) as { error: string }).error, /another host/);
      const stored = await allowed.store.getValue('web-accounts', '1', Date.now());
      assert.ok(stored && !stored.includes('very-secret-pw'), 'the password is not stored in clear');
      const noCsrf = await fetch(`${allowed.url}/relay/${account.id}/cal/`, {
        method: 'PROPFIND',
        headers: { Cookie: l.cookie, Depth: '0' },
      });
      assert.equal(noCsrf.status, 403);
      const bob = await login(allowed.url, 'bob', 'bob-pw');
      const foreign = await fetch(`${allowed.url}/relay/${account.id}/cal/`, { headers: { Cookie: bob.cookie } });
      assert.equal(foreign.status, 404, "another user cannot use alice's account");
    } finally {
      await allowed.close();
    }
  });

  it('AES-256-GCM sealing is bound to its owner and account', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = seal(key, 'pw', '1/abc');
    assert.equal(open(key, sealed, '1/abc'), 'pw');
    assert.throws(() => open(key, sealed, '2/abc'));
    assert.throws(() => open(Buffer.alloc(32, 8), sealed, '1/abc'));
  });
});

describe('push on PostgreSQL: LISTEN/NOTIFY carries notices to every node', async () => {
  const skip = await postgresSkipReason();
  let db: { url: string; drop(): Promise<void> } | undefined;
  before(async () => {
    if (!skip) db = await createThrowawayDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  it('two buses on one database each hear a notice published on either', { skip }, async () => {
    const a = new PgBus(db!.url);
    const b = new PgBus(db!.url);
    try {
      await Promise.all([a.ready, b.ready]);
      const heard = new Promise<unknown>((resolve) => b.subscribe(resolve));
      const self = new Promise<unknown>((resolve) => a.subscribe(resolve));
      a.publish([{ collection: '/calendars/alice/default', owner: 'alice' }]);
      // The other bus hears it marked remote (push delivery claims jobs only on its own node's
      // notices); the publishing bus hears its own unmarked.
      assert.deepEqual(await heard, { collection: '/calendars/alice/default', owner: 'alice', remote: true });
      assert.deepEqual(await self, { collection: '/calendars/alice/default', owner: 'alice' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a PUT on node A reaches an event stream open on node B', { skip }, async () => {
    const na = await startTestServer({ store: await openPostgresStore(db!.url), config: { database: db!.url } });
    const nb = await startTestServer({
      store: await openPostgresStore(db!.url),
      config: { database: db!.url },
      users: {},
    });
    try {
      const l = await login(nb.url, 'alice', 'alice-pw');
      const e = await nextEvent(
        nb.url,
        l,
        async () => {
          await new Promise((r) => setTimeout(r, 200)); // node B's LISTEN is up
          const put = await davFetch(na.url, 'alice')('/dav/calendars/alice/default/from-a.ics', {
            method: 'PUT',
            headers: { 'Content-Type': 'text/calendar' },
            body: EVENT('from-a'),
          });
          assert.equal(put.status, 201);
        },
        (x) => x.event === 'change',
        3000,
      );
      assert.deepEqual(JSON.parse(e.data), { href: '/dav/calendars/alice/default/' });
    } finally {
      await na.close();
      await nb.close();
    }
  });
});
