import { randomBytes } from 'node:crypto';
import { IcalError } from '../../formats/ical/errors.js';
import { decodeCalendarText } from '../../formats/ical/parse.js';
import { splitCalendarTextWork, type SplitCalendars } from '../../formats/ical/split.js';
import type { Store, StoreTx } from '../../store/store.js';
import type { CalendarSubscription, DeadProperty, Resource, User } from '../../store/types.js';
import { el, textOf } from '../../xml/element.js';
import { parseXml } from '../../xml/parse.js';
import { appleIcal, caldav, dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import { replaceMembers, type ReplaceOutcome, type WantedMember } from '../calendar/derived-members.js';
import { objectName } from '../calendar/object-name.js';
import { contentEtag } from '../etag.js';
import { prepareCalendarObject, UidConflict } from '../calendar/object.js';
import { calendarSettings, limitsWithin, MAX_RESOURCE_SIZE } from '../calendar/settings.js';
import { runSliced } from '../cooperative.js';
import { homePaths, UserInputError } from '../users.js';
import { FeedError, type FeedAnswer, type FeedFetcher } from './feed-fetcher.js';
import { feedUrl, refreshSeconds } from './settings.js';
import { areaKeys } from '../objects/lock-keys.js';

/** At most this many objects (UIDs) are taken from one feed; a larger feed is refused. */
const MAX_FEED_OBJECTS = 20_000;
/** Subscriptions one user may have: each is fetched by the server at least every 7 days. */
export const MAX_SUBSCRIPTIONS_PER_USER = 50;
/** How long a node holds a feed's fetch lease: longer than a fetch and its write can take. */
const LEASE_MS = 5 * 60_000;
/** After a failure the feed is tried again after this long, or its interval if that is shorter. */
const RETRY_MS = 15 * 60_000;
/** The components a subscribed calendar takes (feeds carry events, tasks and journals). */
const FEED_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL'];
const ORIGIN = 'subscription';

export interface SubscribeInput {
  readonly url: string;
  readonly name?: string | undefined;
  readonly color?: string | undefined;
  /** A duration (`PT1H`) or seconds; see settings.ts. */
  readonly refresh?: string | undefined;
}

function property(name: string, value: ReturnType<typeof el> | string): DeadProperty {
  return { name, xml: serializeXml(el(name, {}, value), false) };
}

/** The dead properties a new subscription's calendar starts with. */
function initialProperties(url: URL, name: string, color: string | undefined): DeadProperty[] {
  const props = [
    property(dav('displayname'), name),
    property(caldav('calendar-description'), `Subscription to ${url.toString()} (read-only, refreshed by the server)`),
    {
      name: caldav('supported-calendar-component-set'),
      xml: serializeXml(
        el(
          caldav('supported-calendar-component-set'),
          {},
          ...FEED_COMPONENTS.map((c) => el(caldav('comp'), { name: c })),
        ),
        false,
      ),
    },
  ];
  if (color !== undefined) {
    if (!/^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/.test(color))
      throw new UserInputError(`not a colour: ${color} (use #RRGGBB)`);
    props.push(property(appleIcal('calendar-color'), color));
  }
  return props;
}

/** A collection name from the display name: readable when it can be, unique by a random tail. */
function collectionName(display: string): string {
  const slug = display
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'subscription'}-${randomBytes(4).toString('hex')}`;
}

/**
 * Subscribe `user` to an .ics feed: a read-only calendar collection appears in their calendar
 * home (with the display name, colour and a description naming the source) and the feed is due
 * at once; the scheduler or `refreshSubscription` fills it.
 */
export async function subscribe(
  store: Store,
  user: User,
  input: SubscribeInput,
): Promise<{ collection: Resource; subscription: CalendarSubscription }> {
  const url = feedUrl(input.url);
  const refresh = refreshSeconds(input.refresh);
  const name = input.name?.trim() || url.hostname;
  if (name.length > 200) throw new UserInputError('the name is longer than 200 characters');
  const props = initialProperties(url, name, input.color);
  const home = homePaths(user.name).calendars;
  return store.transaction([home], async (tx) => {
    if ((await tx.listSubscriptions(user.id)).length >= MAX_SUBSCRIPTIONS_PER_USER) {
      throw new UserInputError(
        `at most ${MAX_SUBSCRIPTIONS_PER_USER} subscriptions per user; unsubscribe from one first`,
      );
    }
    const collection = await tx.createCollection(`${home}/${collectionName(name)}`, {
      ownerId: user.id,
      collectionType: 'calendar',
      derived: 'subscription',
    });
    await tx.patchProperties(collection.id, props, []);
    const subscription: CalendarSubscription = {
      collectionId: collection.id,
      ownerId: user.id,
      url: url.toString(),
      refreshSeconds: refresh,
      etag: null,
      lastModified: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      nextRefreshAt: Date.now(),
    };
    await tx.putSubscription(subscription);
    return { collection, subscription };
  });
}

export type RefreshOutcome =
  | { readonly status: 'busy' | 'gone' }
  | { readonly status: 'not-modified' }
  | ({ readonly status: 'updated'; readonly skipped: number } & ReplaceOutcome)
  | { readonly status: 'failed'; readonly error: string };

interface PreparedFeed {
  readonly wanted: Map<string, WantedMember>;
  /** Names of objects whose new version was refused: their old version is kept. */
  readonly refused: Set<string>;
  /** Names of objects whose bytes are those stored: left alone. */
  readonly same: Set<string>;
  readonly skipped: string[];
  /** The feed's own name (X-WR-CALNAME), if it gives one. */
  readonly calendarName: string | null;
}

/**
 * A subscription made without a name is called after the feed's host until the feed names
 * itself (X-WR-CALNAME, which Apple, Google and Outlook feeds carry); a name the user gave or
 * changed since is kept.
 */
async function adoptFeedName(tx: StoreTx, coll: Resource, url: string, feedName: string | null): Promise<void> {
  if (feedName === null) return;
  const current = (await tx.getProperties(coll.id)).find((p) => p.name === dav('displayname'));
  if (!current || textOf(parseXml(current.xml)).trim() !== new URL(url).hostname) return;
  await tx.patchProperties(coll.id, [property(dav('displayname'), feedName)], []);
}

/** Parse, split per UID and check every object with the rules a PUT meets (outside any transaction). */
async function prepareFeed(
  store: Store,
  collection: Resource,
  body: Uint8Array,
  contentType: string | null,
): Promise<PreparedFeed> {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (essence === 'text/html' || essence === 'application/xhtml+xml')
    throw new FeedError(`not iCalendar: the server answered ${essence}`);
  let split: SplitCalendars;
  try {
    const text = decodeCalendarText(body);
    if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new FeedError('not iCalendar (no BEGIN:VCALENDAR)');
    // Cut per UID on the text (formats/ical/split.ts), in slices: a feed may hold far more
    // components than one object may; each object is parsed and checked once, when it is prepared below.
    split = await runSliced(splitCalendarTextWork(text));
  } catch (err) {
    if (err instanceof IcalError) throw new FeedError(`invalid iCalendar: ${err.message}`);
    throw err;
  }
  const { objects, skipped } = split;
  if (objects.length > MAX_FEED_OBJECTS)
    throw new FeedError(`the feed holds ${objects.length} objects, more than ${MAX_FEED_OBJECTS}`);
  const limits = limitsWithin(await calendarSettings(store, collection), MAX_RESOURCE_SIZE);
  const wanted = new Map<string, WantedMember>();
  const refused = new Set<string>();
  const same = new Set<string>();
  const problems = skipped.map((s) => `${s.what}: ${s.reason}`);
  // What is stored was checked when it was written: an object whose bytes did not change is
  // neither checked nor written again (the bytes stored are the bytes split out of the feed).
  const stored = new Map(
    (await store.listChildren(collection.id)).map((m) => [m.path.slice(collection.path.length + 1), m.etag]),
  );
  for (const o of objects) {
    const name = objectName(o.uid);
    const path = `${collection.path}/${name}`;
    const bytes = new TextEncoder().encode(o.text);
    if (stored.get(name) === contentEtag(bytes)) {
      same.add(name);
      continue;
    }
    try {
      const p = await prepareCalendarObject(store, collection, path, bytes, 'text/calendar', limits);
      wanted.set(name, { body: p.body, index: p.index });
    } catch (err) {
      if (!(err instanceof IcalError) && !(err instanceof UidConflict)) throw err;
      refused.add(name);
      problems.push(`UID ${o.uid}: ${err.message}`);
    }
  }
  return {
    wanted,
    refused,
    same,
    skipped: problems,
    calendarName: split.calendarName?.slice(0, 200) ?? null,
  };
}

function failureText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, 500);
}

/**
 * Fetch one subscription's feed and make its calendar match it, in one store transaction.
 * Several nodes (PostgreSQL) share the work through the fetch lease: whoever holds it fetches,
 * the others skip the feed. A failure (unreachable, refused address, HTTP error, too large, not
 * iCalendar) is recorded as the last error and keeps the calendar as it was.
 */
/** Ends a refresh: writes the subscription's next state (and maybe the members) and gives up the lease. */
type FinishRefresh = (
  next: (current: CalendarSubscription) => CalendarSubscription,
  write?: (tx: StoreTx, c: Resource) => Promise<ReplaceOutcome>,
) => Promise<ReplaceOutcome | null>;

function leaseFinisher(store: Store, area: string, collectionId: number, holder: string): FinishRefresh {
  return async (next, write) =>
    store.transaction([area], async (tx) => {
      const current = await tx.getSubscription(collectionId);
      const coll = await tx.getResourceById(collectionId);
      if (!current || !coll) return null;
      const outcome = write ? await write(tx, coll) : null;
      await tx.putSubscription(next(current));
      await tx.releaseSubscription(collectionId, holder);
      return outcome;
    });
}

/** The state after a successful fetch at `now`, with the feed's new validators if it changed. */
function succeeded(
  c: CalendarSubscription,
  now: number,
  validators?: { etag: string | null; lastModified: string | null },
): CalendarSubscription {
  return {
    ...c,
    ...(validators ?? {}),
    lastAttemptAt: now,
    lastSuccessAt: now,
    lastError: null,
    nextRefreshAt: now + c.refreshSeconds * 1000,
  };
}

function skippedNote(skipped: readonly string[]): string | null {
  return skipped.length > 0
    ? `${skipped.length} object(s) skipped: ${skipped.slice(0, 3).join('; ')}`.slice(0, 500)
    : null;
}

/** A changed feed: its objects replace the calendar's members. */
async function applyFeed(
  store: Store,
  finish: FinishRefresh,
  sub: CalendarSubscription,
  collection: Resource,
  answer: Extract<FeedAnswer, { kind: 'ok' }>,
  now: number,
): Promise<RefreshOutcome> {
  const feed = await prepareFeed(store, collection, answer.body, answer.contentType);
  const outcome = await finish(
    (c) => ({
      ...succeeded(c, now, { etag: answer.etag, lastModified: answer.lastModified }),
      lastError: skippedNote(feed.skipped),
    }),
    async (tx, coll) => {
      const written = await replaceMembers(
        tx,
        coll,
        feed.wanted,
        ORIGIN,
        (name) => !feed.refused.has(name) && !feed.same.has(name),
      );
      await adoptFeedName(tx, coll, sub.url, feed.calendarName);
      return written;
    },
  );
  if (!outcome) return { status: 'gone' };
  return { status: 'updated', skipped: feed.skipped.length, ...outcome, unchanged: outcome.unchanged + feed.same.size };
}

/**
 * Fetch one subscription's feed and make its calendar match it, in one store transaction.
 * Several nodes (PostgreSQL) share the work through the fetch lease: whoever holds it fetches,
 * the others skip the feed. A failure (unreachable, refused address, HTTP error, too large, not
 * iCalendar) is recorded as the last error and keeps the calendar as it was.
 */
export async function refreshSubscription(
  store: Store,
  fetcher: FeedFetcher,
  collectionId: number,
  holder: string,
): Promise<RefreshOutcome> {
  const start = Date.now();
  const sub = await store.getSubscription(collectionId);
  const collection = await store.getResourceById(collectionId);
  if (!sub || !collection) return { status: 'gone' };
  // The store area key of the collection (its user's calendar home), as every write takes it.
  const [area = collection.path] = areaKeys(collection.path);
  const leased = await store.transaction([area], (tx) =>
    tx.leaseSubscription(collectionId, holder, start, start + LEASE_MS),
  );
  if (!leased) return { status: 'busy' };
  const finish = leaseFinisher(store, area, collectionId, holder);
  try {
    const answer = await fetcher({ url: sub.url, etag: sub.etag, lastModified: sub.lastModified });
    const now = Date.now();
    if (answer.kind !== 'not-modified') return await applyFeed(store, finish, sub, collection, answer, now);
    const done = await finish((c) => succeeded(c, now));
    return done === null && !(await store.getSubscription(collectionId))
      ? { status: 'gone' }
      : { status: 'not-modified' };
  } catch (err) {
    if (!(err instanceof FeedError) && !(err instanceof UserInputError))
      console.error(`subscription ${collection.path}: refresh failed:`, err);
    const error = failureText(err);
    const now = Date.now();
    await finish((c) => ({
      ...c,
      lastAttemptAt: now,
      lastError: error,
      nextRefreshAt: now + Math.min(RETRY_MS, c.refreshSeconds * 1000),
    }));
    return { status: 'failed', error };
  }
}
