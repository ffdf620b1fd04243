/**
 * Connect a device in one step (issue #19): each request makes a fresh app password (scope
 * CalDAV/CardDAV) named for the device, and hands it over in the form that device takes.
 *
 *   POST /app/onboarding/apple  {device}  → 200 an Apple configuration profile (.mobileconfig,
 *                                           unsigned) with a CalDAV and a CardDAV account
 *   POST /app/onboarding/davx5  {device}  → 201 {url, qr, password, id}: a DAVx5 setup URL and
 *                                           its QR code (PNG data URL)
 *
 * DAVx5 (manual, "Integration": implicit intents) opens its login screen for `davx5://` URLs,
 * which it rewrites to https://, and for `caldav://` (rewritten to http://) and `caldavs://`,
 * with the user name and password in the URL's user info. A server reached over plain HTTP gets
 * the `caldav://` form, since `davx5://` would always mean https.
 * The password is shown once (in the profile or the QR code); revoking it in the Account dialog
 * disconnects that device alone.
 */
import type { IncomingMessage } from 'node:http';
import QRCode from 'qrcode';
import type { DavResponse } from '../../dav/core/context.js';
import { DAV_ROOT } from '../../dav/index.js';
import { createAppPassword } from '../../domain/accounts/app-passwords.js';
import { UserInputError } from '../../domain/users.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { json, problem, readJson, str } from './http-util.js';
import { appleProfile } from './mobileconfig.js';

const PREFIX = '/app/onboarding/';

/** `davx5://user:password@host[:port]/dav/` (https) or `caldav://…` (plain http). */
export function davx5Url(origin: string, userName: string, password: string): string {
  const url = new URL(origin);
  const scheme = url.protocol === 'https:' ? 'davx5' : 'caldav';
  // RFC 3986 §3.2.1: user info is percent-encoded; a user name may hold '@'.
  const userInfo = `${encodeURIComponent(userName)}:${encodeURIComponent(password)}`;
  return `${scheme}://${userInfo}@${url.host}${DAV_ROOT}/`;
}

export class OnboardingApi {
  constructor(private readonly store: Store) {}

  handles(path: string): boolean {
    return path.startsWith(PREFIX);
  }

  /** `origin`: `scheme://host[:port]` the browser reached us at (well-known.ts requestOrigin). */
  async route(req: IncomingMessage, path: string, user: User, origin: string | undefined): Promise<DavResponse> {
    const kind = path.slice(PREFIX.length);
    if (req.method !== 'POST' || (kind !== 'apple' && kind !== 'davx5')) return problem(404, 'not found');
    if (!origin) return problem(400, 'the Host header does not name this server');
    try {
      const device = str((await readJson(req)).device, 'device name', 100).trim();
      const made = await this.store.transaction([`app-passwords:${user.id}`], (tx) =>
        createAppPassword(tx, { userId: user.id, name: device, scopes: ['dav'] }),
      );
      if (kind === 'apple') return this.profile(origin, user, device, made.password);
      const url = davx5Url(origin, user.name, made.password);
      const png = await QRCode.toDataURL(url, { margin: 2, errorCorrectionLevel: 'M', width: 320 });
      return json(201, { id: made.appPassword.id, url, qr: png, password: made.password });
    } catch (err) {
      if (err instanceof UserInputError) return problem(400, err.message);
      throw err;
    }
  }

  private profile(origin: string, user: User, device: string, password: string): DavResponse {
    const body = appleProfile({
      origin,
      userName: user.name,
      password,
      device,
      principalPath: `${DAV_ROOT}/principals/users/${encodeURIComponent(user.name)}/`,
    });
    const file = `${user.name.replace(/[^A-Za-z0-9._-]/g, '_')}.mobileconfig`;
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/x-apple-aspen-config; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file}"`,
        'Cache-Control': 'no-store',
      },
      body,
    };
  }
}
