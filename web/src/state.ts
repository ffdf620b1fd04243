import { accounts, csrfHeaders, type Account } from './api.js';
import { DavClient, hrefPath, sameHref, type DavCollection } from './dav/client.js';
import { DavHttpError, isNetworkFailure } from './dav/errors.js';
import { Cache } from './sync/cache.js';
import { syncCollection } from './sync/collection-sync.js';
import { loadLayout, saveLayout } from './sync/layout.js';
import { Outbox, type OutboxChange, type OutboxEntry } from './sync/outbox.js';
import type { Me } from '../../src/formats/ical/participants.js';

export const PALETTE = [
  '#2563eb',
  '#16a34a',
  '#dc2626',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ca8a04',
  '#475569',
];

/** A server the app talks to: Almanac itself, or another account through the relay. */
export interface Source {
  readonly id: string;
  readonly label: string;
  readonly prefix: string;
  readonly client: DavClient;
  readonly start: string;
  readonly remote: boolean;
  calendarHome?: string | undefined;
  addressbookHome?: string | undefined;
  /** Who the account is, for meetings: calendar addresses and name (RFC 6638 §2.4.1). */
  me?: Me | undefined;
  /** RFC 6638 §2.1 schedule-outbox-URL (free-busy of attendees); undefined = no scheduling. */
  outbox?: string | undefined;
  /** RFC 6638 §2.2 schedule-inbox-URL (invitations not yet taken into a calendar); undefined = no scheduling. */
  inbox?: string | undefined;
  /** The user's principal (RFC 5397) and caldav-sharing §4.1.1 notification collection; undefined = none. */
  principal?: string | undefined;
  notifications?: string | undefined;
  /** Why discovery failed (shown with ui/dialog's errorText, in the UI language); undefined when it worked or the network is away. */
  error?: unknown;
}

export interface StoredObject {
  readonly href: string;
  readonly etag: string;
  readonly data: string;
  /** Changed here while the server could not be reached; waiting in the outbox to be sent. */
  readonly pending?: boolean;
  /** Changed here and taken by the server, whose version is not synced yet: shown until it is. */
  readonly sending?: boolean;
}

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

export type Change =
  | { kind: 'collections' }
  | { kind: 'objects'; collection: Collection }
  | { kind: 'inbox'; source: Source }
  | { kind: 'notifications'; source: Source };

/** A queued change the server refused when it was sent (a 412: changed elsewhere meanwhile). */
export type ReplayRefused = (err: DavHttpError, entry: OutboxEntry, reload: () => Promise<void>) => void;

const HIDDEN_KEY = 'almanac.hidden';

/** The key of one object across collections: collection key, newline, href. */
function objectKey(c: Collection, href: string): string {
  return `${c.key}\n${href}`;
}

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

/**
 * The ETag a pending copy shows: new for every version of its data, so that views which cache
 * by ETag re-read it. It is never sent: a change to an object already waiting is folded into
 * the waiting entry, which keeps the If-Match it was made with.
 */
function pendingTag(e: OutboxEntry): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < (e.data ?? '').length; i++) h = Math.imul(h ^ e.data!.charCodeAt(i), 0x01000193);
  return `"pending-${e.id}-${(h >>> 0).toString(36)}"`;
}

/**
 * A write sent and not yet settled. Writes to one object form a chain: each starts when the one
 * before it has settled (see `AppState.write`).
 */
interface Sending {
  readonly entry: OutboxEntry;
  settled: Promise<void>;
  /** Resolved when the version this write leaves on the server is known (at the latest when it settles). */
  ready: Promise<void>;
  /** Whether the server took the write; the next write in the chain reads it. */
  took: boolean;
}

/** Everything the views show, kept current by sync-collection; views listen for changes. */
export class AppState {
  sources: Source[] = [];
  collections: Collection[] = [];
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly hidden = new Set<string>(JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]') as string[]);

