/** `almanac import USER ADDRESSBOOK FILE.vcf` and `almanac export USER ADDRESSBOOK --addressbook`. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import { almanac } from '../../helpers/cli-server.js';

const card = (uid: string, fn: string): string =>
  `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid}\r\nFN:${fn}\r\nN:${fn};;;;\r\nEMAIL:${uid}@example.com\r\nEND:VCARD\r\n`;

describe('almanac import / export of address books (RFC 6352 data rules)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-vcf-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => almanac([...args, '--data', dir], 'pw\n');

  it('imports a multi-card .vcf with a progress bar, skipping invalid and duplicate cards with reasons', async () => {
    assert.equal(run('user', 'add', 'alice', '--password-stdin').code, 0);
    const good = Array.from({ length: 250 }, (_, i) => card(`c${i}`, `Person ${i}`)).join('');
    const noFn = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:nofn\r\nEND:VCARD\r\n';
    const file = join(dir, 'in.vcf');
    writeFileSync(file, good + noFn + card('c7', 'Duplicate of seven'));
    const r = run('import', 'alice', 'default', file);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /\[#{20}\] 100% 252\/252/);
    assert.match(r.stdout, /Imported 250 of 252 cards into alice\/default/);
    assert.match(r.stdout, /Skipped 2:/);
    assert.match(r.stdout, /valid-address-data.*UID nofn/);
    assert.match(r.stdout, /UID already in the address book: UID c7/);

    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const book = await store.getResource('/addressbooks/alice/default');
      assert.ok(book);
      const found = await store.searchObjects(book.id, 'FN', { kind: 'contains', folded: 'person 12' }, 100);
      assert.deepEqual(
        found.map((f) => f.uid).sort(),
        ['c12', 'c120', 'c121', 'c122', 'c123', 'c124', 'c125', 'c126', 'c127', 'c128', 'c129'].sort(),
      );
    } finally {
      await store.close();
    }
  });

  it('exports the address book as one .vcf holding every card as stored', () => {
    const r = run('export', 'alice', 'default', '--addressbook');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/BEGIN:VCARD/g) ?? []).length, 250);
    assert.ok(r.stdout.includes(card('c42', 'Person 42').trimEnd()));
  });

  it('an unknown address book is a one-line error', () => {
    const file = join(dir, 'one.vcf');
    writeFileSync(file, card('x', 'X'));
    const r = run('import', 'alice', 'nope', file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^almanac: 'alice' has no address book 'nope'\n$/);
  });
});
