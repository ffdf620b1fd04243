import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import { hrefOf } from '../../dav/core/paths.js';
import { birthdaysEnabled, setBirthdaysEnabled } from '../../domain/birthdays/birthday-calendar.js';
import { feedUrl } from '../../domain/subscriptions/settings.js';
import { subscribe } from '../../domain/subscriptions/subscriptions.js';
import { UserInputError } from '../../domain/users.js';
import type { Store } from '../../store/store.js';
import type { CalendarSubscription, User } from '../../store/types.js';
import type { DerivedCalendars } from '../derived-calendars.js';
import { AddressRefused, resolveTarget } from './address-policy.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';

const opt = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;

/**
 * The web app's subscription and birthday settings (issue #13): `GET|POST /app/subscriptions`,
 * `POST /app/subscriptions/refresh`, `GET|PUT /app/birthdays`. Everything else the app does
 * with these calendars (listing, reading, renaming, deleting) is plain CalDAV.
 */
export class SubscriptionsApi {
  constructor(
    private readonly store: Store,
    private readonly derived: DerivedCalendars,
    private readonly allowPrivate: boolean,
  ) {}

  handles(path: string): boolean {
    return path === '/app/subscriptions' || path === '/app/subscriptions/refresh' || path === '/app/birthdays';
  }

  async route(req: IncomingMessage, path: string, user: User): Promise<DavResponse> {
    const method = req.method ?? 'GET';
    try {
      if (path === '/app/subscriptions' && method === 'GET') return json(200, await this.list(user));
      if (path === '/app/subscriptions' && method === 'POST') return await this.create(req, user);
      if (path === '/app/subscriptions/refresh' && method === 'POST') return await this.refresh(req, user);
      if (path === '/app/birthdays' && method === 'GET')
        return json(200, { enabled: await birthdaysEnabled(this.store, user) });
      if (path === '/app/birthdays' && method === 'PUT') {
        const body = await readJson(req);
        if (typeof body.enabled !== 'boolean') return problem(400, 'enabled (true or false) is required');
        await setBirthdaysEnabled(this.store, user, body.enabled);
        return json(200, { enabled: body.enabled });
      }
      return problem(405, 'method not allowed');
    } catch (err) {
      if (err instanceof UserInputError) return problem(400, err.message);
      throw err;
    }
  }

  private async view(s: CalendarSubscription): Promise<Record<string, unknown> | null> {
    const c = await this.store.getResourceById(s.collectionId);
    if (!c) return null;
    return {
      href: hrefOf(c.path, true),
      url: s.url,
      refreshSeconds: s.refreshSeconds,
      lastAttemptAt: s.lastAttemptAt,
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
      nextRefreshAt: s.nextRefreshAt,
    };
  }

  private async list(user: User): Promise<unknown[]> {
    const out = await Promise.all((await this.store.listSubscriptions(user.id)).map((s) => this.view(s)));
    return out.filter((v) => v !== null);
  }

  private async create(req: IncomingMessage, user: User): Promise<DavResponse> {
    const body = await readJson(req);
    const url = feedUrl(str(body.url, 'the calendar address'));
    try {
      // A quick answer for the dialog; every fetch checks again at connect time.
      await resolveTarget(url.hostname, this.allowPrivate);
    } catch (err) {
      if (err instanceof AddressRefused) return problem(403, err.message);
      return problem(400, `cannot resolve ${url.hostname}`);
    }
    const { collection } = await subscribe(this.store, user, {
      url: url.toString(),
      name: opt(body.name, 200),
      color: opt(body.color, 9),
      refresh: opt(body.refresh, 32),
    });
    const outcome = await this.derived.subscriptions.refreshNow(collection.id);
    const sub = await this.store.getSubscription(collection.id);
    return json(201, { ...(sub ? await this.view(sub) : {}), outcome: outcome.status });
  }

  private async refresh(req: IncomingMessage, user: User): Promise<DavResponse> {
    const body = await readJson(req);
    const href = str(body.href, 'href');
    for (const s of await this.store.listSubscriptions(user.id)) {
      const c = await this.store.getResourceById(s.collectionId);
      if (c && hrefOf(c.path, true) === href) {
        const outcome = await this.derived.subscriptions.refreshNow(s.collectionId);
        const now = await this.store.getSubscription(s.collectionId);
        return json(200, { ...(now ? await this.view(now) : {}), outcome: outcome.status });
      }
    }
    throw new HttpProblem(404, 'no such subscription');
  }
}
