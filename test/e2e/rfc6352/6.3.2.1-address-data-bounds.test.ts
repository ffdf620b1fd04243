// almanac-test: alone (asserts a time bound; test/run.js runs it with nothing beside it)
/**
 * RFC 6352 §6.3.2.1 (CARDDAV:valid-address-data): a vCard or jCard beyond the bounds of the
 * content-line parser (formats/vcard/parse.ts) is refused quickly with the reason, through the
 * whole PUT path. A vCard with 40,000 parameters on one property used to hold the server for
 * 7 s; a jCard with as many was not bounded at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { BOOK, putCard, type Dav } from './carddav-helpers.js';

const QUICK_MS = 1_000;

const vcard = (lines: string[]): string =>
  ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Many', 'N:Many;;;;', 'UID:many', ...lines, 'END:VCARD', ''].join('\r\n');

describe('RFC 6352 §6.3.2.1 valid-address-data: bounded cards', () => {
  let server: TestServer;
  let dav: Dav;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  async function refusedQuickly(name: string, body: string, reason: RegExp, contentType = 'text/vcard'): Promise<void> {
    const t0 = performance.now();
    const res = await putCard(dav, `${BOOK}${name}.vcf`, body, { 'Content-Type': contentType });
    const ms = performance.now() - t0;
    const text = await res.text();
    assert.equal(res.status, 403, text);
    assert.match(text, /valid-address-data/, text);
    assert.match(text, reason, text);
    assert.ok(ms < QUICK_MS, `${name}: ${ms.toFixed(0)} ms`);
  }

  it('40,000 parameters on one property are refused in well under a second', async () => {
    await refusedQuickly('params', vcard([`TEL${';TYPE=x'.repeat(40_000)}:123`]), /more than 64 parameters/);
    await refusedQuickly('bare-params', vcard([`TEL${';X'.repeat(40_000)}:123`]), /more than 64 parameters/);
  });

  it('a parameter with 40,000 values is refused', async () => {
    await refusedQuickly(
      'values',
      vcard([`TEL;TYPE=${Array(40_000).fill('x').join(',')}:123`]),
      /more than 256 parameter values/,
    );
  });

  it('more properties than the per-card limit are refused', async () => {
    await refusedQuickly(
      'props',
      vcard(Array.from({ length: 50_001 }, (_, i) => `NOTE:${i}`)),
      /more than 50000 properties/,
    );
  });

  it('a jCard with 40,000 parameters on one property is refused', async () => {
    const params = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`x-p${i}`, 'v']));
    const jcard = JSON.stringify([
      'vcard',
      [
        ['version', {}, 'text', '4.0'],
        ['fn', {}, 'text', 'Many'],
        ['uid', {}, 'text', 'jmany'],
        ['tel', params, 'text', '1'],
      ],
    ]);
    await refusedQuickly('jparams', jcard, /more than 64 parameters/, 'application/vcard+json');
  });

  it('a card within the bounds is stored', async () => {
    const res = await putCard(
      dav,
      `${BOOK}fine.vcf`,
      vcard([`TEL${';TYPE=x'.repeat(20)}:123`]).replace('UID:many', 'UID:fine'),
      { 'Content-Type': 'text/vcard' },
    );
    assert.equal(res.status, 201, await res.text());
  });
});
