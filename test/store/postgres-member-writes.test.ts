/**
 * Object writes of one user's area run side by side on PostgreSQL (issue #20): each holds the
 * area shared and its member path alone (domain/objects/lock-keys.ts memberLocks), so an
 * address-book upload is no longer one write at a time across every node. What two members'
 * writes share stays exact: a card's UID is unique in its book (RFC 6352 §6.3.2.1, the write
 * locks it: store/capabilities/member-lock.ts), the owner's quota is never exceeded (RFC 4331,
 * checked again once charged), and an area-wide change still waits for every member write.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { areaKeys, memberLocks } from '../../src/domain/objects/lock-keys.js';
import { ObjectRefused } from '../../src/domain/objects/object-refused.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/store.js';
import { createThrowawayDatabase, postgresSkipReason } from '../helpers/postgres.js';
import { writeAsDav } from '../helpers/write-as-dav.js';

const skip = await postgresSkipReason();
const BOOK = '/addressbooks/alice/default';
const HOLD_MS = 300;

const card = (uid: string, fn: string, pad = 0): Uint8Array =>
  new TextEncoder().encode(
    [
      'BEGIN:VCARD',
      'VERSION:3.0',
      `UID:${uid}`,
      `FN:${fn}`,
      `N:${fn};;;;`,
      `NOTE:${'x'.repeat(pad)}`,
      'END:VCARD',
      '',
    ].join('\r\n'),
  );

/** Whether `p` settled within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true), delay(ms).then(() => false)]);
}

let store: Store;
let other: Store; // a second node on the same database
let drop: (() => Promise<void>) | undefined;
let alice: { id: number; name: string };

before(async () => {
  if (skip) return;
  const db = await createThrowawayDatabase();
  drop = db.drop;
  store = await openPostgresStore(db.url);
  other = await openPostgresStore(db.url);
  alice = await store.transaction(['/addressbooks/alice'], async (tx) => {
    const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
    await tx.createCollection('/addressbooks/alice', { ownerId: u.id, home: true });
    await tx.createCollection(BOOK, { ownerId: u.id, collectionType: 'addressbook' });
    return { id: u.id, name: u.name };
  });
});
after(async () => {
  await store?.close();
  await other?.close();
  await drop?.();
});

describe('PostgreSQL: object writes of one area run side by side (issue #20)', { skip }, () => {
  it('a member write held open lets another member of the area be written, and holds back its own member and the area', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    let opened = (): void => undefined;
    const isOpen = new Promise<void>((r) => (opened = r));
    const first = store.transaction(memberLocks(`${BOOK}/a.vcf`), async (tx) => {
      await tx.getValue('probe', 'x', 0); // the locks are taken with the first statement
      opened();
      await held;
    });
    await isOpen;
    const sibling = other.transaction(memberLocks(`${BOOK}/b.vcf`), (tx) => tx.getValue('probe', 'y', 0));
    const same = other.transaction(memberLocks(`${BOOK}/a.vcf`), (tx) => tx.getValue('probe', 'z', 0));
    const area = other.transaction(areaKeys(BOOK), (tx) => tx.getValue('probe', 'w', 0));
    try {
      assert.equal(await settlesWithin(sibling, 5_000), true, 'another member of the area is written meanwhile');
      assert.equal(await settlesWithin(same, HOLD_MS), false, 'the same member waits');
      assert.equal(await settlesWithin(area, HOLD_MS), false, 'an area-wide change waits');
    } finally {
      release();
      await Promise.all([first, sibling, same, area]);
    }
  });
});

describe('PostgreSQL: what member writes of one area share stays exact', { skip }, () => {
  it('RFC 6352 §6.3.2.1: of two cards with one UID written at once to two paths, one is stored and the other refused', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const uid = `twin-${i >> 1}`;
        return writeAsDav(
          i % 2 ? store : other,
          alice,
          `${BOOK}/twin-${i}.vcf`,
          card(uid, `Twin ${i}`),
          'text/vcard',
        ).then(
          () => 'stored',
          (err: unknown) => {
            if (err instanceof ObjectRefused && err.refusal.code === 'card-data') return err.refusal.error.reason;
            throw err;
          },
        );
      }),
    );
    for (let pair = 0; pair < 6; pair++)
      assert.deepEqual(
        [outcomes[2 * pair], outcomes[2 * pair + 1]].sort(),
        ['no-uid-conflict', 'stored'],
        `pair ${pair}: ${outcomes.join(', ')}`,
      );
  });

  it('RFC 4331: cards written at once never take the owner past the quota', async () => {
    const limit = 20_000;
    await store.transaction(['/addressbooks/alice'], async (tx) => {
      await tx.updateUser(alice.id, { quotaBytes: limit });
    });
    const before = (await store.getUserById(alice.id))?.quotaUsed ?? 0;
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        writeAsDav(
          i % 2 ? store : other,
          alice,
          `${BOOK}/q-${i}.vcf`,
          card(`q-${i}`, `Q ${i}`, 2_000),
          'text/vcard',
        ).then(
          (r) => r.resource.size,
          (err: unknown) => {
            if (err instanceof ObjectRefused && err.refusal.code === 'quota-exceeded') return 0;
            throw err;
          },
        ),
      ),
    );
    const used = (await store.getUserById(alice.id))?.quotaUsed ?? 0;
    const stored = outcomes.reduce((a, b) => a + b, 0);
    assert.equal(used, before + stored, 'the usage counts exactly what was stored');
    assert.ok(used <= limit, `${used} bytes used of ${limit}`);
    assert.ok(outcomes.some((s) => s === 0) && outcomes.some((s) => s > 0), outcomes.join(', '));
  });
});
