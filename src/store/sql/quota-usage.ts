import { subtreeRange } from '../paths.js';
import type { DeadProperty, Resource } from '../types.js';
import type { SqlTxConn } from './driver.js';

/**
 * The bytes each user uses (RFC 4331 DAV:quota-used-bytes; migration 17): a resource's body
 * (`size`) plus its dead properties (`prop_bytes`, the UTF-8 length of their XML), summed per
 * owner in `users.quota_used`. Kept here, in the store methods that write, so the counter moves in
 * the same transaction as the data and no caller can forget it; never recomputed by a scan.
 */
/** Bytes a subtree uses, per owner (`QUOTA_USAGE.subtreeUse`). */
type SubtreeUse = readonly { readonly ownerId: number; readonly bytes: number }[];

export const QUOTA_USAGE = {
  /**
   * Add `delta` bytes to the owner's usage (negative frees). Deferred (SqlTxConn.defer): nothing
   * waits for it, so on PostgreSQL the owner's row, held from here to commit by every write of
   * theirs, costs no round trip of its own.
   */
  charge(db: SqlTxConn, ownerId: number, delta: number): void {
    if (delta !== 0) db.defer('UPDATE users SET quota_used = quota_used + ? WHERE id = ?', [delta, ownerId]);
  },

  /** A body of `bytes` written over `existing` (or new, owned by `ownerId`): charge the difference. */
  chargePut(db: SqlTxConn, existing: Resource | null, ownerId: number, bytes: number): void {
    if (existing) QUOTA_USAGE.charge(db, existing.ownerId, bytes - existing.size);
    else QUOTA_USAGE.charge(db, ownerId, bytes);
  },

  /**
   * What the resource at `path` and every resource below it use, per owner: read before they are
   * deleted, freed (`free`) once they are.
   */
  async subtreeUse(db: SqlTxConn, path: string): Promise<SubtreeUse> {
    const [lo, hi] = subtreeRange(path);
    const owners = await db.all<{ owner_id: number | string; bytes: number | string | null }>(
      'SELECT owner_id, SUM(size + prop_bytes) AS bytes FROM resources WHERE path = ? OR (path >= ? AND path < ?) GROUP BY owner_id',
      [path, lo, hi],
    );
    return owners.map((o) => ({ ownerId: Number(o.owner_id), bytes: Number(o.bytes ?? 0) }));
  },

  /** Free what `subtreeUse` read (deferred, like every charge). */
  free(db: SqlTxConn, use: SubtreeUse): void {
    for (const o of use) QUOTA_USAGE.charge(db, o.ownerId, -o.bytes);
  },

  /**
   * Before a dead-property patch: how many bytes it adds (negative when it frees), from the
   * stored values it replaces or removes; the resource's `prop_bytes` and its owner's usage are
   * moved by that much.
   */
  async patchProperties(
    db: SqlTxConn,
    resourceId: number,
    set: readonly DeadProperty[],
    remove: readonly string[],
  ): Promise<void> {
    let delta = 0;
    const touched = new Set([...remove, ...set.map((p) => p.name)]);
    for (const name of touched) {
      const old = await db.get<{ xml: string }>('SELECT xml FROM properties WHERE resource_id = ? AND name = ?', [
        resourceId,
        name,
      ]);
      if (old) delta -= Buffer.byteLength(old.xml, 'utf8');
    }
    // Removals run first, then the sets (a name in both ends up set; the last value of a name wins).
    const kept = new Map(set.map((p) => [p.name, p.xml]));
    for (const xml of kept.values()) delta += Buffer.byteLength(xml, 'utf8');
    if (delta === 0) return;
    const r = await db.get<{ owner_id: number | string }>(
      'UPDATE resources SET prop_bytes = prop_bytes + ? WHERE id = ? RETURNING owner_id',
      [delta, resourceId],
    );
    if (r) QUOTA_USAGE.charge(db, Number(r.owner_id), delta);
  },
};
