/**
 * The birthday calendar follows an address book incrementally (issue #13; a 50,000-contact book
 * must not be read again for every edit): after the first run only the cards the book's change
 * feed (RFC 6578 sync sequence) names are read; a new book is read whole; a deleted book's
 * events go.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { regenerateBirthdays, BIRTHDAY_CALENDAR } from '../../../src/domain/birthdays/birthday-calendar.js';
import { contentEtag } from '../../../src/domain/etag.js';
import { createUser } from '../../../src/domain/users.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import type { User } from '../../../src/store/types.js';

const BOOK = '/addressbooks/alice/default';
const CARDS = 400;

const card = (uid: string, fn: string, bday: string | null, extra = ''): Uint8Array =>
  new TextEncoder().encode(
    [
      'BEGIN:VCARD',
      'VERSION:4.0',
      `UID:${uid}`,
      `FN:${fn}`,
      ...(bday ? [`BDAY:${bday}`] : []),
      ...(extra ? [extra] : []),
      'END:VCARD',
      '',
    ].join('\r\n'),
  );

describe('birthday calendar: a book without any dates is not read again for every edit', () => {
  it('the first run reads every card and makes no calendar; an edit then reads that card only; a first date makes the calendar with one event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-birthdays-'));
    const store = openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' });
    try {
      const bob = await store.transaction(['/files/bob'], (tx) => createUser(tx, { name: 'bob', password: 'pw' }));
      const put = (name: string, body: Uint8Array) =>
        store.transaction(['/addressbooks/bob'], (tx) =>
          tx.putObject(`/addressbooks/bob/default/${name}`, {
            ownerId: bob.id,
            body,
            contentType: 'text/vcard',
            etag: contentEtag(body),
            index: { uid: name },
          }),
        );
      for (let i = 0; i < 200; i++) await put(`n${i}.vcf`, card(`n${i}`, `No date ${i}`, null));
      assert.deepEqual(await regenerateBirthdays(store, 'bob'), {
        written: 0,
        deleted: 0,
        unchanged: 0,
        membersRead: 0,
        cardsRead: 200,
      });
      await put('n5.vcf', card('n5', 'No date 5, renamed', null));
      assert.deepEqual(
        await regenerateBirthdays(store, 'bob'),
        { written: 0, deleted: 0, unchanged: 0, membersRead: 0, cardsRead: 1 },
        'one card read, not 200',
      );
      await put('n7.vcf', card('n7', 'Now with a birthday', '19750101'));
      assert.deepEqual(await regenerateBirthdays(store, 'bob'), {
        written: 1,
        deleted: 0,
        unchanged: 0,
        membersRead: 0,
        cardsRead: 1,
      });
      assert.ok(await store.getResource(`/calendars/bob/${BIRTHDAY_CALENDAR}`));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("birthday calendar: incremental regeneration from the address books' change feeds", () => {
  let dir: string;
  let store: Store;
  let alice: User;

  const put = (path: string, body: Uint8Array) =>
    store.transaction(['/addressbooks/alice'], (tx) =>
      tx.putObject(path, {
        ownerId: alice.id,
        body,
        contentType: 'text/vcard',
        etag: contentEtag(body),
        index: { uid: path },
      }),
    );
  const events = async () => {
    const cal = await store.getResource(`/calendars/alice/${BIRTHDAY_CALENDAR}`);
    return cal ? (await store.listChildren(cal.id)).length : 0;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-birthdays-'));
    store = openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' });
    alice = await store.transaction(['/files/alice'], (tx) => createUser(tx, { name: 'alice', password: 'pw' }));
    await store.transaction(['/addressbooks/alice'], async (tx) => {
      for (let i = 0; i < CARDS; i++) {
        const body = card(
          `c${i}`,
          `Person ${i}`,
          i % 2 === 0 ? `1980${String((i % 12) + 1).padStart(2, '0')}15` : null,
        );
        await tx.putObject(`${BOOK}/c${i}.vcf`, {
          ownerId: alice.id,
          body,
          contentType: 'text/vcard',
          etag: contentEtag(body),
          index: { uid: `c${i}` },
        });
      }
    });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first run reads every card; a second with nothing changed reads nothing', async () => {
    const first = await regenerateBirthdays(store, 'alice');
    assert.equal(first?.cardsRead, CARDS);
    assert.equal(first?.written, CARDS / 2);
    assert.equal(await events(), CARDS / 2);
    assert.equal(await regenerateBirthdays(store, 'alice'), null);
  });

  it('an edit reads that card only, and looks up only its events (not all CARDS / 2 of the calendar); a date change rewrites one event, another change none', async () => {
    await put(`${BOOK}/c0.vcf`, card('c0', 'Person 0', '19810101'));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 1,
      deleted: 0,
      unchanged: 0,
      membersRead: 1,
      cardsRead: 1,
    });
    await put(`${BOOK}/c2.vcf`, card('c2', 'Person 2', '19800315', 'EMAIL:p2@example.org'));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 0,
      deleted: 0,
      unchanged: 1,
      membersRead: 1,
      cardsRead: 1,
    });
    await put(`${BOOK}/c1.vcf`, card('c1', 'Person 1', '19900202'));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 1,
      deleted: 0,
      unchanged: 0,
      membersRead: 0,
      cardsRead: 1,
    }); // c1 had no date: no event to look at
  });

  it('a removed BDAY and a deleted card delete their events without reading anything else', async () => {
    await put(`${BOOK}/c4.vcf`, card('c4', 'Person 4', null));
    await store.transaction(['/addressbooks/alice'], (tx) => tx.deleteResource(`${BOOK}/c6.vcf`));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 0,
      deleted: 2,
      unchanged: 0,
      membersRead: 2,
      cardsRead: 1,
    });
    assert.equal(await events(), CARDS / 2 + 1 - 2);
  });

  it('a new address book is read whole; deleting it removes its events', async () => {
    const before = await events();
    await store.transaction(['/addressbooks/alice'], (tx) =>
      tx.createCollection('/addressbooks/alice/work', { ownerId: alice.id, collectionType: 'addressbook' }),
    );
    await put('/addressbooks/alice/work/w1.vcf', card('w1', 'Colleague', '--0704', 'ANNIVERSARY:20150704'));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 2,
      deleted: 0,
      unchanged: 0,
      membersRead: before,
      cardsRead: 1,
    });
    assert.equal(await events(), before + 2);
    await store.transaction(['/addressbooks/alice'], (tx) => tx.deleteResource('/addressbooks/alice/work'));
    assert.deepEqual(await regenerateBirthdays(store, 'alice'), {
      written: 0,
      deleted: 2,
      unchanged: 0,
      membersRead: before + 2,
      cardsRead: 0,
    });
    assert.equal(await events(), before);
  });
});
