/**
 * Public read-only links to a calendar (issue #17 item 7): a secret token of 256 random bits
 * names the calendar in `/public/calendars/TOKEN.ics`. Like CalendarServer's and Nextcloud's
 * "publish" (calendarserver-sharing's CS:can-be-published), one link per calendar; publishing
 * again keeps it, unpublishing ends it, and a new link replaces the old one.
 *
 * Kept in the store's kv table, so every node sees a revocation on the next request: under
 * `public-calendar` the SHA-256 of the token (never the token) names the calendar; under
 * `public-calendar-of` the calendar names that hash and the token *sealed* with the server key,
 * so its owner can copy the link again while a leaked database holds no usable link.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';

const BY_TOKEN = 'public-calendar';
const BY_CALENDAR = 'public-calendar-of';

/** Seals a token for storage and opens it again (AES-GCM with the server key, in http/app/secret.ts). */
export interface TokenSealer {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

interface ByToken {
  readonly c: number;
  readonly o: number;
}

interface ByCalendar {
  readonly h: string;
  readonly s: string;
  readonly at: number;
}

/** A calendar's public link: its token (null when the server key no longer opens it) and when it was made. */
export interface PublicLink {
  readonly token: string | null;
  readonly createdAt: number;
}

/** A token is 43 base64url characters (32 bytes); anything else is never looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const aadOf = (calendar: Resource): string => `public-calendar:${calendar.id}`;
const lockOf = (calendar: Resource): string => `public-calendar:${calendar.id}`;

function parse<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Only a user's own calendars (not subscriptions or birthdays, which hold others' data) may be published. */
export function canPublish(user: User, calendar: Resource): boolean {
  return calendar.collectionType === 'calendar' && calendar.ownerId === user.id && calendar.derived === null;
}

export async function publicLinkOf(store: Store, sealer: TokenSealer, calendar: Resource): Promise<PublicLink | null> {
  const entry = parse<ByCalendar>(await store.getValue(BY_CALENDAR, String(calendar.id), Date.now()));
  if (!entry) return null;
  try {
    return { token: sealer.open(entry.s, aadOf(calendar)), createdAt: entry.at };
  } catch {
    return { token: null, createdAt: entry.at };
  }
}

/** Publish `calendar`: its existing link, or a new one (`renew`: always a new one, the old link ends). */
export async function publishCalendar(
  store: Store,
  sealer: TokenSealer,
  calendar: Resource,
  renew = false,
): Promise<PublicLink> {
  return store.transaction([lockOf(calendar)], async (tx) => {
    const old = parse<ByCalendar>(await tx.getValue(BY_CALENDAR, String(calendar.id), Date.now()));
    if (old && !renew) {
      try {
        return { token: sealer.open(old.s, aadOf(calendar)), createdAt: old.at };
      } catch {
        // The server key changed: the old link cannot be shown, so it is replaced.
      }
    }
    if (old) await tx.deleteValue(BY_TOKEN, old.h);
    const token = randomBytes(32).toString('base64url');
    const at = Date.now();
    const byToken: ByToken = { c: calendar.id, o: calendar.ownerId };
    const byCalendar: ByCalendar = { h: hashOf(token), s: sealer.seal(token, aadOf(calendar)), at };
    await tx.setValue(BY_TOKEN, byCalendar.h, JSON.stringify(byToken), null);
    await tx.setValue(BY_CALENDAR, String(calendar.id), JSON.stringify(byCalendar), null);
    return { token, createdAt: at };
  });
}

/** End `calendar`'s public link; false when it had none. */
export async function unpublishCalendar(store: Store, calendar: Resource): Promise<boolean> {
  return store.transaction([lockOf(calendar)], async (tx) => {
    const old = parse<ByCalendar>(await tx.getValue(BY_CALENDAR, String(calendar.id), Date.now()));
    if (!old) return false;
    await tx.deleteValue(BY_TOKEN, old.h);
    await tx.deleteValue(BY_CALENDAR, String(calendar.id));
    return true;
  });
}

/**
 * The calendar a token names, or null: read from the store on every request (so a revocation
 * on any node holds at once), and only while the calendar still exists, is its owner's and
 * still names this token (ids are never reused: AUTOINCREMENT / BIGSERIAL).
 */
export async function publishedCalendar(store: Store, token: string): Promise<Resource | null> {
  if (!TOKEN.test(token)) return null;
  const hash = hashOf(token);
  const entry = parse<ByToken>(await store.getValue(BY_TOKEN, hash, Date.now()));
  if (!entry) return null;
  const calendar = await store.getResourceById(entry.c);
  if (!calendar || calendar.collectionType !== 'calendar' || calendar.ownerId !== entry.o) return null;
  const back = parse<ByCalendar>(await store.getValue(BY_CALENDAR, String(calendar.id), Date.now()));
  if (back?.h !== hash) return null;
  return calendar;
}
