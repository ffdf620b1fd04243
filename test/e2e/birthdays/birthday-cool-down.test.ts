/**
 * The birthday updater folds a burst of address-book changes into few runs (issue #20: a client
 * uploading a whole address book cost one regeneration per card, a dozen round trips each on
 * PostgreSQL), while a lone edit is still applied at once and the last change of a burst is
 * never left out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIRTHDAY_CALENDAR, regenerateBirthdays } from '../../../src/domain/birthdays/birthday-calendar.js';
import { BirthdayUpdater } from '../../../src/domain/birthdays/birthday-updater.js';
import { contentEtag } from '../../../src/domain/etag.js';
import { createUser } from '../../../src/domain/users.js';
import { openSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Store } from '../../../src/store/store.js';
import type { User } from '../../../src/store/types.js';

const COOL_DOWN_MS = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const card = (i: number): Uint8Array =>
  new TextEncoder().encode(
    [
      'BEGIN:VCARD',
      'VERSION:4.0',
      `UID:c${i}`,
      `FN:Person ${i}`,
      `BDAY:1980${String((i % 12) + 1).padStart(2, '0')}15`,
      'END:VCARD',
      '',
    ].join('\r\n'),
  );

describe('birthday updater: notices during a run or its cool-down fold into one more run', () => {
  let dir: string;
  let store: Store;
  let alice: User;
  let runs = 0;
  const counting = async (s: Store, user: string): Promise<unknown> => {
    runs++;
    return regenerateBirthdays(s, user);
  };
  const putCard = (i: number) =>
    store.transaction(['/addressbooks/alice'], (tx) =>
      tx.putObject(`/addressbooks/alice/default/c${i}.vcf`, {
        ownerId: alice.id,
        body: card(i),
        contentType: 'text/vcard',
        etag: contentEtag(card(i)),
        index: { uid: `c${i}` },
      }),
    );
  const events = async (): Promise<number> => {
    const cal = await store.getResource(`/calendars/alice/${BIRTHDAY_CALENDAR}`);
    return cal ? (await store.listChildren(cal.id)).length : 0;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-birthday-cool-down-'));
    store = openSqliteStore(join(dir, 'a.sqlite'), { synchronous: 'NORMAL' });
    alice = await store.transaction(['/files/alice'], (tx) => createUser(tx, { name: 'alice', password: 'pw' }));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a lone change is applied at once: its notice resolves after one run, before any cool-down', async () => {
    const updater = new BirthdayUpdater(store, 10_000, counting);
    runs = 0;
    await putCard(0);
    const started = Date.now();
    await updater.addressBookChanged('alice');
    assert.ok(Date.now() - started < 5_000, 'not held back by the cool-down');
    assert.equal(runs, 1);
    assert.equal(await events(), 1);
    await updater.stop();
  });

  it('a burst of 40 changes 5 ms apart costs a handful of runs, and the last run sees the last card', async () => {
    const updater = new BirthdayUpdater(store, COOL_DOWN_MS, counting);
    runs = 0;
    const waits: Promise<void>[] = [];
    for (let i = 1; i <= 40; i++) {
      await putCard(i);
      waits.push(updater.addressBookChanged('alice'));
      await sleep(5);
    }
    await Promise.all(waits);
    assert.equal(await events(), 41, 'every card of the burst has its event once the last notice resolved');
    assert.ok(runs <= 6, `${runs} runs for 40 notices`);
    await updater.idle();
    assert.ok(runs <= 6, `${runs} runs for 40 notices, the trailing cool-down included`);
    await updater.stop();
  });

  it('stop ends a cool-down at once, and a notice waiting for the next run is released', async () => {
    const updater = new BirthdayUpdater(store, 60_000, counting);
    runs = 0;
    await updater.addressBookChanged('alice');
    const waiting = updater.addressBookChanged('alice');
    const started = Date.now();
    await updater.stop();
    await waiting;
    assert.ok(Date.now() - started < 5_000, `stop took ${Date.now() - started} ms`);
    assert.equal(runs, 1, 'nothing runs after stop');
    assert.equal(await updater.addressBookChanged('alice').then(() => runs), 1);
  });
});
