import { accounts, csrfHeaders, type Account } from './api.js';
import { DavClient, hrefPath, sameHref, type DavCollection } from './dav/client.js';
import { Cache } from './sync/cache.js';
import { syncCollection } from './sync/collection-sync.js';

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#65a30d', '#ca8a04', '#475569'];

/** A server the app talks to: Almanac itself, or another account through the relay. */
export interface Source {
  readonly id: string;
  readonly label: string;
  readonly client: DavClient;
  readonly start: string;
  readonly remote: boolean;
  calendarHome?: string | undefined;
  addressbookHome?: string | undefined;
  error?: string | undefined;
}

export interface StoredObject { readonly href: string; readonly etag: string; readonly data: string }

export interface Collection {
  readonly key: string;
  readonly source: Source;
  readonly dav: DavCollection;
  color: string;
  visible: boolean;
  readonly objects: Map<string, StoredObject>;
  readonly known: Map<string, string>;
  syncing?: Promise<void> | undefined;
  again?: boolean;
}

export type Change = { kind: 'collections' } | { kind: 'objects'; collection: Collection };

const HIDDEN_KEY = 'almanac.hidden';

/** Hrefs without repeats (compared as `sameHref` does: decoded path, no trailing slash). */
export function uniqueHrefs(hrefs: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const h of hrefs) if (h && !out.some((o) => sameHref(o, h))) out.push(h);
  return out;
}

/** Collections without repeats: the same href listed from two homes is one collection. */
export function uniqueCollections(found: readonly DavCollection[]): DavCollection[] {
  const out: DavCollection[] = [];
  for (const c of found) if (!out.some((o) => sameHref(o.href, c.href))) out.push(c);
  return out;
}

/** Everything the views show, kept current by sync-collection; views listen for changes. */
export class AppState {
  sources: Source[] = [];
  collections: Collection[] = [];
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly hidden = new Set<string>(JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]') as string[]);

  private constructor(readonly user: string, readonly cache: Cache) {}

  static async open(user: string): Promise<AppState> {
    return new AppState(user, await Cache.open(user));
  }

