import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { resolveDatastore } from '../../src/syncml/datastores.js';
import { almanac } from '../helpers/cli-server.js';

describe('almanac syncml route: an operator maps a device database to another collection', () => {
  const data = mkdtempSync(join(tmpdir(), 'almanac-route-'));
  after(() => rmSync(data, { recursive: true, force: true }));

  it('routes contacts to a second address book and tasks to a second calendar; the engine resolves them', async () => {
    assert.equal(almanac(['user', 'add', 'alice', '--password-stdin', '--data', data], 'pw\n').code, 0);
    const store = openSqliteStore(join(data, 'almanac.sqlite'));
    const alice = await store.getUserByName('alice');
    assert.ok(alice);
    await store.transaction(['/addressbooks/alice'], async (tx) => {
      await tx.createCollection('/addressbooks/alice/work', { ownerId: alice.id, collectionType: 'addressbook' });
      await tx.createCollection('/calendars/alice/chores', { ownerId: alice.id, collectionType: 'calendar' });
    });
    await store.close();

    const r1 = almanac([
      'syncml',
      'route',
      'alice',
      'phone-1',
      './contacts',
      '/dav/addressbooks/alice/work/',
      '--data',
      data,
    ]);
    assert.equal(r1.code, 0, r1.stderr);
    const r2 = almanac(['syncml', 'route', 'alice', 'phone-1', 'todo', '/calendars/alice/chores', '--data', data]);
    assert.equal(r2.code, 0, r2.stderr);

    const again = openSqliteStore(join(data, 'almanac.sqlite'));
    const device = await again.getSyncDevice(alice.id, 'phone-1');
    await again.close();
    assert.ok(device);
    const routes = (JSON.parse(device.info) as { routes: Record<string, string> }).routes;
    assert.equal(resolveDatastore('alice', './contacts', routes)?.collection, '/addressbooks/alice/work');
    assert.equal(resolveDatastore('alice', 'todo', routes)?.key, '/calendars/alice/chores#VTODO');
    assert.equal(resolveDatastore('alice', 'calendar', routes)?.collection, '/calendars/alice/default');
  });

  it("routes a database to the user's instance of a calendar shared with them (caldav-sharing §5.5), not to one that is not", async () => {
    assert.equal(almanac(['user', 'add', 'bob', '--password-stdin', '--data', data], 'pw\n').code, 0);
    const store = openSqliteStore(join(data, 'almanac.sqlite'));
    const alice = await store.getUserByName('alice');
    const bob = await store.getUserByName('bob');
    assert.ok(alice && bob);
    await store.transaction(['/calendars/alice', '/calendars/bob'], async (tx) => {
      const team = await tx.createCollection('/calendars/alice/team', {
        ownerId: alice.id,
        collectionType: 'calendar',
      });
      const share = await tx.putShare({
        collectionId: team.id,
        shareeId: bob.id,
        access: 'read',
        directAccess: 'read',
        inviteUid: 'invite-team',
        summary: null,
        commonName: null,
      });
      await tx.updateShare(share.id, { status: 'accepted', instancePath: '/calendars/bob/invite-team' });
    });
    await store.close();
    const ok = almanac([
      'syncml',
      'route',
      'bob',
      'phone-b',
      'calendar',
      '/dav/calendars/bob/invite-team/',
      '--data',
      data,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    // alice's collection itself is not bob's to route to: he holds no grant on it beyond the share's.
    const chores = almanac(['syncml', 'route', 'bob', 'phone-b', 'todo', '/calendars/alice/chores', '--data', data]);
    assert.equal(chores.code, 1);
    assert.match(chores.stderr, /^almanac: bob has no collection \/calendars\/alice\/chores\n$/);
  });

  it('refuses a missing collection, the wrong kind of collection and an unknown user with one line', () => {
    for (const args of [
      ['alice', 'phone-1', 'contacts', '/addressbooks/alice/nope'],
      ['alice', 'phone-1', 'contacts', '/addressbooks/alice'],
      ['nobody', 'phone-1', 'contacts', '/addressbooks/nobody/default'],
    ]) {
      const r = almanac(['syncml', 'route', ...args, '--data', data]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /^almanac: [^\n]+\n$/);
    }
  });
});
