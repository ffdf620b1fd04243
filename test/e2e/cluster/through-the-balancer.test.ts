/**
 * Three nodes behind HAProxy (round robin per request, no sticky sessions) answer as one server:
 * Debian's litmus (RFC 4918 classes 1-3) and python3-caldav pass through the balancer exactly as
 * against one node, a SyncML session whose every message goes to another node completes, a web
 * login made on one node holds on the others, and a short bounded mixed load (the soak of
 * `npm run cluster:soak`, 60 s here, as issue #21 item 5 asks of the short version) ends with 0 errors. vdirsyncer and tsdav, SyncEvolution and
 * the web app in Chromium have files of their own beside this one (*-through-the-balancer).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { soak } from '../../../bench/cluster/soak.js';
import { syncmlAddAcrossNodes } from '../../../bench/cluster/syncml-session.js';
import { ask, haproxySkipReason, startTestCluster, type TestCluster } from '../../helpers/cluster.js';
import { postgresSkipReason } from '../../helpers/postgres.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function litmus(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('litmus', [url, 'alice', 'alice-pw'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe('three nodes behind HAProxy answer as one server', async () => {
  const skip = (await postgresSkipReason()) || haproxySkipReason();
  let c: TestCluster;
  before(async () => {
    if (skip) return;
    c = await startTestCluster(3);
    await Promise.all(
      c.nodes.map((n) => ask(n.url, '/dav/files/alice/', { method: 'PROPFIND', headers: { Depth: '0' } })),
    );
  });
  after(async () => c?.close());

  it('litmus: every group passes through the balancer (RFC 4918 §18 classes 1, 2, 3)', { skip }, async () => {
    const out = await litmus(`${c.url}/dav/files/alice/`);
    for (const group of ['basic', 'copymove', 'props', 'locks', 'http']) {
      const m = new RegExp(`summary for \`${group}': of (\\d+) tests run: (\\d+) passed, (\\d+) failed`).exec(out);
      assert.ok(m, `litmus group ${group} did not run:\n${out.slice(-2000)}`);
      assert.equal(m[3], '0', `litmus ${group}:\n${out}`);
    }
    assert.doesNotMatch(out, /WARNING/);
  });

  it('python3-caldav discovers, creates, searches and syncs through the balancer', { skip }, async () => {
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [join(process.cwd(), 'test/interop/caldav/python_caldav_client.py')],
      {
        env: { ...process.env, ALMANAC_URL: `${c.url}/dav/` },
        timeout: 120_000,
      },
    );
    const f = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    assert.deepEqual(f.march, ['one', 'two', 'weekly']);
    assert.equal(f.initial_sync, 5);
    assert.deepEqual(f.delta_loaded, ['three']);
    assert.equal(f.deleted, true);
  });

  it('a SyncML session whose every message reaches another node completes (OMA DS 1.2 §6)', { skip }, async () => {
    const uid = await syncmlAddAcrossNodes(
      c.nodes.map((n) => n.url),
      'alice',
      'alice-pw',
      'phone-across-nodes',
    );
    const book = await ask(c.url, '/dav/addressbooks/alice/default/', {
      method: 'REPORT',
      headers: { 'Content-Type': 'application/xml', Depth: '1' },
      body: '<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data/></D:prop></C:addressbook-query>',
    });
    assert.ok(book.text.includes(`UID:${uid}`), 'the card the device added is in the address book');
  });

  it('a web login made on one node holds on every other', { skip }, async () => {
    const login = await fetch(`${c.nodes[0]!.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
    });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    for (const n of c.nodes) {
      const s = await fetch(`${n.url}/app/session`, { headers: { Cookie: cookie } });
      assert.equal(s.status, 200, `node ${n.index}`);
      await s.arrayBuffer();
    }
  });

  it(
    'a short soak: 60 s of mixed load with syncs, SyncML and event streams, 0 errors, RSS and connections bounded',
    { skip },
    async (t) => {
      const r = await soak(c, { seconds: 60, clients: 4, browsers: 3, users: ['alice', 'bob'] });
      t.diagnostic(
        `${r.requests} requests, ${r.requestsPerSecond.toFixed(1)}/s, ${JSON.stringify(r.byKind)}, CPU ${r.cpuMsPerRequest.toFixed(1)} ms/request, ${r.sseEvents} events, ${r.maxDbConnections} database connections`,
      );
      assert.deepEqual(r.errors, []);
      assert.ok(r.byKind.put! > 0 && r.byKind.sync! > 0, JSON.stringify(r.byKind));
      assert.ok(r.sseEvents > 0, 'the browsers heard the writes');
      assert.ok(r.maxDbConnections <= 3 * 13, `database connections ${r.maxDbConnections}`);
      // The bound `npm run cluster:soak` applies (--rss-growth-mb, 64 MB a node over the run).
      for (const n of r.rss)
        assert.ok(
          n.last - n.first <= 64 * 1048576,
          `node ${n.node} RSS grew ${((n.last - n.first) / 1048576).toFixed(0)} MB`,
        );
    },
  );
});
