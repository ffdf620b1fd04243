import { elements, firstChild, textOf, type XmlElement } from '../../xml/element.js';
import { dav, webdavPush } from '../../xml/names.js';
import type { PushDepth } from '../../store/capabilities/push.js';
import { checkWebPushSubscription } from '../../domain/push/web-push-subscription.js';
import { DavError } from '../core/errors.js';
import { CONTENT_DEPTH, PROPERTY_DEPTH } from './properties/supported-triggers.js';

/** A `push-register` body (draft-bitfire-webdav-push § Subscription Registration), checked and typed. */
export interface PushRegisterRequest {
  readonly pushResource: URL;
  readonly publicKey: string;
  readonly authSecret: string;
  readonly contentEncoding: 'aes128gcm';
  /** Granted depths after the server's downgrade; null = that trigger is not registered. */
  readonly contentDepth: PushDepth | null;
  readonly propertyDepth: PushDepth | null;
  /** The requested expiry, ms since epoch; null = none asked (or not an HTTP date). */
  readonly expires: number | null;
}

const invalid = (why: string): DavError => DavError.condition('push:invalid-subscription', why);

/** The text of `parent`'s first `name` child; '' when there is none. */
function childText(parent: XmlElement, name: string): string {
  const c = firstChild(parent, name);
  return c ? textOf(c).trim() : '';
}

function depthOf(trigger: XmlElement): PushDepth | null {
  const v = childText(trigger, dav('depth')).toLowerCase();
  return v === '0' || v === '1' || v === 'infinity' ? v : null;
}

/** The lower of the requested depth and the deepest supported one (§ Content Updates: fall back). */
function downgrade(requested: PushDepth | null, deepest: PushDepth): PushDepth {
  if (requested === null) return deepest;
  const order: PushDepth[] = ['0', '1', 'infinity'];
  return order.indexOf(requested) <= order.indexOf(deepest) ? requested : deepest;
}

/**
 * The triggers granted. No `trigger` at all means a content update to depth 1: DAVx5 before
 * 4.5.20 sends none (bitfireAT/davx5-ose#2859; a server refusing it broke push, xandikos#716).
 * A `trigger` naming nothing this server supports is refused with no-supported-trigger.
 */
function triggers(root: XmlElement): Pick<PushRegisterRequest, 'contentDepth' | 'propertyDepth'> {
  const trigger = firstChild(root, webdavPush('trigger'));
  if (!trigger) return { contentDepth: CONTENT_DEPTH, propertyDepth: null };
  const content = firstChild(trigger, webdavPush('content-update'));
  const property = firstChild(trigger, webdavPush('property-update'));
  if (!content && !property) {
    throw DavError.condition('push:no-supported-trigger', 'the trigger names no update this server announces');
  }
  return {
    contentDepth: content ? downgrade(depthOf(content), CONTENT_DEPTH) : null,
    propertyDepth: property ? downgrade(depthOf(property), PROPERTY_DEPTH) : null,
  };
}

/** Parse and check a push-register body; `allowLoopbackHttp` is the test-only allowance. */
export function parsePushRegister(root: XmlElement | null, allowLoopbackHttp: boolean): PushRegisterRequest {
  if (root?.name !== webdavPush('push-register')) throw DavError.badRequest('expected a push-register body');
  const subs = elements(root, webdavPush('subscription'));
  const web = subs.length === 1 && subs[0] ? elements(subs[0], webdavPush('web-push-subscription')) : [];
  const sub = web.length === 1 ? web[0] : undefined;
  if (!sub) throw invalid('exactly one subscription with one web-push-subscription is required');
  const checked = checkWebPushSubscription(
    childText(sub, webdavPush('push-resource')),
    childText(sub, webdavPush('subscription-public-key')),
    childText(sub, webdavPush('auth-secret')),
    allowLoopbackHttp,
  );
  if ('error' in checked) throw invalid(checked.error);
  const encoding = firstChild(sub, webdavPush('content-encoding'));
  // No content-encoding means aes128gcm (the only one defined; DAVx5 before 4.5.20 sends none).
  if (encoding && textOf(encoding).trim().toLowerCase() !== 'aes128gcm') {
    throw invalid('content-encoding must be aes128gcm');
  }
  const expires = Date.parse(childText(root, webdavPush('expires')));
  return {
    pushResource: checked.endpoint,
    publicKey: checked.publicKey,
    authSecret: checked.authSecret,
    contentEncoding: 'aes128gcm',
    ...triggers(root),
    expires: Number.isNaN(expires) ? null : expires,
  };
}
