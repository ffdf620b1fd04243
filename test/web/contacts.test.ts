/**
 * Contacts in the web app, in Chromium: cards PUT by other CardDAV clients are shown and
 * edited without damage (one vCard escaping rule, src/formats/vcard), groups in both vCard
 * styles, and a large address book.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { basic, davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { addOtherServer, objects, shot, until } from './page-helpers.js';
import { startRadicale } from './radicale.js';

const BOOK = '/dav/addressbooks/alice/default/';

function vcard(lines: string[], version = '3.0'): string {
  return ['BEGIN:VCARD', `VERSION:${version}`, ...lines, 'END:VCARD', ''].join('\r\n');
}

describe('contacts in Chromium', () => {
  let server: TestServer;
  let session: Session;
  let page: Page;
  const alice = (): ReturnType<typeof davFetch> => davFetch(server.url, 'alice');
  const put = async (name: string, body: string): Promise<void> => {
    const res = await alice()(`${BOOK}${name}`, { method: 'PUT', headers: { 'Content-Type': 'text/vcard' }, body });
    assert.ok(res.status === 201 || res.status === 204, `PUT ${name}: ${res.status}`);
  };
  const get = async (name: string): Promise<string> => (await alice()(`${BOOK}${name}`)).text();
  /** The card as a vCard 4 client reads it (Almanac answers 3.0 unless asked, RFC 6352 §5.1.1). */
  const get4 = async (name: string): Promise<string> =>
    (
      await alice()(new URL(name, new URL(BOOK, server.url)).pathname, {
        headers: { Accept: 'text/vcard; version=4.0' },
      })
    ).text();
  const open = async (name: string): Promise<void> => {
    await page.getByLabel('Search contacts').fill('');
    await page.locator('[data-testid=contact]', { hasText: name }).first().click();
    await page.locator('.contact-detail h2', { hasText: name }).waitFor();
  };
  const editAndSave = async (change?: (d: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const d = page.getByRole('dialog', { name: 'Edit contact' });
    if (change) await change(d);
    await d.getByRole('button', { name: 'Save' }).click();
    await d.waitFor({ state: 'detached' });
  };

  before(async () => {
    server = await startTestServer({ config: { relayAllowPrivate: true } });
    session = await openBrowser();
    page = session.page;
    await logIn(page, server.url, 'alice', 'alice-pw');
    await page.getByRole('tab', { name: 'Contacts' }).click();
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  it('RFC 6350 §3.4: TITLE "Head of R&D\\; Berlin" and a multi-line NOTE from another client show unescaped, with the line breaks; Edit → Save twice leaves them byte-identical', async () => {
    const card = vcard([
      'UID:rnd-1',
      'FN:Rosalind Franklin',
      'N:Franklin;Rosalind;;;',
      'TITLE:Head of R&D\\; Berlin',
      'NOTE:First line\\nSecond line\\, with a comma\\nC:\\\\temp',
      'item1.EMAIL;TYPE=INTERNET,pref:rf@example.org',
      'item1.X-ABLabel:Lab',
      'X-CUSTOM;X-P="a:b":kept',
      'BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-25',
    ]);
    await put('rnd-1.vcf', card);
    await page.locator('[data-testid=contact]', { hasText: 'Rosalind Franklin' }).waitFor();
    await open('Rosalind Franklin');
    const detail = page.locator('.contact-detail');
    await detail.getByText('Head of R&D; Berlin', { exact: true }).waitFor();
    assert.equal(await detail.getByText('R&D\\;').count(), 0, 'no escape is shown');
    // innerText follows the rendering: collapsed line breaks would read as spaces.
    assert.equal(await page.getByTestId('contact-note').innerText(), 'First line\nSecond line, with a comma\nC:\\temp');
    await detail.getByText('25 July').waitFor();

    const before = await get('rnd-1.vcf');
    await editAndSave();
    await editAndSave(async (d) => {
      assert.equal(await d.getByLabel('Job title').inputValue(), 'Head of R&D; Berlin');
      assert.equal(await d.getByLabel('Note').inputValue(), 'First line\nSecond line, with a comma\nC:\\temp');
      await d.getByLabel('Organisation').fill("King's College; London");
    });
    await detail.getByText("Head of R&D; Berlin, King's College; London").waitFor();
    const afterSave = await get('rnd-1.vcf');
    const line = (text: string, name: string): string[] =>
      text
        .replace(/\r\n[ \t]/g, '')
        .split('\r\n')
        .filter((l) => l.toUpperCase().startsWith(name));
    for (const name of ['TITLE', 'NOTE', 'ITEM1.', 'X-CUSTOM', 'BDAY', 'UID', 'FN', 'N:'])
      assert.deepEqual(line(afterSave, name), line(before, name), `${name} unchanged`);
    assert.deepEqual(line(afterSave, 'ORG'), ["ORG:King's College\\; London"]);
    await shot(page, 'contact-escaped-title');
  });

  const mkcol = async (name: string, displayName: string): Promise<void> => {
    const res = await alice()(`/dav/addressbooks/alice/${name}/`, {
      method: 'MKCOL',
      headers: { 'Content-Type': 'application/xml' },
      body: `<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype><D:displayname>${displayName}</D:displayname></D:prop></D:set></D:mkcol>`,
    });
    assert.equal(res.status, 201, `MKCOL ${name}`);
  };
  const groupButton = (name: string) =>
    page.locator('[data-testid=group]', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
  const groupCount = async (name: string): Promise<string> =>
    (await groupButton(name).locator('.count').textContent()) ?? '';
  const listed = async (): Promise<string[]> => page.locator('[data-testid=contact] strong').allTextContents();
  const chooseBook = async (label: string): Promise<void> => {
    await until(
      async () =>
        (await page.getByLabel('Address book', { exact: true }).locator('option', { hasText: label }).count()) > 0,
      `the book ${label} is listed`,
      10_000,
    );
    await page.getByLabel('Address book', { exact: true }).selectOption({ label });
  };
  const setGroups = async (who: string, groups: string): Promise<void> => {
    await open(who);
    await editAndSave(async (d) => {
      await d.getByLabel('Groups').fill(groups);
    });
  };

  it('groups, Nextcloud style (CATEGORIES, RFC 6350 §6.7.1): listed with counts, a click filters; new group, add from the editor, rename rewrites the members', async () => {
    await put('g-1.vcf', vcard(['UID:g-1', 'FN:Ann Able', 'N:Able;Ann;;;', 'CATEGORIES:Friends,Family']));
    await put('g-2.vcf', vcard(['UID:g-2', 'FN:Ben Baker', 'N:Baker;Ben;;;', 'CATEGORIES:Friends']));
    await put('g-3.vcf', vcard(['UID:g-3', 'FN:Cat Cole', 'N:Cole;Cat;;;']));
    await chooseBook('Contacts');
    await until(
      async () => (await groupButton('Friends').count()) === 1 && (await groupCount('Friends')) === '2',
      'Friends (2) is listed',
      10_000,
    );
    assert.equal(await groupCount('Family'), '1');
    await groupButton('Friends').click();
    await until(
      async () => JSON.stringify(await listed()) === JSON.stringify(['Ann Able', 'Ben Baker']),
      'the list shows the two friends',
    );

    await page.getByRole('button', { name: '+ New group' }).click();
    await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('Climbing');
    await page.getByRole('dialog', { name: 'New group' }).getByRole('button', { name: 'OK' }).click();
    await until(async () => (await groupCount('Climbing')) === '0', 'the new group is listed, empty');
    // No card names it yet, so only the app knows it: a reload still lists it.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await chooseBook('Contacts');
    await until(
      async () => (await groupCount('Climbing')) === '0',
      'the empty group is still listed after a reload',
      10_000,
    );
    await groupButton('All contacts').click();
    await setGroups('Cat Cole', 'Climbing');
    await until(async () => (await groupCount('Climbing')) === '1', 'Cat is in Climbing');
    assert.match(await get('g-3.vcf'), /\r\nCATEGORIES:Climbing\r\n/);

    await page.getByRole('button', { name: 'Rename group Friends' }).click();
    await page.getByRole('dialog', { name: 'Rename group' }).getByLabel('Group name').fill('Good friends');
    await page.getByRole('dialog', { name: 'Rename group' }).getByRole('button', { name: 'OK' }).click();
    await until(
      async () => (await groupButton('Good friends').count()) === 1 && (await groupCount('Good friends')) === '2',
      'the group is renamed',
    );
    assert.match(await get('g-1.vcf'), /\r\nCATEGORIES:Good friends,Family\r\n/);
    assert.match(await get('g-2.vcf'), /\r\nCATEGORIES:Good friends\r\n/);
    await shot(page, 'contact-groups');
  });

  it('groups, vCard 4 style (KIND:group + MEMBER urn:uuid, RFC 6350 §6.1.4/§6.6.5): the group card is a group, not a contact; editor and new group write group cards', async () => {
    await mkcol('team', 'Team book');
    await put('../team/t-1.vcf', vcard(['UID:urn:uuid:0a1b-1', 'FN:Dee Dale', 'N:Dale;Dee;;;'], '4.0'));
    await put('../team/t-2.vcf', vcard(['UID:urn:uuid:0a1b-2', 'FN:Eve Eads', 'N:Eads;Eve;;;'], '4.0'));
    await put('../team/t-3.vcf', vcard(['UID:t-3', 'FN:Fay Ford', 'N:Ford;Fay;;;'], '4.0'));
    await put(
      '../team/grp.vcf',
      vcard(
        [
          'UID:urn:uuid:grp-1',
          'KIND:group',
          'FN:Engineers',
          'MEMBER:urn:uuid:0a1b-1',
          'MEMBER:urn:uuid:0a1b-2',
          'MEMBER:urn:uuid:gone',
        ],
        '4.0',
      ),
    );
    await chooseBook('Team book');
    await until(async () => (await groupCount('Engineers')) === '2', 'Engineers (2): members that exist', 10_000);
    assert.deepEqual(await listed(), ['Dee Dale', 'Eve Eads', 'Fay Ford'], 'the group card is not listed as a contact');
    await groupButton('Engineers').click();
    await until(
      async () => JSON.stringify(await listed()) === JSON.stringify(['Dee Dale', 'Eve Eads']),
      'the list shows the members',
    );
    await groupButton('All contacts').click();

    await setGroups('Fay Ford', 'Engineers');
    await until(async () => (await groupCount('Engineers')) === '3', 'Fay joined');
    const grp = await get4('../team/grp.vcf');
    assert.match(grp, /\r\nKIND:group\r\n/);
    assert.match(grp, /\r\nMEMBER:urn:uuid:gone\r\n/, `members the app does not know are kept:\n${grp}`);
    assert.match(grp, /\r\nMEMBER:urn:uuid:t-3\r\n/);
    assert.doesNotMatch(await get('../team/t-3.vcf'), /CATEGORIES/, 'no CATEGORIES in a book of group cards');

    await page.getByRole('button', { name: '+ New group' }).click();
    await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('Ops');
    await page.getByRole('dialog', { name: 'New group' }).getByRole('button', { name: 'OK' }).click();
    await until(async () => (await groupCount('Ops')) === '0', 'Ops is listed');
    const cards = await objects(alice(), '/dav/addressbooks/alice/team/');
    const ops = cards.find((c) => /\r\nFN:Ops\r\n/.test(c.body));
    assert.ok(ops, 'a group card for Ops');
    assert.match(await get4(ops.href), /\r\nKIND:group\r\n/);

    await page.getByRole('button', { name: 'Rename group Engineers' }).click();
    await page.getByRole('dialog', { name: 'Rename group' }).getByLabel('Group name').fill('Engineering');
    await page.getByRole('dialog', { name: 'Rename group' }).getByRole('button', { name: 'OK' }).click();
    await until(async () => (await groupCount('Engineering')) === '3', 'renamed');
    assert.match(await get4('../team/grp.vcf'), /\r\nFN:Engineering\r\n/);
  });

  it('groups, Apple style (vCard 3 X-ADDRESSBOOKSERVER-KIND:group + X-ADDRESSBOOKSERVER-MEMBER): listed, filtered, joined from the editor', async () => {
    await mkcol('apple', 'Apple book');
    await put('../apple/a-1.vcf', vcard(['UID:A1-UID', 'FN:Gus Grey', 'N:Grey;Gus;;;']));
    await put('../apple/a-2.vcf', vcard(['UID:A2-UID', 'FN:Hal Hope', 'N:Hope;Hal;;;']));
    await put(
      '../apple/ag.vcf',
      vcard([
        'UID:AG-UID',
        'N:Choir',
        'FN:Choir',
        'X-ADDRESSBOOKSERVER-KIND:group',
        'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1-UID',
      ]),
    );
    await chooseBook('Apple book');
    await until(async () => (await groupCount('Choir')) === '1', 'Choir (1)', 10_000);
    await groupButton('Choir').click();
    await until(
      async () => JSON.stringify(await listed()) === JSON.stringify(['Gus Grey']),
      'the list shows the member',
    );
    await groupButton('All contacts').click();
    await setGroups('Hal Hope', 'Choir');
    await until(async () => (await groupCount('Choir')) === '2', 'Hal joined');
    assert.match(
      await get('../apple/ag.vcf'),
      /\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1-UID\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A2-UID\r\n/,
    );
    await setGroups('Gus Grey', '');
    await until(async () => (await groupCount('Choir')) === '1', 'Gus left');
    assert.doesNotMatch(await get('../apple/ag.vcf'), /A1-UID/);

    // A deleted contact leaves its groups too: no member entry is left pointing at nothing.
    await open('Hal Hope');
    await page.locator('.contact-detail').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete contact?' }).getByRole('button', { name: 'Delete' }).click();
    await until(async () => (await groupCount('Choir')) === '0', 'Hal is gone from the group');
    assert.equal((await alice()('/dav/addressbooks/alice/apple/a-2.vcf')).status, 404);
    // The group card is rewritten after the delete: wait for it, then check what it kept.
    await until(
      async () => !/A2-UID/.test(await get('../apple/ag.vcf')),
      'the group card no longer lists the deleted contact',
    );
    assert.match(await get('../apple/ag.vcf'), /X-ADDRESSBOOKSERVER-KIND:group\r\n/);
  });

  it('groups, vCard 4 style as Radicale stores it (KIND:group + MEMBER, no conversion): joined from the editor, a new group is a KIND:group card', async () => {
    const radicale = await startRadicale('bob', 'bob-radicale-pw');
    try {
      const auth = { Authorization: basic('bob', 'bob-radicale-pw') };
      const rput = async (path: string, body: string): Promise<void> => {
        const res = await fetch(`${radicale.url}/bob/people/${path}`, {
          method: 'PUT',
          headers: { ...auth, 'Content-Type': 'text/vcard' },
          body,
        });
        assert.ok(res.status === 201 || res.status === 204, `PUT ${path}: ${res.status}`);
      };
      const made = await fetch(`${radicale.url}/bob/people/`, {
        method: 'MKCOL',
        headers: { ...auth, 'Content-Type': 'application/xml' },
        body: '<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype><D:displayname>Radicale people</D:displayname></D:prop></D:set></D:mkcol>',
      });
      assert.equal(made.status, 201);
      await rput('r-1.vcf', vcard(['UID:urn:uuid:r-1', 'FN:Ida Iles', 'N:Iles;Ida;;;'], '4.0'));
      await rput('r-2.vcf', vcard(['UID:urn:uuid:r-2', 'FN:Jon Judd', 'N:Judd;Jon;;;'], '4.0'));
      await rput('rg.vcf', vcard(['UID:urn:uuid:rg', 'KIND:group', 'FN:Rowers', 'MEMBER:urn:uuid:r-1'], '4.0'));
      await addOtherServer(page, 'Radicale', `${radicale.url}/`, 'bob', 'bob-radicale-pw');
      await chooseBook('Radicale people (Radicale)');
      await until(async () => (await groupCount('Rowers')) === '1', 'Rowers (1)', 10_000);
      await setGroups('Jon Judd', 'Rowers');
      await until(async () => (await groupCount('Rowers')) === '2', 'Jon joined');
      const rg = await (await fetch(`${radicale.url}/bob/people/rg.vcf`, { headers: auth })).text();
      assert.match(rg, /\r\nMEMBER:urn:uuid:r-1\r\nMEMBER:urn:uuid:r-2\r\n/);
      assert.match(rg, /\r\nVERSION:4\.0\r\n/);
      await setGroups('Ida Iles', 'Rowers, Coaches');
      await until(async () => (await groupCount('Coaches')) === '1', 'a new name becomes a group card with Ida in it');
      const listing = await (
        await fetch(`${radicale.url}/bob/people/`, { method: 'PROPFIND', headers: { ...auth, Depth: '1' } })
      ).text();
      const hrefs = [...listing.matchAll(/<href>([^<]+\.vcf)<\/href>/g)].map((m) => m[1]!);
      const bodies = await Promise.all(
        hrefs.map(async (h) => (await fetch(new URL(h, radicale.url), { headers: auth })).text()),
      );
      const coaches = bodies.find((b) => /\r\nFN:Coaches\r\n/.test(b));
      assert.ok(coaches, `a Coaches group card among ${hrefs.join(' ')}`);
      assert.match(coaches, /\r\nKIND:group\r\n/);
      assert.match(coaches, /\r\nMEMBER:urn:uuid:r-1\r\n/);
      assert.doesNotMatch(bodies.find((b) => b.includes('FN:Ida Iles')) ?? '', /CATEGORIES/);
    } finally {
      await radicale.close();
    }
  });

  it('the list is a keyboard-operable listbox: arrows move the selection and open the contact (WAI-ARIA listbox)', async () => {
    await chooseBook('Contacts');
    await groupButton('All contacts').click();
    await page.getByLabel('Search contacts').fill('');
    const list = page.getByRole('listbox', { name: 'Contacts' });
    await open('Ann Able');
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('.contact-detail h2', { hasText: 'Ben Baker' }).waitFor();
    assert.equal(
      await list
        .getByRole('option', { selected: true })
        .textContent()
        .then((t) => t?.includes('Ben Baker')),
      true,
    );
    const active = await list.getAttribute('aria-activedescendant');
    assert.ok(
      active && (await page.locator(`#${active}`).textContent())?.includes('Ben Baker'),
      'aria-activedescendant names the selected row',
    );
    await page.keyboard.press('End');
    await page.locator('.contact-detail h2', { hasText: 'Rosalind Franklin' }).waitFor();
    assert.equal(await list.getByRole('option').first().getAttribute('aria-setsize'), '4');
  });

  it('keyboard shortcuts on the Contacts tab: n opens New contact, / goes to the contact search, ? lists them; not while typing', async () => {
    await page.locator('.contacts-view .view-header h2').click();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.contacts-view .view-header h2').click();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate('document.activeElement?.getAttribute("aria-label")'), 'Search contacts');
    await page.keyboard.type('n');
    assert.equal(
      await page.getByRole('dialog', { name: 'New contact' }).count(),
      0,
      '"n" typed into the search is text',
    );
    assert.equal(await page.getByLabel('Search contacts').inputValue(), 'n');
    await page.getByLabel('Search contacts').fill('');
    await page.locator('.contacts-view .view-header h2').click();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('New contact').waitFor();
    await help.getByRole('button', { name: 'Close' }).click();
  });

  it('the search box keeps its width beside a long address-book name, on a desktop and at phone size (390×844)', async () => {
    // Before, a 32-character name left the search box 29 px wide (47 px on a phone); an
    // 80-character one pushed the pane to 696 px in a 390 px window.
    const medium = 'Research and Development, Berlin';
    const long = 'Research and development department, Berlin office (shared with the Munich team)';
    await mkcol('medium', medium);
    await mkcol('long', long);
    const width = async (p: Page): Promise<{ search: number; pane: number; view: number }> => ({
      search: (await p.getByLabel('Search contacts').boundingBox())!.width,
      pane: (await p.locator('.contact-pane').boundingBox())!.width,
      view: (await p.locator('.contacts-view').boundingBox())!.width,
    });
    for (const name of [medium, long]) {
      await chooseBook(name);
      const w = await width(page);
      assert.ok(w.search > w.pane * 0.85, `${name}: search ${w.search} px of a ${w.pane} px pane`);
    }

    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      await logIn(phone.page, server.url, 'alice', 'alice-pw');
      await phone.page.getByRole('tab', { name: 'Contacts' }).click();
      for (const name of [medium, long]) {
        await phone.page.getByLabel('Address book', { exact: true }).selectOption({ label: name });
        const w = await width(phone.page);
        assert.ok(w.search > 300, `${name}: search ${w.search} px wide at 390 px`);
        assert.ok(w.view <= 390, `${name}: no sideways scrolling (${w.view} px)`);
      }
      await phone.page.getByLabel('Address book', { exact: true }).selectOption({ label: 'Contacts' });
      await phone.page.locator('[data-testid=contact]', { hasText: 'Rosalind Franklin' }).click();
      const title = phone.page.locator('.contact-detail h2', { hasText: 'Rosalind Franklin' });
      await title.scrollIntoViewIfNeeded();
      assert.ok(await title.isVisible());
      assert.ok(
        await phone.page.locator('[data-testid=group]', { hasText: 'Family' }).isVisible(),
        'groups are reachable on a phone',
      );
      await phone.page.evaluate('window.scrollTo(0, 0)');
      await shot(phone.page, 'contacts-phone');
    } finally {
      await phone.close();
    }
  });
});
