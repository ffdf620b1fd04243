import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Reply tokens: the part after `+` in the Reply-To address of an invitation sent by email
 * (RFC 6047 §2: Reply-To carries where the originator wants the answer). A token binds the
 * organizer's user id to the event UID with an HMAC under a key derived from the server's secret
 * key (http/app/secret.ts loads it), so a reply to `almanac+TOKEN@domain` can only be applied to
 * that organizer's event with that UID, and nobody can make a token for another user or event.
 *
 * Shape: base32(user id) `-` the first 80 bits of HMAC-SHA256, in base32 (RFC 4648 §6, lower
 * case, no padding): mail systems may lower-case a local part, and base32 survives that.
 * The UID is not in the token (it would not fit in the 64 octets of a local part, RFC 5321
 * §4.5.3.1.1); it is read from the reply's iCalendar object and checked against the MAC.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_CHARS = 16; // 80 bits
const LABEL = 'almanac imip reply-token v1';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Uint8Array | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return value === 0 ? Uint8Array.from(out) : null; // non-zero trailing bits: not our encoding
}

/** The signing key: the server key is for AES-GCM (secret.ts); this use gets its own derived key. */
export function replyTokenKey(serverKey: Buffer): Buffer {
  return createHmac('sha256', serverKey).update(LABEL).digest();
}

function mac(key: Buffer, userId: string, uid: string): string {
  const digest = createHmac('sha256', key).update(`${userId}\u0000${uid}`, 'utf8').digest();
  return base32(digest).slice(0, MAC_CHARS);
}

/** A token for replies to `uid` organised by `userId`; `key` from replyTokenKey. */
export function createReplyToken(key: Buffer, userId: string, uid: string): string {
  return `${base32(Buffer.from(userId, 'utf8'))}-${mac(key, userId, uid)}`;
}

/** The organizer's user id if `token` was made by this server for `uid`, else null. */
export function verifyReplyToken(key: Buffer, token: string, uid: string): string | null {
  const m = /^([a-z2-7]+)-([a-z2-7]{16})$/.exec(token.toLowerCase());
  if (!m) return null;
  const bytes = unbase32(m[1] as string);
  if (bytes === null) return null;
  const userId = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const expected = Buffer.from(mac(key, userId, uid));
  const given = Buffer.from(m[2] as string);
  return timingSafeEqual(expected, given) ? userId : null;
}
