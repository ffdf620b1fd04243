/**
 * The SyncML engine's view of collections (port `SyncItemStore` of src/syncml/ports.ts), over
 * the Store. Writes go through the same validation and index as a CalDAV/CardDAV PUT:
 * `prepareCalendarObject` (domain/calendar) for iCalendar, `prepareCard` (domain/contacts)
 * for vCards, UID uniqueness per collection, ownership (a user
 * writes only collections they own), and the store's change feed with `origin`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { IcalError } from '../../formats/ical/errors.js';
import { STATUS, type StatusCode } from '../../formats/syncml/model.js';
import { StoreError, type Store } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';
import {
  SyncItemError, type CollectionInfo, type ItemChange, type StoredItem, type SyncItemStore, type SyncUser,
} from './ports.js';
import { prepareCalendarObject, UidConflict } from '../calendar/object.js';
import { calendarSettings, limitsWithin, MAX_RESOURCE_SIZE } from '../calendar/settings.js';
import { CardRejected, prepareCard } from '../contacts/object.js';
import type { StoreReader } from '../../store/store.js';

const MAX_CARD_SIZE = 10 * 1024 * 1024;

/**
 * SyncML status for a write a WebDAV lock covers (the device holds no lock token): 417 Retry
 * later, as a WebDAV lock is temporary (423 would mean soft-delete conflict).
 */
export const LOCKED_STATUS = STATUS.RETRY_LATER;

/** SyncML status for a calendar refusal (RFC 4791 §5.3.2.1 precondition → RepPro §10 status). */
function calendarStatus(err: IcalError): StatusCode {
  if (err.code === 'max-resource-size') return STATUS.SIZE_TOO_BIG;
  if (err.code === 'supported-calendar-component' || err.code === 'valid-calendar-data' || err.code === 'supported-calendar-data'
    || err.code === 'valid-calendar-object-resource') return STATUS.UNSUPPORTED_TYPE;
  // min/max-date-time, max-instances: a limit of this calendar, not a format problem.
  return STATUS.FORBIDDEN;
}

/**
 * A WebDAV lock (RFC 4918 §7) on the member, a depth-infinity one above it, or — for a member
 * added or removed — a lock on the collection itself protects it; SyncML cannot submit a token.
 */
async function refuseLocked(tx: StoreReader, collection: string, member: string, binds: boolean): Promise<void> {
  const now = Date.now();
  const locks = [...(await tx.locksCovering(member, now)), ...(binds ? await tx.locksCovering(collection, now) : [])];
  if (locks.length > 0) throw new SyncItemError(LOCKED_STATUS, `${member} is locked (WebDAV lock ${locks[0]?.token})`);
}

function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function toItem(r: Resource): StoredItem {
  return { name: r.path.slice(r.path.lastIndexOf('/') + 1), etag: r.etag, uid: r.uid, component: r.component };
}

/** Transaction lock key of a collection: the user's area (`/calendars/alice`), as DAV writes use. */
function areaKey(path: string): string {
  return path.split('/').slice(0, 3).join('/');
}

export interface SyncItemsOptions {
  /** The server's upload limit (config maxUploadBytes); calendars take at most this much. */
  readonly maxUploadBytes?: number;
}

export class StoreSyncItems implements SyncItemStore {
  constructor(private readonly store: Store, private readonly options: SyncItemsOptions = {}) {}

  async collection(path: string): Promise<CollectionInfo | null> {
    const r = await this.store.getResource(path);
    if (!r || !r.isCollection) return null;
    if (r.collectionType !== 'calendar' && r.collectionType !== 'addressbook') return null;
    return { path, ownerId: r.ownerId, kind: r.collectionType === 'calendar' ? 'ical' : 'vcard', seq: r.syncSeq };
  }

  async list(path: string, component: string | null): Promise<StoredItem[]> {
    const coll = await this.store.getResource(path);
    if (!coll) return [];
    return (await this.store.listChildren(coll.id))
      .filter((r) => !r.isCollection && (component === null || (r.component ?? '').toUpperCase() === component))
      .map(toItem);
  }

  async read(path: string, name: string): Promise<{ item: StoredItem; text: string } | null> {
    const r = await this.store.getResource(`${path}/${name}`);
    if (!r || r.isCollection) return null;
    return { item: toItem(r), text: new TextDecoder().decode(await this.store.readBody(r.id)) };
  }

