import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import { browserPushSettings, setBrowserPushSettings } from '../../domain/push/browser-push-settings.js';
import { checkWebPushSubscription } from '../../domain/push/web-push-subscription.js';
import { loadVapidKeys } from '../../push/index.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';

/** Browsers one user may have subscribed at once (each device and browser profile is one). */
const MAX_BROWSERS_PER_USER = 20;
const SUBSCRIPTION_PATH = /^\/app\/push\/subscriptions\/([A-Za-z0-9_-]{1,64})$/;

/**
 * The web app's own Web Push (issue #18 item 4), all under the session:
 * - `GET /app/push`: the VAPID public key to subscribe with (PushManager.subscribe's
 *   applicationServerKey; the same key WebDAV-Push advertises), the settings and the browsers;
 * - `PUT /app/push/settings {invitations, alarms}`;
 * - `POST /app/push/subscriptions {endpoint, keys: {p256dh, auth}, label}`: one row per
 *   browser (the same endpoint again updates it), checked as a WebDAV-Push registration is,
 *   at most MAX_BROWSERS_PER_USER;
 * - `DELETE /app/push/subscriptions/<id>`: revoke one (any of the user's, from any browser).
 */
export class BrowserPushApi {
  constructor(
    private readonly store: Store,
    private readonly allowLoopbackHttp: boolean,
  ) {}

  handles(path: string): boolean {
    return path === '/app/push' || path.startsWith('/app/push/');
  }

  async route(req: IncomingMessage, path: string, user: User): Promise<DavResponse> {
    const method = req.method ?? 'GET';
    if (path === '/app/push' && method === 'GET') return json(200, await this.view(user));
    if (path === '/app/push/settings' && method === 'PUT') {
      const body = await readJson(req);
      if (typeof body.invitations !== 'boolean' || typeof body.alarms !== 'boolean')
        return problem(400, 'invitations and alarms (true or false) are required');
      const settings = { invitations: body.invitations, alarms: body.alarms };
      await setBrowserPushSettings(this.store, user.id, settings);
      return json(200, settings);
    }
    if (path === '/app/push/subscriptions' && method === 'POST') return this.subscribe(req, user);
    const m = SUBSCRIPTION_PATH.exec(path);
    if (m?.[1] && method === 'DELETE') {
      const id = m[1];
      const gone = await this.store.transaction([`browser-push:${user.id}`], (tx) =>
        tx.deleteBrowserSubscription(id, user.id),
      );
      return gone ? { status: 204, headers: { 'Cache-Control': 'no-store' } } : problem(404, 'no such subscription');
    }
    return problem(this.handles(path) && !m ? 405 : 404, 'not found');
  }

  private async view(user: User): Promise<Record<string, unknown>> {
    const [keys, settings, subs] = await Promise.all([
      loadVapidKeys(this.store),
      browserPushSettings(this.store, user.id),
      this.store.browserSubscriptions(user.id),
    ]);
    return {
      vapidPublicKey: keys.publicKey,
      settings,
      subscriptions: subs.map((s) => ({ id: s.id, label: s.label, endpoint: s.endpoint, createdAt: s.createdAt })),
    };
  }

  private async subscribe(req: IncomingMessage, user: User): Promise<DavResponse> {
    const body = await readJson(req, 8 * 1024);
    const keys = (typeof body.keys === 'object' && body.keys !== null ? body.keys : {}) as Record<string, unknown>;
    const checked = checkWebPushSubscription(
      str(body.endpoint, 'endpoint'),
      str(keys.p256dh, 'keys.p256dh', 200),
      str(keys.auth, 'keys.auth', 100),
      this.allowLoopbackHttp,
    );
    if ('error' in checked) return problem(400, checked.error);
    const label = typeof body.label === 'string' ? body.label.trim().slice(0, 100) : '';
    const result = await this.store.transaction([`browser-push:${user.id}`], async (tx) => {
      const r = await tx.putBrowserSubscription({
        id: randomBytes(12).toString('base64url'),
        userId: user.id,
        endpoint: checked.endpoint.href,
        publicKey: checked.publicKey,
        authSecret: checked.authSecret,
        label,
        createdAt: Date.now(),
      });
      // Counted after the write (under the user's lock key), so a refusal rolls the new one back.
      if (r.created && (await tx.browserSubscriptions(user.id)).length > MAX_BROWSERS_PER_USER)
        throw new HttpProblem(409, `no more than ${MAX_BROWSERS_PER_USER} browsers per user: remove one first`);
      return r;
    });
    return json(result.created ? 201 : 200, { id: result.id });
  }
}