  on(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(c: Change): void {
    for (const l of this.listeners) l(c);
  }

  calendars(): Collection[] {
    return this.collections.filter((c) => c.dav.kind === 'calendar');
  }

  addressBooks(): Collection[] {
    return this.collections.filter((c) => c.dav.kind === 'addressbook');
  }

  /** Calendars that hold events (or do not say what they hold). */
  eventCalendars(): Collection[] {
    return this.calendars().filter((c) => c.dav.components.length === 0 || c.dav.components.includes('VEVENT'));
  }

  taskLists(): Collection[] {
    return this.calendars().filter((c) => c.dav.components.length === 0 || c.dav.components.includes('VTODO'));
  }

  setVisible(c: Collection, visible: boolean): void {
    c.visible = visible;
    if (visible) this.hidden.delete(c.key);
    else this.hidden.add(c.key);
    localStorage.setItem(HIDDEN_KEY, JSON.stringify([...this.hidden]));
    this.emit({ kind: 'objects', collection: c });
  }

  /** Almanac itself and every added account; then every collection, from cache first, then synced. */
  async load(): Promise<void> {
    const own = this.makeSource('almanac', 'Almanac', '', '/dav/', false);
    let remote: Account[] = [];
    try {
      remote = await accounts.list();
    } catch (err) {
      console.error(err);
    }
    this.sources = [own, ...remote.map((a) => this.makeSource(a.id, a.label, `/relay/${a.id}`, new URL(a.url).pathname, true))];
    await Promise.all(this.sources.map((s) => this.discover(s)));
  }

  makeSource(id: string, label: string, prefix: string, start: string, remote: boolean): Source {
    return { id, label, start, remote, client: new DavClient({ prefix, headers: csrfHeaders }) };
  }

  async addSource(a: Account): Promise<Source> {
    const s = this.makeSource(a.id, a.label, `/relay/${a.id}`, new URL(a.url).pathname, true);
    this.sources.push(s);
    await this.discover(s);
    return s;
  }

  removeSource(id: string): void {
    this.sources = this.sources.filter((s) => s.id !== id);
    for (const c of this.collections.filter((x) => x.source.id === id)) void this.cache.clear(c.key);
    this.collections = this.collections.filter((c) => c.source.id !== id);
    this.emit({ kind: 'collections' });
  }

  /** Find the homes (RFC 6764 context path → principal → homes) and list the collections. */
  async discover(source: Source): Promise<void> {
    try {
      if (!source.calendarHome && !source.addressbookHome) {
        const d = await source.client.discover(source.start);
        source.calendarHome = d.calendarHomes[0];
        source.addressbookHome = d.addressbookHomes[0];
      }
      // Radicale (and others) name one URL as both calendar-home-set and addressbook-home-set:
      // list each home once, and each collection once (its kind comes from its resourcetype).
      const homes = uniqueHrefs([source.calendarHome, source.addressbookHome]);
      const found = uniqueCollections((await Promise.all(homes.map((h) => source.client.listCollections(h)))).flat());
      source.error = undefined;
      const before = this.collections.filter((c) => c.source === source);
      const next: Collection[] = [];
      for (const dav of found) {
        const key = `${source.id}:${hrefPath(dav.href)}`;
        const existing = before.find((c) => c.key === key);
        if (existing) {
          Object.assign(existing.dav, { displayName: dav.displayName, color: dav.color });
          existing.color = dav.color ?? existing.color;
          next.push(existing);
          continue;
        }
        const index = this.collections.length + next.length;
        const col: Collection = {
          key, source, dav, color: dav.color ?? PALETTE[index % PALETTE.length]!, visible: !this.hidden.has(key), objects: new Map(), known: new Map(),
        };
        for (const o of await this.cache.objects(key)) {
          col.objects.set(o.href, { href: o.href, etag: o.etag, data: o.data });
          col.known.set(o.href, o.etag);
        }
        next.push(col);
      }
      for (const gone of before.filter((c) => !next.includes(c))) void this.cache.clear(gone.key);
      this.collections = [...this.collections.filter((c) => c.source !== source), ...next];
      this.emit({ kind: 'collections' });
      for (const c of next) if (c.objects.size > 0) this.emit({ kind: 'objects', collection: c });
      await Promise.all(next.map((c) => this.sync(c)));
    } catch (err) {
      source.error = err instanceof Error ? err.message : String(err);
      console.error(`discovery of ${source.label} failed`, err);
      this.emit({ kind: 'collections' });
    }
  }

  /** Incremental sync of one collection; concurrent calls coalesce into one more round. */
  sync(c: Collection): Promise<void> {
    if (c.syncing) {
      c.again = true;
      return c.syncing;
    }
    c.syncing = (async () => {
      try {
        do {
          c.again = false;
          const r = await syncCollection(c.source.client, this.cache, c.key, c.dav, c.known);
          if (r.full) c.objects.clear();
          for (const o of r.changed) c.objects.set(o.href, o);
          for (const h of r.removed) {
            for (const k of [...c.objects.keys()]) if (sameHref(k, h)) c.objects.delete(k);
          }
          if (r.full || r.changed.length || r.removed.length) this.emit({ kind: 'objects', collection: c });
        } while (c.again);
      } finally {
        c.syncing = undefined;
      }
    })();
    return c.syncing;
  }

  /** A change notice named this href (an Almanac collection, or a home whose list changed). */
  async onNotice(href: string): Promise<void> {
    const own = this.sources.find((s) => !s.remote);
    const col = this.collections.find((c) => !c.source.remote && sameHref(c.dav.href, href));
    if (col) return this.sync(col);
    if (own && [own.calendarHome, own.addressbookHome].some((h) => h && sameHref(h, href))) return this.discover(own);
  }

  /** Catch up everything (after a reconnect of the notice stream, or on focus for other servers). */
  async syncAll(remoteOnly = false): Promise<void> {
    await Promise.all(this.collections.filter((c) => !remoteOnly || c.source.remote).map((c) => this.sync(c).catch((e: unknown) => console.error(e))));
  }

  /** Write an object and fold the server's answer in at once (then sync for the canonical ETag). */
  async save(c: Collection, href: string, data: string, etag: string | null, contentType: string): Promise<void> {
    await c.source.client.put(href, data, contentType, etag);
    await this.sync(c);
  }

  async remove(c: Collection, href: string, etag: string | null): Promise<void> {
    await c.source.client.delete(href, etag);
    c.objects.delete(href);
    this.emit({ kind: 'objects', collection: c });
    await this.sync(c);
  }

  /** A new member's href: the UID, made safe for a path segment, with the type's suffix. */
  static memberHref(c: Collection, uid: string, ext: '.ics' | '.vcf'): string {
    const safe = uid.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || crypto.randomUUID();
    return `${hrefPath(c.dav.href)}${safe}${ext}`;
  }

  /** A new collection's href in a home. */
  static childHref(home: string, name: string): string {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'collection';
    return `${hrefPath(home).replace(/\/?$/, '/')}${slug}-${Math.random().toString(36).slice(2, 8)}/`;
  }
}
