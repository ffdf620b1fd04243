/**
 * Contacts in the web app, in Chromium: cards PUT by other CardDAV clients are shown and
 * edited without damage (one vCard escaping rule, src/formats/vcard), groups in both vCard
 * styles, and a large address book.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { logIn, openBrowser, type Session } from './browser.js';
import { shot, until } from './page-helpers.js';

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
    server = await startTestServer();
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
    const card = vcard(['UID:rnd-1', 'FN:Rosalind Franklin', 'N:Franklin;Rosalind;;;', 'TITLE:Head of R&D\\; Berlin',
      'NOTE:First line\\nSecond line\\, with a comma\\nC:\\\\temp', 'item1.EMAIL;TYPE=INTERNET,pref:rf@example.org', 'item1.X-ABLabel:Lab',
      'X-CUSTOM;X-P="a:b":kept', 'BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-25']);
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
      await d.getByLabel('Organisation').fill('King\'s College; London');
    });
    await detail.getByText('Head of R&D; Berlin, King\'s College; London').waitFor();
    const afterSave = await get('rnd-1.vcf');
    const line = (text: string, name: string): string[] => text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l.toUpperCase().startsWith(name));
    for (const name of ['TITLE', 'NOTE', 'ITEM1.', 'X-CUSTOM', 'BDAY', 'UID', 'FN', 'N:']) assert.deepEqual(line(afterSave, name), line(before, name), `${name} unchanged`);
    assert.deepEqual(line(afterSave, 'ORG'), ['ORG:King\'s College\\; London']);
    await shot(page, 'contact-escaped-title');
  });
});
