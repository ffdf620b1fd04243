/**
 * A write that queues no WebDAV-Push work costs no claim transaction (issue #20, PUT cost):
 * the notice of a transaction says whether it queued jobs or messages (`ChangeNotice.pushQueued`),
 * and the delivery claims only on those. Real SQLite store, real bus, real delivery.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import { LocalBus, type ChangeNotice } from './bus.js';
import { DEFAULT_DELIVERY, PushDelivery } from './delivery.js';
import { notifyingStore } from './notifying-store.js';
import { loadVapidKeys } from './vapid-keys.js';

const CAL = '/calendars/alice/default';
const body = (uid: string): Uint8Array =>
  new TextEncoder().encode(
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
  );

let dir: string;
let base: Store;
let ownerId: number;
let collectionId: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-push-claims-'));
  base = openSqliteStore(join(dir, 'almanac.sqlite'));
  [ownerId, collectionId] = await base.transaction([], async (tx) => {
    const u = await tx.createUser({ name: 'alice', passwordHash: 'x' });
    await tx.createCollection('/calendars/alice', { ownerId: u.id, home: true });
    const c = await tx.createCollection(CAL, { ownerId: u.id, collectionType: 'calendar' });
    return [u.id, c.id];
  });
});
after(async () => {
  await base.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The notices of one transaction that puts `name` into the calendar. */
async function noticesOfPut(store: Store, bus: LocalBus, name: string): Promise<ChangeNotice[]> {
  const heard: ChangeNotice[] = [];
  const off = bus.subscribe((n) => heard.push(n));
  await store.transaction([], (tx) =>
    tx.putObject(`${CAL}/${name}.ics`, { ownerId, body: body(name), contentType: 'text/calendar', etag: `"${name}"` }),
  );
  off();
  return heard;
}

describe('push claims only where work was queued (draft-bitfire-webdav-push § Push Notification)', () => {
  it('a write nobody is registered for announces its collection without pushQueued; with a registration, with it', async () => {
    const bus = new LocalBus();
    const store = notifyingStore(base, bus);
    const quiet = await noticesOfPut(store, bus, 'a');
    assert.deepEqual(
      quiet.map((n) => [n.collection, n.pushQueued]),
      [[CAL, undefined]],
    );
    await base.transaction([], (tx) =>
      tx.putPushRegistration({
        id: 'reg-1',
        userId: ownerId,
        collectionId,
        pushResource: 'https://push.example/1',
        publicKey: 'k',
        authSecret: 's',
        contentEncoding: 'aes128gcm',
        contentDepth: '1',
        propertyDepth: null,
        createdAt: Date.now(),
        expiresAt: Date.now() + 3_600_000,
      }),
    );
    const loud = await noticesOfPut(store, bus, 'b');
    assert.deepEqual(
      loud.map((n) => [n.collection, n.pushQueued]),
      [[CAL, true]],
    );
  });

  it('the delivery runs a claim transaction for a notice that queued work and none for one that did not', async () => {
    let transactions = 0;
    const counting = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return (...args: Parameters<Store['transaction']>) => {
            transactions++;
            return target.transaction(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const bus = new LocalBus();
    const keys = await loadVapidKeys(base);
    const sent: unknown[] = [];
    const delivery = new PushDelivery(
      counting,
      keys,
      async (r) => {
        sent.push(r);
        return { status: 201 };
      },
      { ...DEFAULT_DELIVERY, subject: 'mailto:admin@example.org', pollMs: 3_600_000 },
    );
    delivery.start(bus);
    try {
      await delivery.kick(); // the start's own look, and whatever the case above queued
      const settled = transactions;
      bus.publish([{ collection: CAL, owner: 'alice' }]);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(transactions, settled, 'a notice of a transaction that queued nothing claimed');
      bus.publish([{ collection: CAL, owner: 'alice', pushQueued: true }]);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(transactions > settled, 'a notice of a transaction that queued work did not claim');
    } finally {
      await delivery.close();
    }
  });
});
