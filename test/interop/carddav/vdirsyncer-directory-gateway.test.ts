/**
 * vdirsyncer (Debian's package) syncing the directory address book read-only
 * (draft-daboo-carddav-directory-gateway): the remote storage is `read_only`, so it downloads
 * every user's and group's card, then users added and removed on the server, and a local edit
 * is never sent (`partial_sync = "ignore"`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addUser, removeUser } from '../../../src/domain/accounts/admin.js';
import { addGroup, setGroupMember } from '../../../src/domain/accounts/groups.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { runVdirsyncer, VDIRSYNCER } from '../../helpers/vdirsyncer.js';

const BOOK = '/dav/addressbooks/__directory__/directory/';

describe(
  'interop: vdirsyncer syncs the directory address book read-only',
  { skip: existsSync(VDIRSYNCER) ? false : 'vdirsyncer is not installed' },
  () => {
    let server: TestServer;
    let dir: string;
    let local: string;

    const run = (args: string[], input = ''): Promise<string> => runVdirsyncer(dir, args, input);
    const localFns = (): string[] =>
      readdirSync(local)
        .map((f) => /\nFN:(.*)/.exec(readFileSync(join(local, f), 'utf8'))?.[1]?.trim() ?? '')
        .sort();

    before(async () => {
      server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
      await addGroup(server.announcing, 'staff');
      await setGroupMember(server.announcing, 'staff', 'bob', true);
      dir = mkdtempSync(join(tmpdir(), 'almanac-vdirsyncer-dir-'));
      local = join(dir, 'local');
      mkdirSync(local);
      mkdirSync(join(dir, 'status'));
      writeFileSync(
        join(dir, 'config'),
        `[general]
status_path = "${join(dir, 'status')}/"

[pair directory]
a = "local"
b = "remote"
collections = null
partial_sync = "ignore"

[storage local]
type = "filesystem"
path = "${local}/"
fileext = ".vcf"

[storage remote]
type = "carddav"
url = "${server.url}${BOOK}"
username = "alice"
password = "alice-pw"
read_only = true
`,
      );
      await run(['discover'], 'y\n');
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('downloads one card per user and group', async () => {
      await run(['sync']);
      assert.deepEqual(localFns(), ['alice', 'bob', 'staff']);
    });

    it('users added and removed on the server arrive; a local edit is not sent', async () => {
      await addUser(server.announcing, { name: 'carol', password: 'pw', displayName: 'Carol C' });
      await removeUser(server.announcing, 'bob');
      const alice = readdirSync(local).find((f) => readFileSync(join(local, f), 'utf8').includes('\nFN:alice')) ?? '';
      writeFileSync(join(local, alice), readFileSync(join(local, alice), 'utf8').replace('FN:alice', 'FN:mallory'));
      await run(['sync']);
      assert.deepEqual(localFns(), ['Carol C', 'mallory', 'staff']);
      const res = await fetch(new URL(BOOK, server.url), {
        method: 'REPORT',
        headers: {
          Authorization: `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`,
          'Content-Type': 'application/xml',
        },
        body: `<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/></D:prop><C:filter><C:prop-filter name="FN"><C:text-match match-type="equals">mallory</C:text-match></C:prop-filter></C:filter></C:addressbook-query>`,
      });
      assert.equal((await res.text()).match(/<D:response>/g)?.length ?? 0, 0);
    });
  },
);
