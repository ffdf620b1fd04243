/**
 * The checks every Web Push subscription passes before the server stores it, whether it comes
 * in a WebDAV-Push `push-register` (dav/push/push-register-xml.ts) or from the web app's own
 * PushManager (http/app/browser-push-api.ts): one policy for both.
 */

export interface CheckedSubscription {
  readonly endpoint: URL;
  /** Uncompressed P-256 point, base64url without padding. */
  readonly publicKey: string;
  /** 16 octets, base64url without padding. */
  readonly authSecret: string;
}

/** base64url (padding tolerated) → bytes; null when it is not base64url. */
function base64url(text: string): Buffer | null {
  const t = text.trim().replace(/=+$/, '');
  return /^[A-Za-z0-9_-]+$/.test(t) ? Buffer.from(t, 'base64url') : null;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];
/** A push resource longer than this is not a real one (browsers' are under 500 characters). */
const MAX_ENDPOINT = 2048;

/**
 * The subscription, checked; or why it is refused. RFC 8030 §8: the push resource is HTTP over
 * TLS (`allowLoopbackHttp` is the tests' allowance: plain HTTP on loopback), without
 * credentials. Private and loopback addresses are refused when a message is sent
 * (http/push-transport.ts judges the address it connects to), which drops the subscription.
 * RFC 8291 §3.1–3.2: an uncompressed P-256 public key (65 octets, 0x04 first) and a 16-octet
 * authentication secret.
 */
export function checkWebPushSubscription(
  endpoint: string,
  publicKey: string,
  authSecret: string,
  allowLoopbackHttp: boolean,
): CheckedSubscription | { readonly error: string } {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return { error: 'the push resource is not an absolute URL' };
  }
  if (endpoint.length > MAX_ENDPOINT) return { error: 'the push resource is too long' };
  const loopback = LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(allowLoopbackHttp && loopback && url.protocol === 'http:')) {
    return { error: 'the push resource must be an https URL' };
  }
  if (url.username || url.password) return { error: 'the push resource must not carry credentials' };
  const key = base64url(publicKey);
  if (!key || key.length !== 65 || key[0] !== 4) return { error: 'the public key is not a P-256 public key' };
  const auth = base64url(authSecret);
  if (!auth || auth.length !== 16) return { error: 'the auth secret must be 16 octets, base64url' };
  return { endpoint: url, publicKey: key.toString('base64url'), authSecret: auth.toString('base64url') };
}
