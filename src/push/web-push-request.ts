import webpush from 'web-push';
import { encryptPushMessage } from './rfc8291.js';
import type { VapidKeys } from './vapid-keys.js';

/** An encrypted push message ready to POST to a push resource (RFC 8030 §5). */
export interface PushRequest {
  readonly endpoint: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** What a push message is sent with (RFC 8030 §5.2 TTL, §5.3 Urgency, §5.4 Topic). */
export interface PushRequestOptions {
  /** Seconds the push service keeps an undelivered message. */
  readonly ttlSeconds: number;
  readonly urgency: 'very-low' | 'low' | 'normal' | 'high';
  /**
   * A message still undelivered with the same topic is replaced by this one (RFC 8030 §5.4: at
   * most 32 characters of the base64url alphabet). Only for messages whose meaning a later one
   * keeps (draft § Push Message).
   */
  readonly topic?: string;
}

/** How long a VAPID JWT is valid: under the 24 hours RFC 8292 §2 allows. */
const JWT_LIFETIME_S = 12 * 3600;
/** A signed JWT is reused for this long, so one is never used with less than 6 h left. */
const JWT_REUSE_MS = 6 * 3600 * 1000;

/**
 * Builds Web Push requests: the payload encrypted for the user agent's key and secret as RFC
 * 8291 aes128gcm (`rfc8291.ts`), and the VAPID Authorization header signed by the web-push
 * library (RFC 8292: an ES256 JWT for the push service's origin, `k=` the public key). A JWT is
 * signed once per push service origin and reused while it has hours left, so 1,000 messages to
 * one push service cost one signature.
 */
export class WebPushRequests {
  private readonly jwts = new Map<string, { header: string; until: number }>();

  constructor(
    private readonly keys: VapidKeys,
    /** The VAPID `sub` claim: a mailto: or https: contact for the push service's operator. */
    private readonly subject: string,
  ) {}

  private authorization(endpoint: URL, now: number): string {
    const audience = endpoint.origin;
    const cached = this.jwts.get(audience);
    if (cached && cached.until > now) return cached.header;
    const exp = Math.floor(now / 1000) + JWT_LIFETIME_S;
    const h = webpush.getVapidHeaders(
      audience,
      this.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      exp,
    );
    if (this.jwts.size > 1000) this.jwts.clear();
    this.jwts.set(audience, { header: h.Authorization, until: now + JWT_REUSE_MS });
    return h.Authorization;
  }

  /** The request that delivers `payload` to one subscription. */
  build(
    sub: { pushResource: string; publicKey: string; authSecret: string },
    payload: Buffer,
    contentType: string,
    options: PushRequestOptions,
    now = Date.now(),
  ): PushRequest {
    const endpoint = new URL(sub.pushResource);
    const body = encryptPushMessage(sub.publicKey, sub.authSecret, payload);
    const headers: Record<string, string> = {
      Authorization: this.authorization(endpoint, now),
      'Content-Encoding': 'aes128gcm',
      'Content-Type': contentType,
      'Content-Length': String(body.length),
      TTL: String(options.ttlSeconds),
      Urgency: options.urgency,
    };
    if (options.topic !== undefined) headers.Topic = options.topic;
    return { endpoint, body, headers };
  }
}
