import { elements, firstChild, textOf, type XmlElement } from '../../xml/element.js';
import { dav, webdavPush } from '../../xml/names.js';
import type { PushDepth } from '../../store/capabilities/push.js';
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

/** base64url (padding tolerated) → bytes; null when it is not base64url. */
function base64url(text: string): Buffer | null {
  const t = text.trim().replace(/=+$/, '');
  return /^[A-Za-z0-9_-]+$/.test(t) ? Buffer.from(t, 'base64url') : null;
}

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

function pushResourceOf(sub: XmlElement, allowLoopbackHttp: boolean): URL {
  const text = childText(sub, webdavPush('push-resource'));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('push-resource is not an absolute URL');
  }
  // RFC 8030 §8 (draft § Web Push): HTTP over TLS only. The test allowance admits plain HTTP on loopback.
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(allowLoopbackHttp && loopback && url.protocol === 'http:')) {
    throw invalid('push-resource must be an https URL');
  }
  if (url.username || url.password) throw invalid('push-resource must not carry credentials');
  return url;
}

/** Parse and check a push-register body; `allowLoopbackHttp` is the test-only allowance. */
export function parsePushRegister(root: XmlElement | null, allowLoopbackHttp: boolean): PushRegisterRequest {
  if (root?.name !== webdavPush('push-register')) throw DavError.badRequest('expected a push-register body');
  const subs = elements(root, webdavPush('subscription'));
  const web = subs.length === 1 && subs[0] ? elements(subs[0], webdavPush('web-push-subscription')) : [];
  const sub = web.length === 1 ? web[0] : undefined;
  if (!sub) throw invalid('exactly one subscription with one web-push-subscription is required');
  const key = base64url(childText(sub, webdavPush('subscription-public-key')));
  // RFC 8291 §3.1: an uncompressed P-256 point, 65 bytes starting 0x04.
  if (!key || key.length !== 65 || key[0] !== 4) throw invalid('subscription-public-key is not a P-256 public key');
  const auth = base64url(childText(sub, webdavPush('auth-secret')));
  // RFC 8291 §3.2: a 16-octet authentication secret.
  if (!auth || auth.length !== 16) throw invalid('auth-secret must be 16 octets, base64url');
  const encoding = firstChild(sub, webdavPush('content-encoding'));
  // No content-encoding means aes128gcm (the only one defined; DAVx5 before 4.5.20 sends none).
  if (encoding && textOf(encoding).trim().toLowerCase() !== 'aes128gcm') {
    throw invalid('content-encoding must be aes128gcm');
  }
  const expires = Date.parse(childText(root, webdavPush('expires')));
  return {
    pushResource: pushResourceOf(sub, allowLoopbackHttp),
    publicKey: key.toString('base64url'),
    authSecret: auth.toString('base64url'),
    contentEncoding: 'aes128gcm',
    ...triggers(root),
    expires: Number.isNaN(expires) ? null : expires,
  };
}
