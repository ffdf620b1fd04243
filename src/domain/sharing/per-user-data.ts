/**
 * Per-user calendar data in shared calendars (caldav-sharing §5.5.4): each sharee keeps their
 * own TRANSP and VALARMs of every event, apart from the shared body, which keeps the owner's.
 *
 * - A sharee's write (`splitShareeWrite`): their parts go to their `per_user_data` row, the
 *   stored body gets the owner's parts back from the object it replaces.
 * - A sharee's read (`PerUserView`): the stored body with the owner's parts replaced by theirs.
 * - The stored entity tag covers the body and every user's row (`storedEtag`), so it changes
 *   when anyone's alarms change — as CalendarServer's, which keeps per-user data inside the
 *   object — and one tag serves If-Match, sync reports and the caches for every reader.
 *
 * The owner, and anyone reaching the calendar by an ACE or as a proxy, acts as the owner and
 * sees the stored body. Only calendars: address books have no per-user data.
 */
import { perUserPart, sameSharedData, withPerUserPart } from '../../formats/ical/per-user.js';
import type { PerUserEntry } from '../../store/capabilities/per-user-data.js';
import type { ObjectsReader, PerUserDataReader, SharesReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { objectEtag } from '../etag.js';
import { ObjectRefused } from '../objects/object-refused.js';
import { holds, type Principal } from '../objects/privileges.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Whether `principal` reaches `collection` as an accepted sharee, so per-user data applies. */
export async function isShareeOf(reader: SharesReader, principal: Principal, collection: Resource): Promise<boolean> {
  if (principal.id === collection.ownerId || collection.collectionType !== 'calendar') return false;
  // An accepted share grants on the collection's own path (store/sql/shares.ts): no grant, no query.
  if (!principal.grants?.some((g) => g.path === collection.path)) return false;
  return (await reader.sharesOf(collection.id)).some((s) => s.shareeId === principal.id && s.status === 'accepted');
}

/** A sharee's write, split: the body to store (the owner's parts kept) and the sharee's own part. */
export interface ShareeWrite {
  readonly body: Uint8Array;
  readonly userId: number;
  readonly part: string | null;
}

/**
 * The split of `body` written by sharee `userId` over `existing` (null: a create). `body` was
 * prepared (valid iCalendar) already.
 */
export async function splitShareeWrite(
  reader: ObjectsReader,
  userId: number,
  existing: Resource | null,
  body: Uint8Array,
): Promise<ShareeWrite> {
  const text = decoder.decode(body);
  const owners = existing ? decoder.decode(await reader.readBody(existing.id)) : null;
  return { body: encoder.encode(withPerUserPart(text, owners)), userId, part: perUserPart(text) };
}

/**
 * Whether `principal`, lacking write-content on `existing`, may still write it as a sharee who
 * changes only their own per-user data (§5.5.4: a read-only sharee keeps their own alarms).
 * What they sent is judged once prepared (`perUserOnlyWrite`).
 */
export async function mayWritePerUserOnly(
  reader: SharesReader,
  principal: Principal,
  parent: Resource,
  existing: Resource,
): Promise<boolean> {
  return holds(principal, existing, 'read') && (await isShareeOf(reader, principal, parent));
}

/**
 * The write of a sharee without write-content (`mayWritePerUserOnly`): `body` (prepared) must
 * hold the same shared data as the stored object, which is kept byte for byte, and change the
 * sharee's TRANSP or VALARMs, which become their per-user row. Anything else — a change of
 * shared data, or no change at all — is refused with need-privileges, as before §5.5.4.
 */
export async function perUserOnlyWrite(
  reader: ObjectsReader & PerUserDataReader,
  userId: number,
  existing: Resource,
  body: Uint8Array,
): Promise<ShareeWrite> {
  const stored = await reader.readBody(existing.id);
  const text = decoder.decode(body);
  const part = perUserPart(text);
  const had = (await reader.perUserDataFor(userId, [existing.id])).get(existing.id) ?? null;
  if (part === had || !sameSharedData(text, decoder.decode(stored))) {
    throw new ObjectRefused(
      { code: 'need-privileges', path: existing.path, isCollection: false, privilege: 'write-content' },
      `a read-only sharee may change only their own alarms and TRANSP of ${existing.path}`,
    );
  }
  return { body: stored, userId, part };
}

/**
 * The entity tag to store for `body` over `existing` (null: a create): of the body and every
 * user's per-user data of the object, with `change` (a sharee's new part) in place of what they had.
 */
export async function storedEtag(
  reader: PerUserDataReader,
  existing: Resource | null,
  body: Uint8Array,
  change: ShareeWrite | null = null,
  /** `existing`'s per-user data, when the write read it ahead. */
  readAhead?: Promise<PerUserEntry[]>,
): Promise<string> {
  const rows: PerUserEntry[] = existing ? await (readAhead ?? reader.perUserDataOf(existing.id)) : [];
  const others = change ? rows.filter((r) => r.userId !== change.userId) : rows;
  const mine = change?.part ? [{ userId: change.userId, ical: change.part }] : [];
  return objectEtag(
    body,
    [...others, ...mine].sort((a, b) => a.userId - b.userId),
  );
}

/**
 * What one sharee reads of the members of one shared calendar: each stored body with the
 * owner's per-user parts replaced by the sharee's (none where they have none).
 */
export class PerUserView {
  private readonly parts = new Map<number, string>();
  private readonly loaded = new Set<number>();

  private constructor(
    private readonly reader: PerUserDataReader,
    readonly userId: number,
  ) {}

  /** The view of `principal` on `collection`'s members, or null when they read the stored bodies. */
  static async of(
    reader: SharesReader & PerUserDataReader,
    principal: Principal,
    collection: Resource,
  ): Promise<PerUserView | null> {
    return (await isShareeOf(reader, principal, collection)) ? new PerUserView(reader, principal.id) : null;
  }

  /** Read the sharee's parts of these members (one query for many). */
  async load(resourceIds: readonly number[]): Promise<void> {
    const wanted = resourceIds.filter((id) => !this.loaded.has(id));
    if (wanted.length === 0) return;
    for (const [id, part] of await this.reader.perUserDataFor(this.userId, wanted)) this.parts.set(id, part);
    for (const id of wanted) this.loaded.add(id);
  }

  /** The text the sharee reads for member `resourceId` (loaded before) stored as `text`. */
  text(resourceId: number, text: string): string {
    try {
      return withPerUserPart(text, this.parts.get(resourceId) ?? null);
    } catch {
      return text; // not iCalendar (stored before the collection was a calendar): as stored
    }
  }

  /** A cache key for what the sharee reads of `r`: its etag, which covers their part, and who they are. */
  key<R extends { readonly id: number; readonly etag: string }>(r: R): R {
    return { ...r, etag: `${r.etag}~u${this.userId}` };
  }
}
