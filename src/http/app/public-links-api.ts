/**
 * The web app's public links to calendars (issue #17 item 7), for the owner of each calendar:
 *
 *   GET /app/public-links?href=HREF        {published, path, createdAt}; path is null when unpublished
 *                                           (or when the server key no longer opens the stored token)
 *   PUT /app/public-links {href, published, renew?}
 *                                           publish (the existing link, or a new one with renew) or revoke
 *
 * `path` is `/public/calendars/TOKEN.ics` (http/public-calendar-route.ts); the app prefixes its
 * own origin. Only the owner's own calendars (not subscriptions, birthdays or instances shared
 * with them) can be published; anything else is 404, as for a calendar that does not exist.
 */
import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import { storePathOfUri } from '../../dav/core/paths.js';
import {
  canPublish,
  publicLinkOf,
  publishCalendar,
  unpublishCalendar,
  type PublicLink,
} from '../../domain/publishing/public-links.js';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { publicPath } from '../public-calendar-path.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';
import { keySealer } from './secret.js';

const PATH = '/app/public-links';

function view(link: PublicLink | null): Record<string, unknown> {
  return {
    published: link !== null,
    path: link?.token ? publicPath(link.token) : null,
    createdAt: link?.createdAt ?? null,
  };
}

export class PublicLinksApi {
  constructor(
    private readonly store: Store,
    private readonly key: () => Buffer,
  ) {}

  handles(path: string): boolean {
    return path === PATH;
  }

  async route(req: IncomingMessage, user: User): Promise<DavResponse> {
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      const href = new URL(req.url ?? '', 'http://x').searchParams.get('href') ?? '';
      const calendar = await this.calendar(user, str(href, 'href'));
      return json(200, view(await publicLinkOf(this.store, keySealer(this.key()), calendar)));
    }
    if (method === 'PUT') {
      const body = await readJson(req);
      const calendar = await this.calendar(user, str(body.href, 'href'));
      if (typeof body.published !== 'boolean') return problem(400, 'published (true or false) is required');
      if (!body.published) {
        await unpublishCalendar(this.store, calendar);
        return json(200, view(null));
      }
      return json(200, view(await publishCalendar(this.store, keySealer(this.key()), calendar, body.renew === true)));
    }
    return problem(405, 'method not allowed');
  }

  private async calendar(user: User, href: string): Promise<Resource> {
    let path: string | null;
    try {
      path = storePathOfUri(href);
    } catch {
      path = null;
    }
    const calendar = path ? await this.store.getResource(path) : null;
    if (!calendar || !canPublish(user, calendar)) throw new HttpProblem(404, 'no such calendar of yours');
    return calendar;
  }
}
