/**
 * `node dist/test/fuzz/findings.js`: re-runs the hardening findings against a fresh
 * `almanac serve` process and prints, for each, the status, the time and the server's RSS
 * (current and peak, from /proc), then the p99 of simple GETs while the worst requests run.
 * Figures for the closing note of a hardening change; not a test (the tests assert the rules).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { almanac } from '../helpers/cli-server.js';
import { alert, basicCred, message, post, statuses, syncAdd, vcard } from '../syncml/http-client.js';
import { send } from './engine.js';
import { REGRESSIONS } from './regressions.js';
import { AUTHORIZATION, HEALTH_PATH, startFuzzServer } from './server.js';

const server = await startFuzzServer();
const pid = server.process.child.pid ?? 0;
const base = server.url;

function rssMb(): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return `RSS ${Math.round(kb('VmRSS') / 1024)} MB (peak ${Math.round(kb('VmHWM') / 1024)} MB)`;
}
const line = (name: string, what: string): void => console.log(`${name.padEnd(78)} ${what}  ${rssMb()}`);

// 1. SyncML session take-over: alice opens a session; a stranger replays her device ID and SessionID.
{
  const device = 'findings-phone';
  const first = await post(
    base,
    message({
      device,
      sessionId: '7',
      msgId: '1',
      cred: basicCred('alice', 'fuzz-password-1'),
      commands: [alert('1', 'contacts')],
    }),
  );
  const t0 = performance.now();
  const stranger = await post(
    base,
    message({
      device,
      sessionId: '7',
      msgId: '2',
      commands: [syncAdd('1', 'contacts', 'x1', vcard('intruder', 'Intruder'))],
    }),
  );
  line(
    '1 stranger reuses device ID + SessionID, Adds a card',
    `owner SyncHdr ${statuses(first.msg, 'SyncHdr').join(',')}; stranger SyncHdr ${statuses(stranger.msg, 'SyncHdr').join(',')}, Sync ${statuses(stranger.msg, 'Sync').join(',') || '-'} in ${Math.round(performance.now() - t0)} ms`,
  );
}

// 3. If header naming a resource of another user (bob): same answer whether it exists or not.
{
  const add = almanac(['user', 'add', 'bob', '--password-stdin', '--data', server.dataDir], 'bob-password-1\n');
  if (add.code !== 0) throw new Error(add.stderr);
  const bob = `Basic ${Buffer.from('bob:bob-password-1').toString('base64')}`;
  const made = await fetch(new URL('/dav/files/bob/secret.txt', base), {
    method: 'PUT',
    headers: { Authorization: bob },
    body: 'bob',
  });
  const etag = made.headers.get('etag') ?? '"x"';
  const codes: number[] = [];
  for (const target of ['/dav/files/bob/secret.txt', '/dav/files/bob/missing.txt']) {
    const r = await send(
      base,
      AUTHORIZATION,
      {
        method: 'PUT',
        path: '/dav/files/alice/if.txt',
        headers: { If: `<${base}${target}> ([${etag}])` },
        body: new TextEncoder().encode('x'),
      },
      5000,
    );
    codes.push(r.status);
  }
  const gets = [];
  for (const target of ['/dav/files/bob/secret.txt', '/dav/files/bob/missing.txt'])
    gets.push((await send(base, AUTHORIZATION, { method: 'GET', path: target, headers: {} }, 5000)).status);
  line(
    "3 If: <bob's file> ([its etag]) vs a missing one; GET bob's file vs missing",
    `If ${codes.join(' / ')}; GET ${gets.join(' / ')}`,
  );
}

// 7. Brute force: 30 wrong Basic passwords in a row (20 are free per address, 5 per account, but this
// address logged in to alice before, so only the address count holds it).
{
  const wrong = `Basic ${Buffer.from('alice:guess').toString('base64')}`;
  const counts: Record<number, number> = {};
  const t0 = performance.now();
  for (let i = 0; i < 30; i++) {
    const r = await send(base, wrong, { method: 'PROPFIND', path: '/dav/', headers: { Depth: '0' } }, 10_000);
    counts[r.status] = (counts[r.status] ?? 0) + 1;
  }
  const right = await send(base, AUTHORIZATION, { method: 'GET', path: HEALTH_PATH, headers: {} }, 10_000);
  line(
    '7 thirty wrong Basic passwords from one address, then the right one (a client that holds it)',
    `${JSON.stringify(counts)} in ${Math.round(performance.now() - t0)} ms; right password: ${right.status}`,
  );
}

// 8–11. Every kept regression input, as the fuzz test sends it.
for (const r of REGRESSIONS) {
  const parts: string[] = [];
  for (const step of r.steps) {
    const a = await send(base, r.anonymous ? '' : AUTHORIZATION, step.request, 60_000);
    parts.push(`${step.request.method} ${a.error ?? a.status} ${Math.round(a.ms)} ms`);
  }
  line(r.name, parts.join('; '));
}

// 10. p99 of a simple GET while the worst requests run one after another.
{
  const worst = REGRESSIONS.filter((r) => /SECONDLY series|100-year|THISANDFUTURE/.test(r.name)).flatMap((r) =>
    r.steps.filter((s) => s.request.method === 'REPORT'),
  );
  let running = true;
  let nasty = 0;
  const loop = (async () => {
    while (running)
      for (const s of worst) {
        if (!running) break;
        await send(base, AUTHORIZATION, s.request, 60_000);
        nasty += 1;
      }
  })();
  const times: number[] = [];
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    times.push((await send(base, AUTHORIZATION, { method: 'GET', path: HEALTH_PATH, headers: {} }, 10_000)).ms);
    await new Promise((r) => setTimeout(r, 20));
  }
  running = false;
  await loop;
  times.sort((a, b) => a - b);
  const p = (q: number): number =>
    Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  line(
    '10 simple GET while the worst expansions run (10 s)',
    `${times.length} GETs, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms; ${nasty} expensive reports answered`,
  );
}

// 12. Slow clients: headers that never finish; a body that stalls.
{
  const hold = (payload: string): Promise<number> =>
    new Promise((resolve) => {
      const u = new URL(base);
      const t0 = performance.now();
      const s = connect(Number(u.port), u.hostname, () => s.write(payload));
      s.on('data', () => undefined);
      s.on('close', () => resolve(Math.round((performance.now() - t0) / 100) / 10));
      s.on('error', () => undefined);
    });
  const [headers, body] = await Promise.all([
    hold('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    hold(
      `PUT ${HEALTH_PATH.replace('keep', 'slow')} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTHORIZATION}\r\nContent-Length: 100\r\n\r\n0123456789`,
    ),
  ]);
  line(
    '12 unfinished headers / a body that stalls after 10 bytes: connection closed after',
    `${headers} s / ${body} s`,
  );
}

await server.close();
