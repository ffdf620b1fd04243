/**
 * A Web Push service on loopback for the WebDAV-Push tests, and a phone (user agent) that owns
 * subscriptions on it. Independent of the code under test: it checks each request's VAPID JWT
 * (RFC 8292 §2: ES256 over the advertised public key, `aud` = this service's origin, `exp` in
 * the future and at most 24 h away) and decrypts each body by RFC 8291 with Node's crypto only
 * (ECDH P-256, HKDF-SHA-256, AES-128-GCM; RFC 8188 record layout).
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The subscription (push resource path) it was sent to. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The decrypted body. */
  readonly xml: string;
  readonly jwt: { aud: string; exp: number; sub: string };
  /** Date.now() when it arrived. */
  readonly at: number;
}

/** One subscription of the phone: its push resource and its RFC 8291 keys. */
export interface Subscription {
  readonly pushResource: string;
  readonly ecdh: ECDH;
  readonly publicKey: string;
  readonly authSecret: string;
}

const b64u = (b: Buffer): string => b.toString('base64url');

/** RFC 8291 §3.3, §3.4 and RFC 8188 §2: the plaintext of one aes128gcm body, or an exception. */
function decrypt(body: Buffer, sub: Subscription): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (records.length > rs) throw new Error('more than one record');
  const uaPublic = sub.ecdh.getPublicKey();
  const ecdhSecret = sub.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, Buffer.from(sub.authSecret, 'base64url'), keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // RFC 8188 §2: the last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** RFC 8292 §2, §3: check `vapid t=…, k=…` against `vapidKey`; the JWT's claims. */
function checkVapid(authorization: string, vapidKey: string, origin: string): Received['jwt'] {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!m) throw new Error(`not a VAPID Authorization: ${authorization}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== vapidKey) throw new Error('k is not the advertised VAPID key');
  const [head, claims, sig] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string };
  if (header.alg !== 'ES256') throw new Error(`alg ${header.alg}`);
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) throw new Error('the JWT signature does not verify');
  const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Received['jwt'];
  const now = Date.now() / 1000;
  if (c.aud !== origin) throw new Error(`aud ${c.aud} is not ${origin}`);
  if (!(c.exp > now && c.exp <= now + 24 * 3600)) throw new Error(`exp ${c.exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(c.sub)) throw new Error(`sub ${c.sub}`);
  return c;
}

export class PushService {
  readonly received: Received[] = [];
  readonly errors: string[] = [];
  /** Status answered per subscription path (default 201). */
  readonly answers = new Map<string, { status: number; retryAfter?: string }>();
  /** The VAPID key the server advertises; set before messages arrive. */
  vapidKey = '';
  private readonly subs = new Map<string, Subscription>();
  private waiters: (() => void)[] = [];
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<PushService> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const svc = new PushService(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => svc.handle(req.url ?? '', req.headers, Buffer.concat(chunks), res));
    });
    return svc;
  }

  /** A new subscription of the phone on this service (what a UnifiedPush distributor hands out). */
  subscribe(): Subscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const path = `/up/${randomBytes(9).toString('base64url')}`;
    const sub = {
      pushResource: `${this.origin}${path}`,
      ecdh,
      publicKey: b64u(ecdh.getPublicKey()),
      authSecret: b64u(randomBytes(16)),
    };
    this.subs.set(path, sub);
    return sub;
  }

  private handle(
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: { writeHead(s: number, h?: Record<string, string>): void; end(): void },
  ): void {
    const answer = this.answers.get(path) ?? { status: 201 };
    try {
      const sub = this.subs.get(path);
      if (!sub) throw new Error(`unknown subscription ${path}`);
      if (headers['content-encoding'] !== 'aes128gcm')
        throw new Error(`Content-Encoding ${headers['content-encoding']}`);
      const jwt = checkVapid(String(headers.authorization), this.vapidKey, this.origin);
      this.received.push({ path, headers, xml: decrypt(body, sub), jwt, at: Date.now() });
    } catch (err) {
      this.errors.push((err as Error).message);
    }
    res.writeHead(answer.status, answer.retryAfter ? { 'Retry-After': answer.retryAfter } : {});
    res.end();
    for (const w of this.waiters.splice(0)) w();
  }

  /** Messages that reached `sub` so far. */
  to(sub: Subscription): Received[] {
    return this.received.filter((r) => sub.pushResource.endsWith(r.path));
  }

  /** Wait until `done()` holds (checked on each request), at most `ms`. */
  async until(done: () => boolean, ms = 5000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return true;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A push-register body as the draft's example (§ Subscription Registration) for `sub`. */
export function registerBody(
  sub: Subscription,
  trigger = '<P:content-update><D:depth>1</D:depth></P:content-update>',
  extra = '',
): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<P:push-register xmlns:P="https://bitfire.at/webdav-push" xmlns:D="DAV:">
  <P:subscription><P:web-push-subscription>
    <P:push-resource>${sub.pushResource}</P:push-resource>
    <P:content-encoding>aes128gcm</P:content-encoding>
    <P:subscription-public-key type="p256dh">${sub.publicKey}</P:subscription-public-key>
    <P:auth-secret>${sub.authSecret}</P:auth-secret>
  </P:web-push-subscription></P:subscription>
  ${trigger === '' ? '' : `<P:trigger>${trigger}</P:trigger>`}${extra}
</P:push-register>`;
}
