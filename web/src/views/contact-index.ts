import { memberUid, type GroupSource } from '../../../src/formats/vcard/contact-groups.js';
import { summariseText, type ContactSummary } from '../../../src/formats/vcard/contact-summary.js';
import { unicodeFold } from '../../../src/formats/vcard/text.js';
import type { Collection } from '../state.js';
import type { StoredSummary, SummaryStore } from '../sync/contact-summaries.js';

export interface ContactEntry {
  readonly col: Collection;
  readonly href: string;
  readonly etag: string;
  readonly s: ContactSummary;
  /** The UID as group membership compares it (no `urn:uuid:`). */
  readonly uid: string;
  readonly sortKey: string;
  /** Changed here offline: waiting in the outbox to be sent. */
  readonly pending: boolean;
}

interface Pending {
  readonly col: Collection;
  readonly href: string;
  readonly etag: string;
  readonly data: string;
  readonly pending: boolean;
}

/**
 * Summaries of every card of the address books, each computed once per ETag (not per visit or
 * keystroke), sorted once per change, with an incremental search: a query that extends the
 * previous one filters the previous answer. Building runs in slices (`work`), so 50,000 new
 * cards never block the page for long.
 */
export class ContactIndex {
  private readonly byKey = new Map<string, ContactEntry>();
  private queue: Pending[] = [];
  /** Summaries kept from an earlier visit (IndexedDB), used while their ETag is current. */
  private readonly kept = new Map<string, StoredSummary>();
  private store: SummaryStore | null = null;

  /** Take the summaries stored by an earlier visit; new ones are written there as they are made. */
  attach(store: SummaryStore, kept: readonly StoredSummary[]): void {
    this.store = store;
    for (const k of kept) this.kept.set(`${k.col}|${k.href}`, k);
  }

  private add(col: Collection, href: string, etag: string, s: ContactSummary, pending: boolean): void {
    this.byKey.set(`${col.key}|${href}`, {
      col,
      href,
      etag,
      s,
      uid: memberUid(s.uid),
      sortKey: unicodeFold(s.name),
      pending,
    });
  }
  private sorted: ContactEntry[] | null = null;
  private last: { scope: unknown; query: string; result: ContactEntry[] } | null = null;
  /** Bumped on every change, so cached answers know they are stale. */
  version = 0;

  /** Queue what changed since the last scan (an ETag comparison per card) and forget what is gone. */
  scan(books: readonly Collection[]): void {
    const seen = new Set<string>();
    let changed = false;
    this.queue = [];
    for (const col of books) {
      for (const o of col.objects.values()) {
        const k = `${col.key}|${o.href}`;
        seen.add(k);
        const e = this.byKey.get(k);
        if (e && e.etag === o.etag && e.col === col) continue;
        const kept = this.kept.get(k);
        if (kept && kept.etag === o.etag) {
          this.add(col, o.href, o.etag, kept.s, o.pending === true);
          changed = true;
        } else {
          this.queue.push({ col, href: o.href, etag: o.etag, data: o.data, pending: o.pending === true });
        }
        this.kept.delete(k);
      }
    }
    const removed: { col: string; href: string }[] = [];
    for (const [k, e] of this.byKey) {
      if (seen.has(k)) continue;
      this.byKey.delete(k);
      removed.push({ col: e.col.key, href: e.href });
    }
    this.store?.write([], removed);
    if (changed || removed.length > 0) this.changed();
  }

  get building(): boolean {
    return this.queue.length > 0;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Summarise queued cards for about `budgetMs`; true when the queue is empty. */
  work(budgetMs: number): boolean {
    const end = performance.now() + budgetMs;
    const made: StoredSummary[] = [];
    while (this.queue.length > 0 && (made.length % 64 !== 0 || performance.now() < end)) {
      const p = this.queue.pop() as Pending;
      const s = summariseText(p.data);
      this.add(p.col, p.href, p.etag, s, p.pending);
      made.push({ col: p.col.key, href: p.href, etag: p.etag, s });
    }
    this.store?.write(made, []);
    if (made.length > 0) this.changed();
    return this.queue.length === 0;
  }

  private changed(): void {
    this.sorted = null;
    this.last = null;
    this.version++;
  }

  /** Every card (contacts and group cards), sorted by name. */
  all(): readonly ContactEntry[] {
    if (!this.sorted)
      this.sorted = [...this.byKey.values()].sort((a, b) =>
        a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0,
      );
    return this.sorted;
  }

  /** The cards of one book in the shape the group functions read. */
  groupSources(bookKey: string | null): GroupSource<ContactEntry>[] {
    return this.all()
      .filter((e) => bookKey === null || e.col.key === bookKey)
      .map((e) => ({
        ref: e,
        uid: e.s.uid,
        name: e.s.name,
        categories: e.s.categories,
        groupStyle: e.s.groupStyle,
        members: e.s.members,
      }));
  }

  find(col: Collection, href: string): ContactEntry | undefined {
    return this.byKey.get(`${col.key}|${href}`);
  }

  /**
   * Entries of `scope` (the caller's filtered list, identified by `scopeKey`) matching every
   * word of `query` (folded with i;unicode-casemap). A query that extends the last one on the
   * same scope searches the last answer only.
   */
  search(scopeKey: string, scope: () => readonly ContactEntry[], query: string): ContactEntry[] {
    const q = unicodeFold(query.trim());
    const words = q.split(/\s+/).filter(Boolean);
    const key = `${scopeKey}\u0000${this.version}`;
    const base = this.last && this.last.scope === key && q.startsWith(this.last.query) ? this.last.result : scope();
    const result = words.length === 0 ? [...base] : base.filter((e) => words.every((w) => e.s.haystack.includes(w)));
    this.last = { scope: key, query: q, result };
    return result;
  }
}
