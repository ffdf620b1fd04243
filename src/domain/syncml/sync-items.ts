/**
 * The SyncML engine's view of collections (port `SyncItemStore` of src/syncml/ports.ts), over
 * the Store. Add, Replace and Delete go through the domain's one write path
 * (domain/objects/write-object.ts, delete-member.ts): the same privileges, locks, size limit,
 * validation, index and change feed (with `origin`) as a CalDAV/CardDAV PUT or DELETE. Here its
 * refusals become SyncML statuses.
 */
import { randomUUID } from 'node:crypto';
import type { IcalError } from '../../formats/ical/errors.js';
import { STATUS, type StatusCode } from '../../formats/syncml/model.js';
import type { Store } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import {
  SyncItemError,
  type CollectionInfo,
  type ItemAccess,
  type ItemChange,
  type PutItem,
  type StoredItem,
  type SyncItemStore,
  type SyncUser,
} from './ports.js';
import { attendeeWrite } from './attendee-edit.js';
import { MAX_RESOURCE_SIZE } from '../calendar/settings.js';
import { deleteMember } from '../objects/delete-member.js';
import { ObjectRefused, type Refusal } from '../objects/object-refused.js';
import { writeObject } from '../objects/write-object.js';
import { holds, type Principal } from '../objects/privileges.js';
import { loadGrants } from '../acl/grants.js';
import { PerUserView } from '../sharing/per-user-data.js';

/**
 * SyncML status for a write a WebDAV lock covers (the device holds no lock token): 417 Retry
 * later, as a WebDAV lock is temporary (423 would mean soft-delete conflict).
 */
const LOCKED_STATUS = STATUS.RETRY_LATER;

/** How often an attendee's copy is merged again when it changed between the read and the write. */
const MERGE_ATTEMPTS = 3;

/** SyncML status for a calendar refusal (RFC 4791 §5.3.2.1 precondition → RepPro §10 status). */
function calendarStatus(err: IcalError): StatusCode {
  if (err.code === 'max-resource-size') return STATUS.SIZE_TOO_BIG;
  if (
    err.code === 'supported-calendar-component' ||
    err.code === 'valid-calendar-data' ||
    err.code === 'supported-calendar-data' ||
    err.code === 'valid-calendar-object-resource'
  )
    return STATUS.UNSUPPORTED_TYPE;
  // min/max-date-time, max-instances: a limit of this calendar, not a format problem.
  return STATUS.FORBIDDEN;
}

/** A refusal of the domain write path as the SyncML item status (and message) to answer. */
function syncItemError(r: Refusal, message: string, memberPath: string): SyncItemError {
  switch (r.code) {
    case 'need-privileges':
    case 'not-removable':
    case 'organizer-not-sharer':
      return new SyncItemError(STATUS.PERMISSION_DENIED, message);
    case 'no-parent':
    case 'not-found':
      return new SyncItemError(STATUS.NOT_FOUND, message);
    case 'locked':
      return new SyncItemError(LOCKED_STATUS, message);
    case 'wrong-collection-type':
    case 'object-in-home':
      return new SyncItemError(STATUS.UNSUPPORTED_TYPE, message);
    case 'is-collection':
    case 'precondition-failed':
      return new SyncItemError(STATUS.CONFLICT, message);
    // SyncML RepPro §10: 420 Device full, the server's store for this user is.
    case 'quota-exceeded':
      return new SyncItemError(STATUS.DEVICE_FULL, message);
    case 'calendar-data':
      return new SyncItemError(calendarStatus(r.error), `${r.error.code}: ${r.error.message}`);
    // Replacing an object with another UID conflicts with itself (RFC 4791 §5.3.2.1).
    case 'calendar-uid-conflict':
      return new SyncItemError(r.path === memberPath ? STATUS.CONFLICT : STATUS.ALREADY_EXISTS, message);
    case 'card-data': {
      const err = r.error;
      const status =
        err.reason === 'max-resource-size'
          ? STATUS.SIZE_TOO_BIG
          : err.reason !== 'no-uid-conflict'
            ? STATUS.UNSUPPORTED_TYPE
            : // Replacing a card with another UID conflicts with itself (RFC 6352 §6.3.2.1).
              err.conflictPath === memberPath
              ? STATUS.CONFLICT
              : STATUS.ALREADY_EXISTS;
      return new SyncItemError(status, `${err.reason}: ${err.message}`);
    }
  }
}

function toItem(r: Resource): StoredItem {
  return { name: r.path.slice(r.path.lastIndexOf('/') + 1), etag: r.etag, uid: r.uid, component: r.component };
}

/** The media type SyncML items of a collection are (RepPro: vCard 2.1/3.0, iCalendar 2.0). */
const ITEM_TYPE: Readonly<Record<string, string>> = { calendar: 'text/calendar', addressbook: 'text/vcard' };

export interface SyncItemsOptions {
  /** The server's upload limit (config maxUploadBytes): no calendar object or card is larger. */
  readonly maxUploadBytes?: number;
}

/** A collection as one user reaches it: the data collection, their access and how they read it. */
interface Reached {
  readonly coll: Resource;
  readonly access: ItemAccess;
  /** The user, with their grants when the collection is not theirs (the write path evaluates them). */
  readonly principal: Principal;
  /** A sharee's view (their own alarms and TRANSP), or null: the stored bodies. */
  readonly view: PerUserView | null;
}

export class StoreSyncItems implements SyncItemStore {
  constructor(
    private readonly store: Store,
    private readonly options: SyncItemsOptions = {},
  ) {}

