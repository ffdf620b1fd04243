import { contentEtag } from '../etag.js';
import type { StoreTx } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';

/** One member a derived collection should hold: its name in the collection, its body and index. */
export interface WantedMember {
  readonly body: Uint8Array;
  readonly index: ObjectIndex;
  /** Its media type; absent = an iCalendar object. */
  readonly contentType?: string;
}

export interface ReplaceOutcome {
  readonly written: number;
  readonly deleted: number;
  readonly unchanged: number;
  /** Existing members looked up (all of them, or only the names of `only`). */
  readonly membersRead: number;
}

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/**
 * Make the members of a derived collection (an .ics subscription, the birthday calendar, the
 * directory address book) exactly `wanted`, by name, in the caller's transaction, through the
 * store's normal write path (so the change feed, sync token, CTag and change notices see it). Only what changed is written: a
 * member whose bytes are the same (same content entity tag) is left alone, and an existing
 * member that is not wanted is deleted only when `inScope(name)` (a feed object that failed
 * validation keeps its previous version; an incremental run touches only the names it
 * recomputed). So the sync token moves exactly when content does. With `only`, the names a run
 * recomputed (every wanted name among them), just those members are looked up instead of the
 * whole collection: one contact's edit costs the same with 50 birthdays or 50,000.
 */
export async function replaceMembers(
  tx: StoreTx,
  collection: Resource,
  wanted: ReadonlyMap<string, WantedMember>,
  origin: string,
  inScope: (name: string) => boolean = () => true,
  only: ReadonlySet<string> | null = null,
): Promise<ReplaceOutcome> {
  const existing = new Map<string, Resource>();
  const members = only
    ? await tx.getResourcesByPaths(
        [...new Set([...only, ...wanted.keys()])].map((name) => `${collection.path}/${name}`),
      )
    : await tx.listChildren(collection.id);
  for (const m of members) {
    if (!m.isCollection && m.parentId === collection.id) existing.set(m.path.slice(collection.path.length + 1), m);
  }
  let written = 0;
  let deleted = 0;
  let unchanged = 0;
  for (const [name, member] of wanted) {
    const etag = contentEtag(member.body);
    if (existing.get(name)?.etag === etag) {
      unchanged += 1;
      continue;
    }
    await tx.putObject(`${collection.path}/${name}`, {
      ownerId: collection.ownerId,
      body: member.body,
      contentType: member.contentType ?? CALENDAR_TYPE,
      etag,
      index: member.index,
      origin,
    });
    written += 1;
  }
  for (const [name, r] of existing) {
    if (wanted.has(name) || !inScope(name)) continue;
    await tx.deleteResource(r.path, origin);
    deleted += 1;
  }
  return { written, deleted, unchanged, membersRead: members.length };
}
