/**
 * `almanac import` behaves as the web app's import: cards without UID get one (and the summary
 * says so), a file meant for the other kind of collection is refused with the reason, and an
 * exported calendar names itself with X-WR-CALNAME.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { almanac } from '../helpers/cli-server.js';

describe('almanac import: cards without UID, the wrong kind of collection; export names the calendar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => almanac([...args, '--data', dir], 'pw\n');
  const vcf = join(dir, 'people.vcf');
  const ics = join(dir, 'diary.ics');
  writeFileSync(
    vcf,
    [
      ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Grace Hopper', 'N:Hopper;Grace;;;', 'END:VCARD'],
      ['BEGIN:VCARD', 'VERSION:4.0', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'END:VCARD'],
      ['BEGIN:VCARD', 'VERSION:3.0', 'UID:has-uid-1', 'FN:Alan Turing', 'N:Turing;Alan;;;', 'END:VCARD'],
    ]
      .map((c) => c.join('\r\n'))
      .join('\r\n') + '\r\n',
  );
  writeFileSync(
    ics,
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test//EN',
      'BEGIN:VEVENT',
      'UID:cli-diary@example.com',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260105T100000Z',
      'SUMMARY:Diary entry',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

  it('RFC 2426 §3.6.7 / RFC 6350 §6.7.6: cards without UID are imported with a generated one, and the summary says so', async () => {
    assert.equal(run('user', 'add', 'alice', '--password-stdin').code, 0);
    const r = run('import', 'alice', 'default', vcf);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Imported 3 of 3 cards into alice\/default/);
    assert.match(r.stdout, /^2 contacts had no UID; one was generated for each\.$/m);
    assert.doesNotMatch(r.stdout, /Skipped/);
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const book = await store.getResource('/addressbooks/alice/default');
      assert.ok(book);
      const uids = (await store.listChildren(book.id)).map((c) => c.uid ?? '').sort();
      assert.equal(uids.length, 3);
      assert.ok(uids.includes('has-uid-1'));
      assert.ok(
        uids.some((u) => /^urn:uuid:[0-9a-f-]{36}$/.test(u)),
        `the vCard 4.0 card got a urn:uuid: UID (${uids.join(', ')})`,
      );
      assert.ok(
        uids.some((u) => /^[0-9a-f-]{36}$/.test(u)),
        'the vCard 3.0 card got a text UID',
      );
    } finally {
      await store.close();
    }
  });

  it('a .vcf into a calendar, an .ics into an address book: refused with what the file holds and what to choose', async () => {
    const store = openSqliteStore(join(dir, 'almanac.sqlite'));
    try {
      const alice = await store.getUserByName('alice');
      assert.ok(alice);
      await store.transaction(['/calendars/alice', '/addressbooks/alice'], async (t) => {
        await t.createCollection('/calendars/alice/work', { ownerId: alice.id, collectionType: 'calendar' });
        await t.createCollection('/addressbooks/alice/people', { ownerId: alice.id, collectionType: 'addressbook' });
      });
    } finally {
      await store.close();
    }
    const r1 = run('import', 'alice', 'work', vcf);
    assert.equal(r1.code, 1);
    assert.equal(
      r1.stderr,
      "almanac: 'work' is a calendar of 'alice', but this file holds contacts (vCard); choose an address book\n",
    );
    const r2 = run('import', 'alice', 'people', ics);
    assert.equal(r2.code, 1);
    assert.equal(
      r2.stderr,
      "almanac: 'people' is an address book of 'alice', but this file holds events and tasks (iCalendar); choose a calendar\n",
    );
    const r3 = run('export', 'alice', 'people');
    assert.equal(r3.stderr, "almanac: 'people' is an address book of 'alice'; export it with --addressbook\n");
    // A name that is neither stays the plain error.
    assert.match(run('import', 'alice', 'nope', ics).stderr, /^almanac: 'alice' has no calendar 'nope'\n$/);
  });

  it("an exported calendar carries X-WR-CALNAME, the calendar's display name", () => {
    assert.equal(run('import', 'alice', 'default', ics).code, 0);
    const r = run('export', 'alice', 'default');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^BEGIN:VCALENDAR\r\n(?:[^\r\n]*\r\n)*?X-WR-CALNAME:Calendar\r\n/);
    assert.match(r.stdout, /SUMMARY:Diary entry/);
  });
});