  /**
   * `path` as `user` reaches it (ports.ts `SyncItemStore`): their own collection; their instance
   * of a shared one, resolved to the shared collection; or another user's they hold grants on.
   * Null when there is no such calendar or address book.
   */
  private async reach(user: SyncUser, path: string): Promise<Reached | null> {
    let coll = await this.store.getResource(path);
    if (!coll) {
      // caldav-sharing §5.5: an instance is no resource of its own, it names the shared collection.
      const share = await this.store.shareByInstance(path);
      if (share?.shareeId !== user.id || share.status !== 'accepted') return null;
      coll = await this.store.getResource(share.collectionPath);
    }
    if (!coll?.isCollection || (coll.collectionType !== 'calendar' && coll.collectionType !== 'addressbook'))
      return null;
    if (coll.ownerId === user.id) return { coll, access: 'write', principal: user, view: null };
    const principal: Principal = { ...user, grants: await loadGrants(this.store, user.id) };
    const access: ItemAccess = !holds(principal, coll, 'read')
      ? 'none'
      : holds(principal, coll, 'write-content')
        ? 'write'
        : 'read';
    const view = access === 'none' ? null : await PerUserView.of(this.store, principal, coll);
    return { coll, access, principal, view };
  }

  /** Like `reach`, but null also when the user may not read it. */
  private async readable(user: SyncUser, path: string): Promise<Reached | null> {
    const r = await this.reach(user, path);
    return r && r.access !== 'none' ? r : null;
  }

  async collection(user: SyncUser, path: string): Promise<CollectionInfo | null> {
    const r = await this.reach(user, path);
    if (!r) return null;
    const { coll } = r;
    return {
      path: coll.path,
      ownerId: coll.ownerId,
      access: r.access,
      kind: coll.collectionType === 'calendar' ? 'ical' : 'vcard',
      seq: coll.syncSeq,
    };
  }

  async list(user: SyncUser, path: string, component: string | null): Promise<StoredItem[]> {
    const r = await this.readable(user, path);
    if (!r) return [];
    return (await this.store.listChildren(r.coll.id))
      .filter((m) => !m.isCollection && (component === null || (m.component ?? '').toUpperCase() === component))
      .map(toItem);
  }

  async read(user: SyncUser, path: string, name: string): Promise<{ item: StoredItem; text: string } | null> {
    const reached = await this.readable(user, path);
    if (!reached) return null;
    const r = await this.store.getResource(`${reached.coll.path}/${name}`);
    if (!r || r.isCollection) return null;
    const stored = new TextDecoder().decode(await this.store.readBody(r.id));
    if (!reached.view) return { item: toItem(r), text: stored };
    await reached.view.load([r.id]);
    return { item: toItem(r), text: reached.view.text(r.id, stored) };
  }

  async findByUid(user: SyncUser, path: string, uid: string): Promise<StoredItem | null> {
    const reached = await this.readable(user, path);
    if (!reached) return null;
    const found = await this.store.queryObjects(reached.coll.id, { uid });
    const r = found.find((x) => x.uid === uid);
    return r ? toItem(r) : null;
  }

  async put(user: SyncUser, path: string, name: string | null, text: string, origin: string): Promise<PutItem> {
    const reached = await this.reach(user, path);
    if (!reached) throw new SyncItemError(STATUS.NOT_FOUND, `no collection ${path}`);
    const { coll, principal } = reached;
    const memberPath = `${coll.path}/${name ?? `${randomUUID()}${coll.collectionType === 'calendar' ? '.ics' : '.vcf'}`}`;
    for (let attempt = 1; ; attempt++) {
      // An attendee's copy takes only the attendee's changes (RFC 6638 §3.2.2.1, attendee-edit.ts).
      const attendee = name === null ? null : await attendeeWrite(this.store, coll, memberPath, text);
      if (attendee && attendee.text === null) return { ...toItem(attendee.stored), merged: true };
      try {
        const written = await writeObject(this.store, {
          principal,
          path: memberPath,
          body: new TextEncoder().encode(attendee?.text ?? text),
          contentType: ITEM_TYPE[coll.collectionType ?? ''],
          origin: { via: 'syncml', feed: origin },
          limits: { maxUploadBytes: this.options.maxUploadBytes ?? MAX_RESOURCE_SIZE },
          collectionTypes: ['calendar', 'addressbook'],
          // The merge is based on the copy read: a REQUEST processed meanwhile makes it merge again.
          ...(attendee ? { precondition: { kind: 'if-match', etag: attendee.stored.etag } as const } : {}),
        });
        return { ...toItem(written.resource), merged: attendee !== null };
      } catch (err) {
        if (!(err instanceof ObjectRefused)) throw err;
        if (attendee && err.refusal.code === 'precondition-failed' && attempt < MERGE_ATTEMPTS) continue;
        throw syncItemError(err.refusal, err.message, memberPath);
      }
    }
  }

  async delete(user: SyncUser, path: string, name: string, origin: string): Promise<boolean> {
    const reached = await this.reach(user, path);
    if (!reached) return false;
    const memberPath = `${reached.coll.path}/${name}`;
    try {
      await deleteMember(this.store, {
        principal: reached.principal,
        path: memberPath,
        origin: { via: 'syncml', feed: origin },
      });
      return true;
    } catch (err) {
      if (!(err instanceof ObjectRefused)) throw err;
      // No collection or no such member: nothing was deleted.
      if (err.refusal.code === 'not-found' || err.refusal.code === 'not-removable') return false;
      throw syncItemError(err.refusal, err.message, memberPath);
    }
  }

  async changesSince(user: SyncUser, path: string, seq: number): Promise<ItemChange[] | null> {
    const reached = await this.reach(user, path);
    if (!reached) return null;
    // Access revoked mid-session: no changes to send (the Alert of the next session answers 425).
    if (reached.access === 'none') return [];
    const { coll } = reached;
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
