import { httpDate } from '../../../formats/http-date.js';
import { webdavPush } from '../../../xml/names.js';
import { randomBytes } from 'node:crypto';
import { requirePrivilege } from '../../acl/privileges.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import type { MethodDef } from '../../core/registry.js';
import { readXmlBody } from '../../core/request.js';
import type { DavResource } from '../../core/resource.js';
import { pushCapable, REGISTRATION_PATH } from '../push-capable.js';
import { parsePushRegister, type PushRegisterRequest } from '../push-register-xml.js';

const DAY_MS = 24 * 3600 * 1000;
/** draft § Expiration: a server SHOULD allow at least three days; more than a week goes stale. */
const MIN_EXPIRY_MS = 3 * DAY_MS;
const MAX_EXPIRY_MS = 7 * DAY_MS;

/** The expiry granted: the one asked for, kept between three and seven days from now. */
function grantedExpiry(asked: number | null, now: number): number {
  const wanted = asked ?? now + MAX_EXPIRY_MS;
  return Math.min(now + MAX_EXPIRY_MS, Math.max(now + MIN_EXPIRY_MS, wanted));
}

/** Store the registration (or update the user's existing one of the same push resource). */
async function register(
  ctx: DavContext,
  collectionId: number,
  req: PushRegisterRequest,
  expiresAt: number,
): Promise<{ id: string; created: boolean }> {
  const max = ctx.settings.push?.maxPerUser ?? 0;
  return ctx.store.transaction([`push:${ctx.user.id}`], async (tx) => {
    const result = await tx.putPushRegistration({
      id: randomBytes(18).toString('base64url'),
      userId: ctx.user.id,
      collectionId,
      pushResource: req.pushResource.href,
      publicKey: req.publicKey,
      authSecret: req.authSecret,
      contentEncoding: req.contentEncoding,
      contentDepth: req.contentDepth,
      propertyDepth: req.propertyDepth,
      createdAt: ctx.now,
      expiresAt,
    });
    // The cap per user: counted after the write, so that a refusal rolls the new one back.
    if (result.created && (await tx.countPushRegistrations(ctx.user.id, ctx.now)) > max) {
      throw DavError.condition('push:push-not-available', `no more than ${max} push registrations per user`);
    }
    return result;
  });
}

/**
 * draft-bitfire-webdav-push § Subscription Registration, § Subscription Updates: POST of a
 * `push-register` body to a Push-capable collection. Answers 201 with the absolute registration
 * URL (Location) and the granted expiry (Expires, IMF-fixdate) for a new registration, 204 with
 * the same headers when the user's registration of that push resource was updated in place.
 */
async function post(ctx: DavContext, r: DavResource | null): Promise<DavResponse> {
  const push = ctx.settings.push;
  if (!push || !r?.stored || !pushCapable(r)) {
    throw DavError.condition('push:push-not-available', 'WebDAV-Push is not offered here');
  }
  requirePrivilege(ctx.user, r, 'read');
  const req = parsePushRegister(await readXmlBody(ctx), push.allowLoopbackHttp);
  const expiresAt = grantedExpiry(req.expires, ctx.now);
  const { id, created } = await register(ctx, r.stored.id, req, expiresAt);
  push.registered?.({ publicKey: req.publicKey, authSecret: req.authSecret });
  return {
    status: created ? 201 : 204,
    headers: {
      Location: `${ctx.origin ?? ''}${REGISTRATION_PATH}${id}`,
      Expires: httpDate(expiresAt),
      'Cache-Control': 'no-store',
    },
  };
}

export const pushRegisterMethod: MethodDef = {
  name: 'POST',
  privilege: 'read',
  allowedOn: pushCapable,
  bodyRoots: [webdavPush('push-register')],
  handle: post,
};
