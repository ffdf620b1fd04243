/**
 * Users from LDAP (issue #19) against Debian's slapd: the service account searches (RFC 4511
 * §4.5), the user's own simple bind checks the password (RFC 4513 §5.1.3); the first login makes
 * the Almanac user with its homes, its mail becomes the calendar user address (RFC 6638 §2.4.1)
 * and its LDAP groups its Almanac groups. Failed checks count toward the throttle; while the
 * directory is down, remembered credentials, sessions and app passwords keep working.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LDAP_DEFAULTS } from '../../../src/domain/accounts/ldap-directory.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { appCall, login, loginResponse, propfindHome } from './app-api.js';
import { BASE, READER, startSlapd, type Slapd } from './helpers/slapd.js';

function person(uid: string, cn: string, password: string, mails: string[]): string {
  return [
    `dn: uid=${uid},ou=people,${BASE}`,
    'objectClass: inetOrgPerson',
    `uid: ${uid}`,
    `cn: ${cn}`,
    `sn: ${cn.split(' ').pop() ?? cn}`,
    ...mails.map((m) => `mail: ${m}`),
    `userPassword: ${password}`,
    '',
  ].join('\n');
}

function group(cn: string, members: string[]): string {
  return [
    `dn: cn=${cn},ou=groups,${BASE}`,
    'objectClass: groupOfNames',
    `cn: ${cn}`,
    ...members.map((m) => `member: uid=${m},ou=people,${BASE}`),
    '',
  ].join('\n');
}

const ENTRIES = [
  person('carol', 'Carol Jones', 'carol-ldap', ['carol@example.org', 'c.jones@example.org']),
  person('erin', 'Erin Doe', 'erin-ldap', ['erin@example.org']),
  person('alice', 'Not Alice', 'alice-ldap', ['alice@ldap.example.org']),
  group('staff', ['carol', 'erin']),
  person('frank', 'Frank Roe', 'frank-ldap', []),
  group('ops', ['erin', 'nobody']), // groupOfNames needs a member after erin leaves
].join('\n');

describe('LDAP directory (slapd): login, provisioning, groups, throttling, outage', () => {
  let slapd: Slapd;
  let server: TestServer;
  before(async () => {
    slapd = await startSlapd(ENTRIES);
    server = await startTestServer({
      config: {
        authThrottle: { accountFreeFailures: 3, addressFreeFailures: 100, baseDelayMs: 60_000 },
        directory: {
          kind: 'ldap',
          ldap: {
            ...LDAP_DEFAULTS,
            url: slapd.url,
            bindDn: READER.dn,
            bindPassword: READER.password,
            base: `ou=people,${BASE}`,
            groupBase: `ou=groups,${BASE}`,
          },
        },
      },
    });
  });
  after(async () => {
    await server.close();
    await slapd.stop();
  });

  it('first DAV login makes the user: homes, display name, mail as calendar user address, groups', async () => {
    assert.equal((await propfindHome(server.url, 'carol', 'carol-ldap')).status, 207);
    const carol = await server.store.getUserByName('carol');
    assert.equal(carol?.directory, 'ldap');
    assert.equal(carol?.displayName, 'Carol Jones');
    assert.equal(carol?.email, 'carol@example.org');
    assert.deepEqual(
      (await server.store.groupsOf(carol.id)).map((g) => g.name),
      ['staff'],
    );
    const principal = await fetch(`${server.url}/dav/principals/users/carol/`, {
      method: 'PROPFIND',
      headers: {
        Authorization: `Basic ${Buffer.from('carol:carol-ldap').toString('base64')}`,
        Depth: '0',
        'Content-Type': 'application/xml',
      },
      body: '<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-user-address-set/></D:prop></D:propfind>',
    });
    assert.match(await principal.text(), /mailto:carol@example\.org/);
  });

  it('a wrong or empty password is refused (an empty one would be an unauthenticated bind, RFC 4513 §5.1.2)', async () => {
    assert.equal((await propfindHome(server.url, 'carol', 'wrong')).status, 401);
    assert.equal((await propfindHome(server.url, 'carol', '')).status, 401);
    assert.equal((await propfindHome(server.url, 'nobody', 'x')).status, 401);
  });

  it('a local user keeps their name: the LDAP entry of the same uid does not log in as them', async () => {
    assert.equal((await propfindHome(server.url, 'alice', 'alice-pw')).status, 207);
    assert.equal((await propfindHome(server.url, 'alice', 'alice-ldap')).status, 401);
  });

  it('the web login follows group changes in LDAP (the directory decides its users’ groups)', async () => {
    await login(server.url, 'erin', 'erin-ldap');
    const erin = await server.store.getUserByName('erin');
    assert.deepEqual((await server.store.groupsOf(erin!.id)).map((g) => g.name).sort(), ['ops', 'staff']);
    execFileSync('/usr/bin/ldapmodify', ['-x', '-H', slapd.url, '-D', `cn=admin,${BASE}`, '-w', 'admin-pw'], {
      input: `dn: cn=ops,ou=groups,${BASE}\nchangetype: modify\ndelete: member\nmember: uid=erin,ou=people,${BASE}\n`,
    });
    await login(server.url, 'erin', 'erin-ldap');
    assert.deepEqual(
      (await server.store.groupsOf(erin!.id)).map((g) => g.name),
      ['staff'],
    );
  });

  it('failed LDAP checks count toward the throttle: after the free failures, 429', async () => {
    // frank never logged in from here: this address is not trusted for the account (domain/throttle.ts).
    for (let i = 0; i < 3; i++) assert.equal((await propfindHome(server.url, 'frank', `guess-${i}`)).status, 401);
    const held = await fetch(`${server.url}/dav/calendars/frank/`, {
      method: 'PROPFIND',
      headers: { Authorization: `Basic ${Buffer.from('frank:frank-ldap').toString('base64')}`, Depth: '0' },
    });
    assert.equal(held.status, 429, 'held even with the right password');
    assert.ok(Number(held.headers.get('retry-after')) > 0);
  });

  it('directory down: a new login is 503; the remembered credential, the session and app passwords work', async () => {
    const session = await login(server.url, 'carol', 'carol-ldap');
    const made = await appCall<{ password: string }>(server.url, session, 'POST', '/app/app-passwords', {
      name: 'Phone',
      scopes: ['dav'],
    });
    assert.equal((await propfindHome(server.url, 'carol', 'carol-ldap')).status, 207);
    await slapd.stop();
    assert.equal((await loginResponse(server.url, { user: 'carol', password: 'carol-ldap' })).status, 503);
    assert.equal((await propfindHome(server.url, 'carol', 'carol-ldap')).status, 207, 'remembered credential');
    assert.equal((await propfindHome(server.url, 'carol', made.body.password)).status, 207, 'app password');
    assert.equal((await appCall(server.url, session, 'GET', '/app/account')).status, 200, 'web session');
  });
});