  async findByUid(path: string, uid: string): Promise<StoredItem | null> {
    const coll = await this.store.getResource(path);
    if (!coll) return null;
    const found = await this.store.queryObjects(coll.id, { uid });
    const r = found.find((x) => x.uid === uid);
    return r ? toItem(r) : null;
  }

  async put(user: SyncUser, path: string, name: string | null, text: string, origin: string): Promise<StoredItem> {
    const body = new TextEncoder().encode(text);
    return this.store.transaction([areaKey(path)], async (tx) => {
      const coll = await tx.getResource(path);
      if (!coll || !coll.isCollection) throw new SyncItemError(STATUS.NOT_FOUND, `no collection ${path}`);
      if (coll.ownerId !== user.id) throw new SyncItemError(STATUS.PERMISSION_DENIED, `${user.name} may not write ${path}`);
      const memberName = name ?? `${randomUUID()}${coll.collectionType === 'calendar' ? '.ics' : '.vcf'}`;
      const memberPath = `${path}/${memberName}`;
      const existing = await tx.getResource(memberPath);
      await refuseLocked(tx, path, memberPath, !existing);
      let index: ObjectIndex;
      let contentType: string;
      let stored: Uint8Array = body;
      if (coll.collectionType === 'calendar') {
        try {
          // The calendar's own settings, as a CalDAV PUT meets them (RFC 4791 §5.2).
          const limits = limitsWithin(await calendarSettings(tx, coll), this.options.maxUploadBytes ?? MAX_RESOURCE_SIZE);
          const prepared = await prepareCalendarObject(tx, coll, memberPath, body, 'text/calendar', limits);
          index = prepared.index;
          stored = prepared.body;
        } catch (err) {
          if (err instanceof IcalError) throw new SyncItemError(calendarStatus(err), `${err.code}: ${err.message}`);
          if (err instanceof UidConflict) throw new SyncItemError(STATUS.ALREADY_EXISTS, err.message);
          throw err;
        }
        contentType = 'text/calendar; charset=utf-8';
      } else if (coll.collectionType === 'addressbook') {
        try {
          const card = await prepareCard(tx, coll, memberPath, body, 'text/vcard', existing, MAX_CARD_SIZE);
          index = card.index;
          contentType = card.contentType;
        } catch (err) {
          if (!(err instanceof CardRejected)) throw err;
          const status = err.reason === 'max-resource-size' ? STATUS.SIZE_TOO_BIG
            : err.reason !== 'no-uid-conflict' ? STATUS.UNSUPPORTED_TYPE
              : err.conflictPath === existing?.path ? STATUS.CONFLICT : STATUS.ALREADY_EXISTS;
          throw new SyncItemError(status, `${err.reason}: ${err.message}`);
        }
      } else throw new SyncItemError(STATUS.UNSUPPORTED_TYPE, `${path} holds no calendar or contact data`);
      const result = await tx.putObject(memberPath, { ownerId: coll.ownerId, body: stored, contentType, etag: etagOf(stored), index, origin });
      return toItem(result.resource);
    });
  }

  async delete(user: SyncUser, path: string, name: string, origin: string): Promise<boolean> {
    return this.store.transaction([areaKey(path)], async (tx) => {
      const coll = await tx.getResource(path);
      if (!coll) return false;
      if (coll.ownerId !== user.id) throw new SyncItemError(STATUS.PERMISSION_DENIED, `${user.name} may not write ${path}`);
      if (await tx.getResource(`${path}/${name}`)) await refuseLocked(tx, path, `${path}/${name}`, true);
      try {
        await tx.deleteResource(`${path}/${name}`, origin);
        return true;
      } catch (err) {
        if (err instanceof StoreError && err.code === 'not-found') return false;
        throw err;
      }
    });
  }

  async changesSince(path: string, seq: number): Promise<ItemChange[] | null> {
    const coll = await this.store.getResource(path);
    if (!coll) return null;
    if (seq < (await this.store.oldestSyncSeq(coll.id))) return null;
    const out: ItemChange[] = [];
    let after = seq;
    for (;;) {
      const batch = await this.store.changesSince(coll.id, after, 1000);
      for (const c of batch) out.push({ name: c.name, op: c.op, origin: c.origin, seq: c.seq });
      if (batch.length < 1000) return out;
      after = batch[batch.length - 1]?.seq ?? after;
    }
  }
}
