/**
 * draft-daboo-carddav-directory-gateway §4-§5 as clients use it. Apple Contacts searches the
 * gateway with addressbook-query on FN / EMAIL (contains, starts-with) and a limit; Thunderbird
 * and DAVx5 sync it with sync-collection (RFC 6578). The answer is capped (RFC 6352 §8.6.2) and
 * the book's sync token moves exactly when a user or group changes, in that change's transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, removeUser } from '../../../src/domain/accounts/admin.js';
import { addGroup, setGroupMember } from '../../../src/domain/accounts/groups.js';
import { provisionUser } from '../../../src/domain/accounts/provision.js';
import { DIRECTORY_RESULT_LIMIT } from '../../../src/domain/directory/directory-book.js';
import { hashPassword } from '../../../src/domain/passwords.js';
import { createUser } from '../../../src/domain/users.js';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { isElement } from '../../../src/xml/element.js';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { CR, D, cardLines, card, putCard, report, type Dav, type MsResponse } from '../rfc6352/carddav-helpers.js';

const BOOK = '/dav/addressbooks/__directory__/directory/';
const MANY = DIRECTORY_RESULT_LIMIT + 20;

const query = (filter: string, limit = '') =>
  `<?xml version="1.0"?><C:addressbook-query xmlns:D="DAV:" xmlns:C="${CR}"><D:prop><D:getetag/><C:address-data/></D:prop><C:filter test="anyof">${filter}</C:filter>${limit}</C:addressbook-query>`;
const match = (prop: string, type: string, text: string) =>
  `<C:prop-filter name="${prop}"><C:text-match collation="i;unicode-casemap" match-type="${type}">${text}</C:text-match></C:prop-filter>`;
const sync = (token: string) =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;

const fnOf = (r: MsResponse): string => {
  const data = r.props.get(`{${CR}}address-data`)?.text ?? '';
  return (
    cardLines(data)
      .find((l) => l.startsWith('FN:'))
      ?.slice(3) ?? ''
  );
};
const members = (rs: MsResponse[]) => rs.filter((r) => r.href !== BOOK);

describe('directory gateway: search (Apple Contacts) and sync (Thunderbird, DAVx5)', () => {
  let server: TestServer;
  let alice: Dav;

  async function syncFrom(token: string): Promise<{ token: string; changed: string[]; gone: string[] }> {
    const res = await alice(BOOK, {
      method: 'REPORT',
      headers: { 'Content-Type': 'application/xml' },
      body: sync(token),
    });
    const text = await res.text();
    assert.equal(res.status, 207, text);
    const next = /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';
    const responses = [...text.matchAll(/<D:response>([\s\S]*?)<\/D:response>/g)].map((m) => m[1] ?? '');
    const href = (r: string) => /<D:href>([^<]+)<\/D:href>/.exec(r)?.[1] ?? '';
    return {
      token: next,
      changed: responses.filter((r) => !r.includes('404 Not Found')).map(href),
      gone: responses.filter((r) => r.includes('404 Not Found')).map(href),
    };
  }

  before(async () => {
    server = await startTestServer({ users: { alice: 'alice-pw' } });
    alice = davFetch(server.url, 'alice');
    const passwordHash = await hashPassword('pw');
    await server.announcing.transaction(['/principals/people'], async (tx) => {
      for (let i = 0; i < MANY; i++)
        await createUser(tx, {
          name: `p${i}`,
          password: { passwordHash },
          displayName: `Person ${i} Example`,
          email: `person${i}@example.org`,
        });
      await createUser(tx, {
        name: 'carla',
        password: { passwordHash },
        displayName: 'Carla Öztürk',
        email: 'co@corp.example',
      });
    });
  });
  after(() => server.close());

  it('Apple Contacts: FN contains and EMAIL starts-with find the right users', async () => {
    const byName = members(await report(alice, BOOK, query(match('FN', 'contains', 'öztürk'))));
    assert.deepEqual(byName.map(fnOf), ['Carla Öztürk']);
    const byMail = members(
      await report(alice, BOOK, query(match('FN', 'starts-with', 'carla') + match('EMAIL', 'starts-with', 'co@'))),
    );
    assert.deepEqual(byMail.map(fnOf), ['Carla Öztürk']);
    const text = byMail[0]?.props.get(`{${CR}}address-data`)?.text ?? '';
    assert.ok(
      cardLines(text).some((l) => /^EMAIL.*:co@corp\.example$/.test(l)),
      text,
    );
  });

  it('RFC 6352 §8.6.2: a search matching more than the gateway answers is cut at the limit with 507 number-of-matches-within-limits', async () => {
    const res = await report(alice, BOOK, query(match('EMAIL', 'contains', 'example.org')));
    assert.equal(members(res).length, DIRECTORY_RESULT_LIMIT);
    const over = res.find((r) => r.href === BOOK);
    assert.equal(over?.status, 507);
    assert.equal(over?.error?.children.filter(isElement)[0]?.name, `{${D}}number-of-matches-within-limits`);
    // A client's own smaller limit (Apple sends one) is honoured.
    const five = await report(
      alice,
      BOOK,
      query(match('FN', 'contains', 'person'), '<C:limit><C:nresults>5</C:nresults></C:limit>'),
    );
    assert.equal(members(five).length, 5);
  });

  it('RFC 6578: a sync gets every card, then exactly the user and group changes, and nothing for other writes', async () => {
    const first = await syncFrom('');
    assert.equal(first.changed.filter((h) => h !== BOOK).length, MANY + 2);
    let token = first.token;
    const step = async (what: () => Promise<unknown>) => {
      await what();
      const r = await syncFrom(token);
      token = r.token;
      return r;
    };
    // A write elsewhere does not move the directory.
    const unrelated = await step(() =>
      putCard(alice, '/dav/addressbooks/alice/default/x.vcf', card(['VERSION:3.0', 'UID:x', 'FN:X', 'N:;;;;'])),
    );
    assert.deepEqual(unrelated, { token, changed: [], gone: [] });
    const made = await step(() => addUser(server.announcing, { name: 'dora', password: 'pw', displayName: 'Dora' }));
    assert.equal(made.changed.length, 1);
    const dora = made.changed[0] ?? '';
    const grouped = await step(async () => {
      await addGroup(server.announcing, 'team');
      await setGroupMember(server.announcing, 'team', 'dora', true);
    });
    assert.equal(grouped.changed.length, 1);
    const team = grouped.changed[0] ?? '';
    assert.match(team, /group-/);
    const teamCard = await (await alice(team, { headers: { Accept: 'text/vcard; version=4.0' } })).text();
    assert.equal(parseVcard(teamCard).properties.filter((p) => p.name === 'MEMBER').length, 1);
    // A directory (LDAP) user's rename reaches their card at their next login.
    const ldap = await step(() =>
      provisionUser(server.announcing, 'ldap', {
        name: 'erik',
        displayName: 'Erik',
        emails: ['erik@corp.example'],
        groups: ['team'],
      }),
    );
    assert.equal(ldap.changed.length, 2, ldap.changed.join(' ')); // erik's card, the team's card
    const renamed = await step(() =>
      provisionUser(server.announcing, 'ldap', {
        name: 'erik',
        displayName: 'Erik Ek',
        emails: ['erik@corp.example'],
        groups: ['team'],
      }),
    );
    assert.equal(renamed.changed.length, 1);
    const erikCard = await (await alice(renamed.changed[0] ?? '')).text();
    assert.ok(cardLines(erikCard).includes('FN:Erik Ek'), erikCard);
    // Deleting a user removes their card and them from their groups' cards, in one change set.
    const removed = await step(() => removeUser(server.announcing, 'dora'));
    assert.deepEqual(removed.gone, [dora]);
    assert.deepEqual(removed.changed, [team]);
  });
});