  /** Told when the server refuses a change sent from the outbox (main.ts shows the usual dialog). */
  onReplayRefused: ReplayRefused = () => undefined;
  /** Told when the number of changes waiting in the outbox may have changed (the live dot). */
  onOutbox: (waiting: number) => void = () => undefined;
  private flushing: Promise<void> | undefined;
  /** Per collection, the server's objects a pending copy covers (see overlay). */
  private readonly beneath = new WeakMap<Collection, Map<string, StoredObject>>();
  private retryTimer: number | undefined;
  private retryMs = 500;
  /** Per object (collection key, newline, href), the last write sent to it and not yet settled. */
  private readonly sending = new Map<string, Sending>();
  /** Ids of writes being sent (negative, never an outbox id), for their copies' tags. */
  private sendSeq = 0;

  private constructor(
    readonly user: string,
    readonly cache: Cache,
    readonly outbox: Outbox,
  ) {}

  static async open(user: string): Promise<AppState> {
    return new AppState(user, await Cache.open(user), await Outbox.open(user));
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

  /**
   * Almanac itself and every added account; then every collection, from cache first, then synced.
   * What the last visit knew comes first (the app opens offline with it), with the changes still
   * waiting in the outbox laid over it.
   */
  async load(): Promise<void> {
    await this.restore();
    const own =
      this.sources.find((s) => s.id === 'almanac') ?? this.makeSource('almanac', 'Almanac', '', '/dav/', false);
    let remote: Account[] | null = null;
    try {
      remote = await accounts.list();
    } catch (err) {
      console.error(err);
    }
    if (remote) {
      this.sources = [
        own,
        ...remote.map(
          (a) =>
            this.sources.find((s) => s.id === a.id) ??
            this.makeSource(a.id, a.label, `/relay/${a.id}`, new URL(a.url).pathname, true),
        ),
      ];
      this.collections = this.collections.filter((c) => this.sources.includes(c.source));
    } else if (!this.sources.includes(own)) this.sources = [own, ...this.sources];
    await Promise.all(this.sources.map((s) => this.discover(s)));
  }

  /** The sources and collections of the last visit, with their cached objects. */
  private async restore(): Promise<void> {
    const layout = loadLayout(this.user);
    if (!layout) return;
    this.sources = layout.sources.map((l) =>
      Object.assign(this.makeSource(l.id, l.label, l.prefix, l.start, l.remote), {
        calendarHome: l.calendarHome,
        addressbookHome: l.addressbookHome,
      }),
    );
    for (const l of layout.collections) {
      const source = this.sources.find((s) => s.id === l.sourceId);
      if (!source) continue;
      const col: Collection = {
        key: l.key,
        source,
        dav: l.dav,
        color: l.color,
        visible: !this.hidden.has(l.key),
        objects: new Map(),
        known: new Map(),
      };
      await this.fromCache(col);
      this.collections.push(col);
    }
    this.emit({ kind: 'collections' });
    for (const c of this.collections) if (c.objects.size > 0) this.emit({ kind: 'objects', collection: c });
  }

  private async fromCache(col: Collection): Promise<void> {
    for (const o of await this.cache.objects(col.key)) {
      col.objects.set(o.href, { href: o.href, etag: o.etag, data: o.data });
      col.known.set(o.href, o.etag);
    }
    this.overlay(col);
  }

  private remember(): void {
    saveLayout(this.user, {
      sources: this.sources.map((s) => ({
        id: s.id,
        label: s.label,
        prefix: s.prefix,
        start: s.start,
        remote: s.remote,
        calendarHome: s.calendarHome,
        addressbookHome: s.addressbookHome,
      })),
      collections: this.collections.map((c) => ({ key: c.key, sourceId: c.source.id, dav: c.dav, color: c.color })),
    });
  }

  makeSource(id: string, label: string, prefix: string, start: string, remote: boolean): Source {
    return { id, label, prefix, start, remote, client: new DavClient({ prefix, headers: csrfHeaders }) };
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

  /** The account's own source: Almanac itself. */
  ownSource(): Source | undefined {
    return this.sources.find((s) => !s.remote);
  }

  /** Find the homes (RFC 6764 context path → principal → homes) and list the collections. */
  async discover(source: Source): Promise<void> {
    try {
      // Once per page load: the homes (kept from the last visit otherwise) and who the user is.
      if (!source.me) {
        const d = await source.client.discover(source.start);
        if (!source.calendarHome && !source.addressbookHome) {
          source.calendarHome = d.calendarHomes[0];
          source.addressbookHome = d.addressbookHomes[0];
        }
        source.me = { emails: d.addresses, name: d.displayName };
        source.outbox = d.outbox;
        source.inbox = d.inbox;
        source.principal = d.principal;
        source.notifications = d.notifications;
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
          Object.assign(existing.dav, {
            displayName: dav.displayName,
            color: dav.color,
            readOnly: dav.readOnly,
            sharing: dav.sharing,
          });
          existing.color = dav.color ?? existing.color;
          next.push(existing);
          continue;
        }
        const index = this.collections.length + next.length;
        const col: Collection = {
          key,
          source,
          dav,
          color: dav.color ?? PALETTE[index % PALETTE.length]!,
          visible: !this.hidden.has(key),
          objects: new Map(),
          known: new Map(),
        };
        await this.fromCache(col);
        next.push(col);
      }
      for (const gone of before.filter((c) => !next.includes(c))) void this.cache.clear(gone.key);
      this.collections = [...this.collections.filter((c) => c.source !== source), ...next];
      this.remember();
      this.emit({ kind: 'collections' });
      for (const c of next) if (c.objects.size > 0) this.emit({ kind: 'objects', collection: c });
      await Promise.all(next.map((c) => this.sync(c)));
    } catch (err) {
      // Offline, the collections of the last visit stay, and the live dot says why.
      source.error = isNetworkFailure(err) ? undefined : err;
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
          const moved = this.overlay(c);
          if (moved || r.full || r.changed.length || r.removed.length) this.emit({ kind: 'objects', collection: c });
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
    if (own?.inbox && sameHref(own.inbox, href)) return this.emit({ kind: 'inbox', source: own });
    if (own?.notifications && sameHref(own.notifications, href))
      return this.emit({ kind: 'notifications', source: own });
    if (own && [own.calendarHome, own.addressbookHome].some((h) => h && sameHref(h, href))) return this.discover(own);
  }

  /** Catch up everything (after a reconnect of the notice stream, or on focus for other servers). */
  async syncAll(remoteOnly = false): Promise<void> {
    await Promise.all(
      this.collections
        .filter((c) => !remoteOnly || c.source.remote)
        .map((c) => this.sync(c).catch((e: unknown) => console.error(e))),
    );
  }

  /**
   * Write an object (If-Match `etag`, or If-None-Match: * when null), then sync for the canonical
   * ETag. Without a network, or while earlier changes still wait, the write joins the outbox and
   * shows at once as pending.
   */
  async save(c: Collection, href: string, data: string, etag: string | null, contentType: string): Promise<void> {
    await this.write(c, { col: c.key, href, op: 'put', data, contentType, etag });
  }

  async remove(c: Collection, href: string, etag: string | null): Promise<void> {
    await this.write(c, { col: c.key, href, op: 'delete', etag });
  }

  /**
   * Writes to one object go one after another, and each shows as soon as the server has taken
   * it: a PUT's copy is laid over the server's version (`sending`) from its answer until the sync
   * after it is in, however long that sync takes. A change made on that copy (its If-Match is the
   * copy's tag) waits for the write before it and is then sent with If-Match of the version that
   * write left on the server: two quick edits of one object (save, then complete) are two writes
   * in a row, not a false 412 on an ETag the first one replaced (RFC 9110 §13.1.1). A change made
   * on the version before (while the first was on its way) keeps its If-Match: it does not hold
   * the first change, and a 412 says so rather than undoing it.
   */
  private async write(c: Collection, change: OutboxChange): Promise<void> {
    const before = this.sending.get(objectKey(c, change.href));
    let known = (): void => undefined;
    const ready = new Promise<void>((resolve) => (known = resolve));
    const flight: Sending = { entry: { id: --this.sendSeq, ...change }, took: false, settled: ready, ready };
    this.sending.set(objectKey(c, change.href), flight);
    flight.settled = this.writeAfter(c, flight, before, known);
    void flight.settled.then(known, known);
    await flight.settled;
  }

  private async writeAfter(
    c: Collection,
    flight: Sending,
    before: Sending | undefined,
    known: () => void,
  ): Promise<void> {
    const { entry } = flight;
    try {
      let change: OutboxChange = entry;
      if (before) {
        await before.ready;
        if (entry.etag !== null && entry.etag === pendingTag(before.entry)) {
          const now = this.serverVersion(c, entry.href);
          change = { ...entry, etag: before.took && now ? now.etag : before.entry.etag };
        }
      }
      if (this.outbox.size === 0) {
        let sent = false;
        let etag: string | undefined | void;
        try {
          etag = await this.send(c, change);
          sent = true;
        } catch (err) {
          if (!isNetworkFailure(err)) throw err;
        }
        if (sent) {
          flight.took = true;
          // The copy goes over what was shown (overlay), and what the server now holds beneath it.
          this.overlay(c);
          const beneath = this.beneathOf(c);
          if (change.op === 'delete') {
            c.objects.delete(change.href);
            beneath.delete(change.href);
          } else {
            // No ETag when the server changed what it stored (RFC 4791 §5.3.4): the sync below brings it.
            beneath.set(change.href, { href: change.href, etag: etag || pendingTag(entry), data: change.data ?? '' });
            if (etag) known();
          }
          this.emit({ kind: 'objects', collection: c });
          await this.sync(c).catch((err: unknown) => {
            if (!isNetworkFailure(err)) throw err;
          });
          return;
        }
      }
      await this.outbox.add(change);
      this.outboxMoved();
      this.scheduleFlush();
    } finally {
      this.land(c, flight);
    }
  }

  /**
   * Resolves once no write to the object is on its way (each settles after the sync that follows
   * it): a change computed from the object as shown then (the Complete box of a task) is made on
   * the version the writes left, not on the one they replace (a false 412, or the first change
   * undone).
   */
  async afterWrites(c: Collection, href: string): Promise<void> {
    const key = objectKey(c, href);
    for (let f = this.sending.get(key); f; f = this.sending.get(key)) await f.settled.catch(() => undefined);
  }

  /** A write has settled: the server's version (or the outbox's copy) shows instead of its copy. */
  private land(c: Collection, flight: Sending): void {
    const key = objectKey(c, flight.entry.href);
    if (this.sending.get(key) === flight) this.sending.delete(key);
    this.overlay(c);
    this.emit({ kind: 'objects', collection: c });
  }

  /** What the server last said of an object, also while a copy of a change shows over it. */
  private serverVersion(c: Collection, href: string): StoredObject | undefined {
    const shown = c.objects.get(href);
    return shown?.pending || shown?.sending ? this.beneathOf(c).get(href) : shown;
  }

  private beneathOf(c: Collection): Map<string, StoredObject> {
    let beneath = this.beneath.get(c);
    if (!beneath) this.beneath.set(c, (beneath = new Map()));
    return beneath;
  }

  /** Sends one change; a PUT's answer is the new ETag when the server gave one. */
  private send(c: Collection, e: OutboxChange): Promise<string | undefined | void> {
    return e.op === 'put'
      ? c.source.client.put(e.href, e.data ?? '', e.contentType ?? 'application/octet-stream', e.etag)
      : c.source.client.delete(e.href, e.etag);
  }

  /**
   * The outbox's changes of a collection laid over what the server last said. What a pending
   * copy covers is kept beneath it: when the change has been sent the server's version shows
   * again, also when a sync brought that version in before the send ended (then no later sync
   * reports it). Returns whether anything shown changed.
   */
  private overlay(c: Collection): boolean {
    const waiting = this.outbox.forCollection(c.key);
    const sending = [...this.sending.values()]
      .filter((f) => f.took)
      .map((f) => f.entry)
      .filter((e) => e.col === c.key && e.op === 'put' && !waiting.some((w) => w.href === e.href));
    const beneath = this.beneathOf(c);
    const covered = new Set([...waiting, ...sending].map((e) => e.href));
    let moved = false;
    for (const [k, o] of c.objects) {
      if (!(o.pending || o.sending) || covered.has(k)) continue;
      const under = beneath.get(k);
      if (under) c.objects.set(k, under);
      else c.objects.delete(k);
      beneath.delete(k);
      moved = true;
    }
    for (const e of [...sending, ...waiting]) {
      if (e.op === 'delete') {
        for (const k of [...c.objects.keys()]) if (sameHref(k, e.href)) c.objects.delete(k);
        continue;
      }
      const shown = c.objects.get(e.href);
      if (shown && !shown.pending && !shown.sending) beneath.set(e.href, shown);
      const copy = { href: e.href, etag: pendingTag(e), data: e.data ?? '' };
      c.objects.set(e.href, waiting.includes(e) ? { ...copy, pending: true } : { ...copy, sending: true });
    }
    return moved;
  }

  /**
   * Send the waiting changes in the order they were made. A network failure stops the round and
   * retries later (0.5 s, doubling to a minute; at once on the online event or a reconnect of
   * the notice stream). A 412 drops the change and tells `onReplayRefused` (the usual "Changed
   * elsewhere" dialog); any other refusal drops it too, with its reason; a 401 keeps everything.
   */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      const touched = new Set<Collection>();
      try {
        for (const e of [...this.outbox.list()]) {
          const c = this.collections.find((x) => x.key === e.col);
          if (!c) continue; // its server is not loaded yet
          try {
            await this.send(c, e);
          } catch (err) {
            if (await this.alreadyApplied(c, e, err)) {
              await this.outbox.remove(e.id);
              touched.add(c);
              continue;
            }
            if (isNetworkFailure(err) || (err instanceof DavHttpError && err.status === 401)) {
              this.scheduleFlush(this.retryMs);
              this.retryMs = Math.min(this.retryMs * 2, 60_000);
              return;
            }
            await this.outbox.remove(e.id);
            touched.add(c);
            const reload = async (): Promise<void> => {
              await this.sync(c);
            };
            if (err instanceof DavHttpError) this.onReplayRefused(err, e, reload);
            else throw err;
            continue;
          }
          await this.outbox.remove(e.id);
          touched.add(c);
        }
        this.retryMs = 500;
      } finally {
        this.flushing = undefined;
        this.outboxMoved();
        for (const c of touched) void this.sync(c).catch((err: unknown) => console.error(err));
      }
    })();
    return this.flushing;
  }

  /**
   * A PUT refused with 412 whose exact bytes the server already holds was sent before: an earlier
   * attempt reached the server but its answer was lost (the network went away mid-request), so
   * the conditional request cannot match a second time (RFC 9110 §13.1.1–13.1.2). That is not a
   * conflict; anything else on the server is.
   */
  private async alreadyApplied(c: Collection, e: OutboxEntry, err: unknown): Promise<boolean> {
    if (e.op !== 'put' || !(err instanceof DavHttpError) || err.status !== 412) return false;
    try {
      return (await c.source.client.get(e.href))?.data === e.data;
    } catch {
      return false;
    }
  }

  private outboxMoved(): void {
    this.onOutbox(this.outbox.size);
  }

  private scheduleFlush(ms = 0): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      if (navigator.onLine !== false) void this.flush();
    }, ms);
  }

  /** A new member's href: the UID, made safe for a path segment, with the type's suffix. */
  static memberHref(c: Collection, uid: string, ext: '.ics' | '.vcf'): string {
    const safe = uid.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || crypto.randomUUID();
    return `${hrefPath(c.dav.href)}${safe}${ext}`;
  }

  /** A new collection's href in a home. */
  static childHref(home: string, name: string): string {
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40) || 'collection';
    return `${hrefPath(home).replace(/\/?$/, '/')}${slug}-${Math.random().toString(36).slice(2, 8)}/`;
  }
}
