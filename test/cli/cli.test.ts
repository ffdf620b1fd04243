// The `almanac` command as a user runs it: the compiled bin in a child process, against a temp --data dir.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/cli/ → project root
const BIN = join(ROOT, 'bin', 'almanac.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The process environment without ALMANAC_* variables, plus `extra`. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ALMANAC_')) delete env[key];
  return { ...env, ...extra };
}

function almanac(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    env: environment(options.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exactly one line `almanac: …` on stderr matching `pattern`, and exit code `code`. */
function assertError(r: Result, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0] ?? '', /^almanac: /);
  assert.match(lines[0] ?? '', pattern);
}

let base: string;
before(() => {
  base = mkdtempSync(join(tmpdir(), 'almanac-cli-'));
});
after(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('almanac user', () => {
  let data: string[];
  before(() => {
    data = ['--data', join(base, 'users')];
  });

  test('add with a generated password prints it', () => {
    const r = almanac([
      'user',
      'add',
      'alice',
      '--email',
      'alice@example.org',
      '--display-name',
      'Alice Liddell',
      ...data,
    ]);
    assert.equal(r.code, 0, r.stderr);
    // The first user of a new server is its admin (domain/accounts/admin.ts).
    assert.match(
      r.stdout,
      /^Created user alice with password [A-Za-z0-9]{20}\nalice is an admin \(the web app's Admin section\)\n$/,
    );
    assert.equal(r.stderr, '');
  });

  test('add with --password-stdin prints no password', () => {
    const r = almanac(['user', 'add', 'bob', '--password-stdin', ...data], { input: 'correct horse\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Created user bob\n');
  });

  test('list shows every user in aligned columns', () => {
    const r = almanac(['user', 'list', ...data]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^NAME\s+EMAIL\s+DISPLAY NAME\s+ADMIN\s+SOURCE\s+QUOTA\s+USED\s+CREATED$/);
    assert.match(
      lines[1] ?? '',
      /^alice\s+alice@example\.org\s+Alice Liddell\s+yes\s+local\s+none\s+\d+ B\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    assert.match(lines[2] ?? '', /^bob\s+-\s+-\s+-\s+local\s+none\s+\d+ B\s+\d{4}-/);
    const column = (line: string | undefined) => line?.indexOf('DISPLAY NAME') ?? -1;
    assert.equal(lines[1]?.indexOf('Alice Liddell'), column(lines[0]), 'columns are aligned');
  });

  test('flag wins over environment, environment over default', () => {
    const elsewhere = join(base, 'elsewhere');
    const fromEnv = almanac(['user', 'list'], { env: { ALMANAC_DATA: data[1] ?? '' } });
    assert.match(fromEnv.stdout, /^alice /m);
    const flagWins = almanac(['user', 'list', '--data', elsewhere], { env: { ALMANAC_DATA: data[1] ?? '' } });
    assert.equal(flagWins.code, 0, flagWins.stderr);
    assert.doesNotMatch(flagWins.stdout, /^alice /m);
  });

  test('passwd reads the new password from stdin', () => {
    const r = almanac(['user', 'passwd', 'bob', '--password-stdin', ...data], { input: 'battery staple\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /bob/);
  });

  test('passwd without --password-stdin is a usage error', () => {
    assertError(almanac(['user', 'passwd', 'bob', ...data]), 2, /--password-stdin/);
  });

  test('passwd of an unknown user fails with one line', () => {
    assertError(
      almanac(['user', 'passwd', 'nobody', '--password-stdin', ...data], { input: 'x\n' }),
      1,
      /no such user 'nobody'/,
    );
  });

  test('an empty password from stdin is refused', () => {
    assertError(almanac(['user', 'add', 'carol', '--password-stdin', ...data], { input: '\n' }), 1, /empty/);
  });

  test('a duplicate user fails with one line, exit 1', () => {
    assertError(almanac(['user', 'add', 'alice', ...data]), 1, /user 'alice' already exists/);
  });

  test('a bad user name fails with one line', () => {
    assertError(almanac(['user', 'add', 'no/slashes', ...data]), 1, /invalid user name 'no\/slashes'/);
  });

  test('calendar invitations sets how a user takes invitations in (RFC 6638 §4); bad input is one line', () => {
    const r = almanac(['calendar', 'invitations', 'alice', 'inbox', ...data]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Invitations of alice: inbox\n');
    assert.equal(almanac(['calendar', 'invitations', 'alice', 'auto', ...data]).code, 0);
    assertError(almanac(['calendar', 'invitations', 'alice', 'maybe', ...data]), 2, /expected auto or inbox/);
    assertError(almanac(['calendar', 'invitations', 'nobody', 'auto', ...data]), 1, /no such user 'nobody'/);
  });

  test('delete removes the user; deleting again fails', () => {
    const r = almanac(['user', 'delete', 'bob', ...data]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(almanac(['user', 'list', ...data]).stdout, /^bob /m);
    assertError(almanac(['user', 'delete', 'bob', ...data]), 1, /no such user 'bob'/);
  });
});

describe('almanac usage', () => {
  test('--help and help list the commands, exit 0', () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const r = almanac(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /almanac serve/);
      assert.match(r.stdout, /almanac user add NAME/);
    }
  });

  test('per-command --help shows its flags and variables', () => {
    const r = almanac(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const s of [
      '--host',
      'ALMANAC_HOST',
      '--port',
      'ALMANAC_PORT',
      '--data',
      '--database',
      '--max-upload-bytes',
    ]) {
      assert.ok(r.stdout.includes(s), s);
    }
    assert.equal(almanac(['help', 'user', 'add']).stdout, almanac(['user', 'add', '--help']).stdout);
  });

  test('--version prints the package version', () => {
    const r = almanac(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^almanac \d+\.\d+\.\d+/);
  });

  test('no command, an unknown command, subcommand or flag: exit 2', () => {
    assertError(almanac([]), 2, /missing command/);
    assertError(almanac(['frobnicate']), 2, /unknown command 'frobnicate'/);
    assertError(almanac(['user', 'frobnicate']), 2, /unknown subcommand 'frobnicate'/);
    assertError(almanac(['user', 'list', '--frobnicate']), 2, /unknown option --frobnicate/);
    assertError(almanac(['--frobnicate']), 2, /unknown option --frobnicate/);
    assertError(almanac(['user', 'add']), 2, /needs NAME/);
  });

  test('OpenID Connect flags are checked before anything starts (issue #19)', () => {
    assertError(almanac(['serve', '--oidc-issuer', 'not a url']), 2, /--oidc-issuer: not a URL/);
    assertError(almanac(['serve', '--oidc-issuer', 'http://id.example.org']), 2, /must be an https:\/\/ URL/);
    assertError(almanac(['serve', '--oidc-issuer', 'https://id.example.org']), 2, /needs --oidc-client-id/);
    const base = ['serve', '--oidc-issuer', 'https://id.example.org', '--oidc-client-id', 'almanac'];
    assertError(almanac([...base, '--oidc-user-claim', 'sub']), 2, /preferred_username or email/);
    assertError(
      almanac([...base, '--oidc-client-secret', 's'], { env: { ALMANAC_OIDC_CLIENT_SECRET_FILE: '/nonexistent' } }),
      2,
      /give one/,
    );
    assertError(almanac([...base, '--oidc-client-secret-file', '/nonexistent/secret']), 2, /cannot read/);
  });

  test('a bad port number is a usage error, from a flag or the environment', () => {
    assertError(almanac(['serve', '--port', '70000']), 2, /invalid --port '70000'/);
    assertError(almanac(['serve'], { env: { ALMANAC_PORT: 'http' } }), 2, /invalid ALMANAC_PORT 'http'/);
  });

  test('the slow-client timeouts are settings: flags and variables, in seconds, checked', () => {
    const help = almanac(['serve', '--help']).stdout;
    for (const s of [
      '--headers-timeout',
      'ALMANAC_HEADERS_TIMEOUT',
      '--body-idle-timeout',
      'ALMANAC_BODY_IDLE_TIMEOUT',
      '--request-timeout',
      'ALMANAC_REQUEST_TIMEOUT',
      '--keep-alive-timeout',
      'ALMANAC_KEEP_ALIVE_TIMEOUT',
    ]) {
      assert.ok(help.includes(s), s);
    }
    assertError(almanac(['serve', '--headers-timeout', '0']), 2, /invalid --headers-timeout '0'/);
    assertError(
      almanac(['serve'], { env: { ALMANAC_BODY_IDLE_TIMEOUT: 'soon' } }),
      2,
      /invalid ALMANAC_BODY_IDLE_TIMEOUT 'soon'/,
    );
    assertError(
      almanac(['serve', '--headers-timeout', '60', '--request-timeout', '30']),
      2,
      /--headers-timeout \(60\) must not exceed --request-timeout \(30\)/,
    );
  });

  test('--trusted-proxies is a setting: flag and variable, each entry an address or CIDR block', () => {
    const help = almanac(['serve', '--help']).stdout;
    assert.ok(help.includes('--trusted-proxies') && help.includes('ALMANAC_TRUSTED_PROXIES'));
    assertError(
      almanac(['serve', '--trusted-proxies', '10.0.0.0/8,proxy.example']),
      2,
      /invalid --trusted-proxies: 'proxy.example' is not an IP address or CIDR block/,
    );
    assertError(
      almanac(['serve'], { env: { ALMANAC_TRUSTED_PROXIES: '10.0.0.0/40' } }),
      2,
      /invalid ALMANAC_TRUSTED_PROXIES: '10.0.0.0\/40' has an invalid prefix length/,
    );
  });

  test('an unreachable database is one line, exit 1', () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    assertError(
      almanac(['user', 'list', '--database', 'postgres://almanac@127.0.0.1:1/almanac']),
      1,
      /cannot open store.*ECONNREFUSED/,
    );
  });
});

/** A port that was free a moment ago: bind port 0, read the port, close. */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

interface Serving {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `almanac serve` and wait until it says it is listening (or exits). */
async function serve(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: environment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const serving = { child, stdout: () => out, stderr: () => err, exited };
  const deadline = Date.now() + 30_000;
  while (!/Almanac listening on /.test(out)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`serve exited early (${child.exitCode ?? child.signalCode}):\n${out}${err}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start in time:\n${out}${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return serving;
}

async function stop(s: Serving): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  s.child.kill('SIGTERM');
  const timeout = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timeout);
  }
}

describe('almanac serve', () => {
  let data: string;
  let port: number;
  before(async () => {
    data = join(base, 'serve');
    port = await freePort();
  });

  test('first start creates admin and prints its password once; SIGTERM exits 0', async () => {
    const s = await serve(['--data', data, '--port', String(port)]);
    const result = await stop(s);
    const out = s.stdout();
    assert.deepEqual(result, { code: 0, signal: null }, `exit; stderr:\n${s.stderr()}`);
    const passwords = [...out.matchAll(/created user admin with password (\S+)/g)];
    assert.equal(passwords.length, 1, out);
    assert.match(passwords[0]?.[1] ?? '', /^[A-Za-z0-9]{20}$/);
    assert.match(out, /almanac user passwd admin --password-stdin/);
    assert.match(
      out,
      new RegExp(`Almanac listening on http://127\\.0\\.0\\.1:${port}/ \\(store: sqlite .*almanac\\.sqlite\\)`),
    );
    assert.match(almanac(['user', 'list', '--data', data]).stdout, /^admin /m);
  });

  test('a second start prints no password', async () => {
    const s = await serve(['--data', data, '--port', String(port)]);
    assert.equal((await stop(s)).code, 0, s.stderr());
    assert.doesNotMatch(s.stdout(), /password [A-Za-z0-9]{20}/);
    assert.match(s.stdout(), /Almanac listening on /);
  });

  test('--heap-growth (issue #20, peak RSS): a percentage from 0 to 300, else one line and exit 2', () => {
    assertError(almanac(['serve', '--data', data, '--heap-growth', '500']), 2, /--heap-growth '500'.*0 to 300/);
    assertError(
      almanac(['serve', '--data', data], { env: { ALMANAC_HEAP_GROWTH: 'lots' } }),
      2,
      /ALMANAC_HEAP_GROWTH 'lots'.*0 to 300/,
    );
  });

  test('a port in use is one line, exit 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const r = await new Promise<Result>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'serve', '--data', data, '--port', String(taken)], {
          env: environment(),
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assertError(r, 1, /address already in use/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
