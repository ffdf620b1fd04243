/**
 * Interop (issue #19): real DAV clients with an app password, for a user whose two-factor login
 * is on — python3-caldav (Debian) discovers and stores an event, vdirsyncer discovers and syncs;
 * python3-caldav with the account password is refused (DAV accepts only app passwords then).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createAppPassword } from '../../../src/domain/accounts/app-passwords.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const run = promisify(execFile);
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const PYTHON_CLIENT = `
import json, os, caldav
client = caldav.DAVClient(url=os.environ["URL"], username="alice", password=os.environ["PASSWORD"])
try:
    principal = client.principal()
except caldav.lib.error.AuthorizationError:
    print(json.dumps({"refused": True}))
    raise SystemExit(0)
cal = [c for c in principal.calendars() if str(c.url).endswith("/default/")][0]
cal.save_event("BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nPRODID:-//t//EN\\r\\nBEGIN:VEVENT\\r\\nUID:py-app-pw\\r\\n"
               "DTSTAMP:20240101T000000Z\\r\\nDTSTART:20240305T100000Z\\r\\nDTEND:20240305T110000Z\\r\\n"
               "SUMMARY:via app password\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
print(json.dumps({"principal": str(principal.url), "events": len(cal.events())}))
`;

describe('DAV clients with an app password (two-factor login on)', () => {
  let server: TestServer;
  let password = '';
  let dir = '';
  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw' } });
    const alice = (await server.store.getUserByName('alice'))!;
    password = await server.store.transaction(['app-passwords'], async (tx) => {
      await tx.updateUser(alice.id, { totpSecret: 'v1.sealed-secret-stand-in' }); // DAV only asks whether it is on
      return (await createAppPassword(tx, { userId: alice.id, name: 'clients', scopes: ['dav'] })).password;
    });
    dir = mkdtempSync(join(tmpdir(), 'almanac-app-pw-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const python = async (pw: string): Promise<Record<string, unknown>> => {
    const { stdout } = await run(PYTHON, ['-c', PYTHON_CLIENT], {
      env: { ...process.env, URL: `${server.url}/dav/`, PASSWORD: pw },
      timeout: 60_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  };

  it('python3-caldav: the app password discovers and stores; the account password is refused', async () => {
    const ok = await python(password);
    assert.match(String(ok.principal), /\/dav\/principals\/users\/alice\/$/);
    assert.equal(ok.events, 1);
    assert.deepEqual(await python('alice-pw'), { refused: true });
  });

  it('vdirsyncer: discover and sync with the app password', async () => {
    writeFileSync(
      join(dir, 'config'),
      `[general]\nstatus_path = "${dir}/status/"\n\n[pair cal]\na = "local"\nb = "remote"\ncollections = ["default"]\n\n` +
        `[storage local]\ntype = "filesystem"\npath = "${dir}/local/"\nfileext = ".ics"\n\n` +
        `[storage remote]\ntype = "caldav"\nurl = "${server.url}/"\nusername = "alice"\npassword = "${password}"\n`,
    );
    const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
    const vdirsyncer = (...args: string[]) =>
      run('vdirsyncer', ['--config', join(dir, 'config'), ...args], { timeout: 120_000, env });
    await run('sh', ['-c', `yes | vdirsyncer --config ${join(dir, 'config')} discover`], { timeout: 120_000, env });
    await vdirsyncer('sync');
    assert.equal(readdirSync(join(dir, 'local', 'default')).filter((f) => f.endsWith('.ics')).length, 1);
  });
});
