/**
 * Built-in TLS (issue #19): `almanac serve --tls-cert --tls-key` with a self-signed certificate
 * made here by Debian's openssl. curl and vdirsyncer trust only that certificate and talk
 * CalDAV over HTTPS; SIGHUP makes new connections get a renewed certificate, and a reload with
 * a broken pair keeps the one in use. The same process logs with `--log-format json`: one JSON
 * line per request, whose id is the X-Request-Id of the answer.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { event } from '../rfc4791/caldav-client.js';
import { exited, serveProcess, type ServeProcess } from '../../helpers/cli-server.js';

const run = promisify(execFile);
let dir: string;
let server: ServeProcess;
let url: string;
let password: string;

/** A self-signed certificate for 127.0.0.1 and localhost, as PEM files `NAME.crt` / `NAME.key`. */
function makeCert(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { cert, key };
}

/** The SHA-256 fingerprint of the certificate a new connection is shown. */
function servedFingerprint(): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once('error', reject);
  });
}

function fingerprintOf(certFile: string): string {
  const out = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], {
    encoding: 'utf8',
  });
  return out.trim().split('=')[1] ?? '';
}

async function curl(ca: string, ...args: string[]): Promise<{ head: string; body: string }> {
  const { stdout } = await run('curl', ['-sS', '--cacert', ca, '-D', '-', '-u', `admin:${password}`, ...args], {
    timeout: 30_000,
  });
  const at = stdout.indexOf('\r\n\r\n');
  return { head: stdout.slice(0, at), body: stdout.slice(at + 4) };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let first: { cert: string; key: string };

/** vdirsyncer pairing a vdir with the `tls` calendar, trusting the test's certificate only. */
function vdirsyncerConfig(): string {
  return `[general]
status_path = "${dir}/status/"

[pair cal]
a = "local"
b = "remote"
collections = ["tls"]

[storage local]
type = "filesystem"
path = "${dir}/local/"
fileext = ".ics"

[storage remote]
type = "caldav"
url = "${url}/"
username = "admin"
password = "${password}"
verify = "${first.cert}"
`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-tls-'));
  first = makeCert('first');
  server = await serveProcess([
    '--data', join(dir, 'data'), '--tls-cert', first.cert, '--tls-key', first.key, '--log-format', 'json',
  ]); // prettier-ignore
  url = server.url.replace(/^http:/, 'https:');
  password = /with password (\S+)/.exec(server.stdout())?.[1] ?? '';
  assert.match(server.stdout(), /listening on https:\/\/127\.0\.0\.1:/);
});

after(async () => {
  server.child.kill('SIGTERM');
  await exited(server.child);
  rmSync(dir, { recursive: true, force: true });
});

describe('built-in TLS', () => {
  it('curl reaches CalDAV over HTTPS trusting only the self-signed certificate; plain HTTP is not served', async () => {
    const made = await curl(first.cert, '-X', 'MKCALENDAR', `${url}/dav/calendars/admin/tls/`);
    assert.match(made.head, /^HTTP\/1\.1 201/);
    const put = await curl(
      first.cert,
      '-X', 'PUT', '-H', 'Content-Type: text/calendar', '--data-binary', event('over-tls', '20250101T100000Z', '20250101T110000Z'),
      `${url}/dav/calendars/admin/tls/over-tls.ics`,
    ); // prettier-ignore
    assert.match(put.head, /^HTTP\/1\.1 201/);
    await assert.rejects(
      run('curl', ['-sS', '--max-time', '5', `${server.url}/healthz`]),
      'no plain HTTP on the TLS port',
    );
    await assert.rejects(run('curl', ['-sS', '--max-time', '5', `${url}/healthz`]), 'an unknown CA is refused by curl');
  });

  it('vdirsyncer syncs both ways over HTTPS with verify = the certificate', async () => {
    writeFileSync(join(dir, 'vdirsyncer.conf'), vdirsyncerConfig());
    const vdirsyncer = (...args: string[]) =>
      run('vdirsyncer', ['--config', join(dir, 'vdirsyncer.conf'), ...args], {
        timeout: 120_000,
        env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      });
    mkdirSync(join(dir, 'local', 'tls'), { recursive: true });
    writeFileSync(
      join(dir, 'local', 'tls', 'from-vdir.ics'),
      event('from-vdir', '20250102T100000Z', '20250102T110000Z'),
    );
    await vdirsyncer('discover', 'cal');
    await vdirsyncer('sync');
    const local = readdirSync(join(dir, 'local', 'tls')).map((f) => readFileSync(join(dir, 'local', 'tls', f), 'utf8'));
    assert.ok(
      local.some((t) => t.includes('UID:over-tls')),
      'the server event reached the vdir',
    );
    const listed = await curl(first.cert, '-X', 'PROPFIND', '-H', 'Depth: 1', `${url}/dav/calendars/admin/tls/`);
    assert.equal((listed.body.match(/\.ics</g) ?? []).length, 2, 'the vdir event reached the server');
  });

  it('SIGHUP: new connections get the renewed certificate; a broken pair keeps the one in use', async () => {
    assert.equal(await servedFingerprint(), fingerprintOf(first.cert));
    const renewed = makeCert('renewed');
    // The operator's files are replaced in place (as certbot does), then the server is told.
    writeFileSync(first.cert, readFileSync(renewed.cert));
    writeFileSync(first.key, readFileSync(renewed.key));
    server.child.kill('SIGHUP');
    await waitFor(() => server.stdout().includes('SIGHUP: TLS certificate and key reloaded'), 'the reload');
    assert.equal(await servedFingerprint(), fingerprintOf(renewed.cert));
    assert.match((await curl(renewed.cert, `${url}/healthz`)).body, /^ok/);

    writeFileSync(first.key, readFileSync(makeCert('other').key)); // a key that does not fit
    server.child.kill('SIGHUP');
    await waitFor(() => server.stderr().includes('SIGHUP: keeping the certificate in use'), 'the refused reload');
    assert.equal(await servedFingerprint(), fingerprintOf(renewed.cert));
    assert.equal(server.child.exitCode, null, 'still running');
  });

  it('--log-format json: one JSON line per request, with the id sent back as X-Request-Id', async () => {
    const { head } = await curl(first.cert, `${url}/healthz`);
    const id = /^x-request-id: (\S+)/im.exec(head)?.[1] ?? '';
    assert.match(id, /^[0-9a-f-]{36}$/);
    await waitFor(() => server.stderr().includes(id), 'the log line');
    const line = server
      .stderr()
      .split('\n')
      .find((l) => l.includes(id));
    const entry = JSON.parse(line ?? '') as Record<string, unknown>;
    assert.deepEqual(
      { id: entry.id, method: entry.method, path: entry.path, status: entry.status, client: entry.client },
      { id, method: 'GET', path: '/healthz', status: 200, client: '127.0.0.1' },
    );
    assert.equal(typeof entry.ms, 'number');
    assert.ok(!Number.isNaN(Date.parse(String(entry.time))));
  });
});
