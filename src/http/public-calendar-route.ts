/**
 * `GET /public/calendars/TOKEN.ics`: a published calendar (issue #17 item 7) as one iCalendar
 * file, without authentication — the token is the credential (domain/publishing/public-links.ts).
 * The token is looked up in the store on every request, so a link ends on every node the moment
 * it is revoked. Conditional GET (RFC 9110 §13.1.2 If-None-Match) answers 304 from one row read;
 * built bodies are kept per entity tag (a few, bounded in bytes). Each token is limited to
 * PUBLIC_RATE requests a minute per node (429 with Retry-After), as a calendar app polls a feed
 * every few minutes at most.
 */
import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../dav/core/response.js';
import { buildPublicFeed, publicFeedEtag, PUBLIC_FEED_LIMITS } from '../domain/publishing/public-feed.js';
import { publishedCalendar } from '../domain/publishing/public-links.js';
import type { Store } from '../store/store.js';
import { PUBLIC_CALENDAR_PREFIX } from './public-calendar-path.js';

/** Requests a minute one token may make on one node. */
const PUBLIC_RATE = 60;
const WINDOW_MS = 60_000;
/** Bodies kept: at most this many, and at most this many bytes together. */
const CACHE_ENTRIES = 16;
const CACHE_BYTES = 64 * 1024 * 1024;
/** Rate windows remembered; past this the oldest are forgotten. */
const MAX_WINDOWS = 10_000;

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
const NOT_FOUND: DavResponse = { status: 404, headers: TEXT, body: 'not found\n' };

/** RFC 9110 §13.1.2: does If-None-Match name this entity tag (weak comparison) or `*`? */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export class PublicCalendars {
  private readonly bodies = new Map<string, string>();
  private bodyBytes = 0;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly store: Store,
    private readonly limits = PUBLIC_FEED_LIMITS,
  ) {}

  handles(path: string): boolean {
    return path.startsWith(PUBLIC_CALENDAR_PREFIX);
  }

  async handle(req: IncomingMessage, path: string): Promise<DavResponse> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD')
      return { status: 405, headers: { ...TEXT, Allow: 'GET, HEAD' }, body: 'method not allowed\n' };
    const m = /^([A-Za-z0-9_-]{43})\.ics$/.exec(path.slice(PUBLIC_CALENDAR_PREFIX.length));
    if (!m?.[1]) return NOT_FOUND;
    const token = m[1];
    const wait = this.overRate(token);
    if (wait > 0)
      return { status: 429, headers: { ...TEXT, 'Retry-After': String(wait) }, body: 'too many requests\n' };
    const calendar = await publishedCalendar(this.store, token);
    if (!calendar) return NOT_FOUND;
    const etag = publicFeedEtag(calendar);
    const headers = {
      ETag: etag,
      // Revalidate every time: a revoked link must not live on in a cache.
      'Cache-Control': 'no-cache',
      'X-Robots-Tag': 'noindex, nofollow',
    };
    if (noneMatch(req.headers['if-none-match'], etag)) return { status: 304, headers };
    let body = this.bodies.get(etag);
    if (body === undefined) {
      const feed = await buildPublicFeed(this.store, calendar, this.limits);
      if ('tooLarge' in feed)
        return { status: 503, headers: TEXT, body: `this calendar is too large to publish (${feed.tooLarge})\n` };
      body = feed.body;
      this.keep(etag, body);
    }
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'inline' },
      body,
    };
  }

  /** Seconds to wait when the token has used its minute, else 0. */
  private overRate(token: string): number {
    const now = Date.now();
    let w = this.windows.get(token);
    if (!w || now - w.start >= WINDOW_MS) {
      this.windows.delete(token);
      if (this.windows.size >= MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
      w = { start: now, count: 0 };
      this.windows.set(token, w);
    }
    w.count += 1;
    return w.count > PUBLIC_RATE ? Math.ceil((w.start + WINDOW_MS - now) / 1000) : 0;
  }

  private keep(etag: string, body: string): void {
    if (body.length > CACHE_BYTES) return;
    this.bodies.set(etag, body);
    this.bodyBytes += body.length;
    while (this.bodies.size > CACHE_ENTRIES || this.bodyBytes > CACHE_BYTES) {
      const [oldest, b] = this.bodies.entries().next().value!;
      this.bodies.delete(oldest);
      this.bodyBytes -= b.length;
    }
  }
}
