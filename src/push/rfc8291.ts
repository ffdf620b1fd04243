import { createECDH, hkdfSync, randomBytes, type ECDH } from 'node:crypto';
import ece from 'http_ece';

/**
 * RFC 8291 message encryption (aes128gcm, RFC 8188) with http_ece, the library web-push itself
 * encrypts with (by the author of RFC 8188). web-push's own `encrypt` makes the application
 * server's key pair inside each call; here the pair is made ahead (below) and handed to http_ece,
 * which leaves the one ECDH agreement per message that cannot be avoided: about a third of the
 * time per message, which brings 1,000 messages of one change nearer the latency target (issue #18).
 */

/** RFC 8188 §2.1: the record size written in the header; one record carries the whole message. */
const RECORD_SIZE = 4096;
/** RFC 8291 §4: the header (86 octets with a 65-octet key id) leaves 3,993 octets of plaintext. */
const MAX_PLAINTEXT = RECORD_SIZE - 86 - 16 - 1;
/** How many ready key pairs are kept; refilled in the background after a burst. */
const SPARE_KEYS = 1024;

/**
 * Background work (making key pairs and keyings ahead) waits until no message was encrypted for
 * this long: during a change's burst of messages it would take the event loop from the sends
 * (16 ECDH agreements are ~2.5 ms a slice).
 */
const QUIET_MS = 25;
let lastEncrypted = 0;

/**
 * Run `step` once sending has been quiet for QUIET_MS. Not an unref'd immediate: that does not
 * wake an idle event loop, so the work would wait for the next I/O (it ends by itself once done).
 */
function whenQuiet(step: () => void): void {
  const wait = lastEncrypted + QUIET_MS - performance.now();
  if (wait > 0) setTimeout(step, wait);
  else setImmediate(step);
}

interface KeyPair {
  readonly ecdh: ECDH;
  readonly publicKey: Buffer;
}

const makeKeyPair = (): KeyPair => {
  const ecdh = createECDH('prime256v1');
  return { ecdh, publicKey: ecdh.generateKeys() };
};

/**
 * Application-server key pairs made ahead of need. RFC 8291 §3.1 makes that key pair
 * ephemeral: a new one for every message. Each pair here is handed out once and then dropped —
 * only its making moves out of the burst, into idle time.
 */
class SpareKeys {
  private readonly spare: KeyPair[] = [];
  private refilling = false;

  take(): KeyPair {
    const pair = this.spare.pop() ?? makeKeyPair();
    if (this.spare.length < SPARE_KEYS / 2) this.refill();
    return pair;
  }

  private refill(): void {
    if (this.refilling) return;
    this.refilling = true;
    const step = (): void => {
      // Small slices, so a refill never holds the event loop for long.
      for (let i = 0; i < 32 && this.spare.length < SPARE_KEYS; i++) this.spare.push(makeKeyPair());
      if (this.spare.length < SPARE_KEYS) whenQuiet(step);
      else this.refilling = false;
    };
    whenQuiet(step);
  }
}

const keys = new SpareKeys();

/**
 * One message's keying for one subscription, everything RFC 8291 derives before the message is
 * known: a fresh application-server key pair (§3.1; its public key is the header's key id), the
 * input keying material IKM of §3.3–§3.4 (HKDF over the ECDH secret, salted with the
 * subscription's auth secret) and the record's salt (RFC 8188 §2.1). Used for one message only.
 */
interface Keying {
  readonly ikm: Buffer;
  readonly keyId: Buffer;
  readonly salt: Buffer;
}

const WEBPUSH_INFO = Buffer.from('WebPush: info\0');

function makeKeying(uaPublic: Buffer, authSecret: Buffer): Keying {
  const pair = keys.take();
  const ecdhSecret = pair.ecdh.computeSecret(uaPublic);
  const info = Buffer.concat([WEBPUSH_INFO, uaPublic, pair.publicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, info, 32));
  return { ikm, keyId: pair.publicKey, salt: randomBytes(16) };
}

/** Subscriptions' next keyings kept ready at most (about 250 bytes each). */
const MAX_READY = 20_000;

/**
 * The next message's keying of each subscription that was sent to, made in idle time after each
 * message: a change that pushes to 1,000 subscriptions then costs no ECDH agreement in the burst,
 * only the AES-GCM of each message (issue #18's latency target). Each keying is taken once and
 * dropped, so every message still has its own key pair and salt (RFC 8291 §3.1, RFC 8188 §2.1).
 */
class ReadyKeyings {
  private readonly ready = new Map<string, Keying>();
  private readonly wanted = new Map<string, { uaPublic: Buffer; authSecret: Buffer }>();
  private filling = false;

  /** Have a keying ready for this subscription's next message (made in idle time). */
  prepare(uaPublic: Buffer, authSecret: Buffer): void {
    const id = `${uaPublic.toString('base64')}.${authSecret.toString('base64')}`;
    if (!this.ready.has(id)) this.want(id, uaPublic, authSecret);
  }

  take(uaPublic: Buffer, authSecret: Buffer): Keying {
    const id = `${uaPublic.toString('base64')}.${authSecret.toString('base64')}`;
    const found = this.ready.get(id);
    this.ready.delete(id);
    this.want(id, uaPublic, authSecret);
    return found ?? makeKeying(uaPublic, authSecret);
  }

  private want(id: string, uaPublic: Buffer, authSecret: Buffer): void {
    if (this.ready.size + this.wanted.size >= MAX_READY) return;
    this.wanted.set(id, { uaPublic, authSecret });
    if (this.filling) return;
    this.filling = true;
    const step = (): void => {
      // Small slices between other work: a refill never holds the event loop for long.
      for (let i = 0; i < 16; i++) {
        const next = this.wanted.entries().next();
        if (next.done) break;
        const [key, sub] = next.value;
        this.wanted.delete(key);
        try {
          this.ready.set(key, makeKeying(sub.uaPublic, sub.authSecret));
        } catch {
          // Not a P-256 point: the send itself reports it.
        }
      }
      if (this.wanted.size > 0) whenQuiet(step);
      else this.filling = false;
    };
    whenQuiet(step);
  }
}

const keyings = new ReadyKeyings();

/**
 * Make the keying of the next message to a subscription (user agent `publicKey`, `authSecret`,
 * base64url) in idle time: a new registration's first message then costs no ECDH in its burst.
 */
export function prepareKeying(publicKey: string, authSecret: string): void {
  keyings.prepare(Buffer.from(publicKey, 'base64url'), Buffer.from(authSecret, 'base64url'));
}

/**
 * The aes128gcm body (RFC 8188 §2 header: salt, record size, key id = the application server's
 * public key) carrying `plaintext` for the user agent's `publicKey` (uncompressed P-256) and
 * 16-octet `authSecret` (both base64url), keyed as RFC 8291 §3.3–§3.4 say. http_ece writes the
 * record with the prepared IKM (handed over by its key-lookup callback for the key id).
 */
export function encryptPushMessage(publicKey: string, authSecret: string, plaintext: Buffer): Buffer {
  if (plaintext.length > MAX_PLAINTEXT) throw new RangeError(`push message over ${MAX_PLAINTEXT} octets`);
  lastEncrypted = performance.now();
  const k = keyings.take(Buffer.from(publicKey, 'base64url'), Buffer.from(authSecret, 'base64url'));
  return ece.encrypt(plaintext, { version: 'aes128gcm', keyid: k.keyId, salt: k.salt, rs: RECORD_SIZE }, () => k.ikm);
}
