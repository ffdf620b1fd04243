import assert from 'node:assert/strict';
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encryptPushMessage, prepareKeying } from './rfc8291.js';

/** RFC 8291 §3.3–§3.4 and RFC 8188 §2 decryption with Node's crypto only, as a user agent does. */
function decrypt(body: Buffer, ua: ReturnType<typeof createECDH>, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idLength);
  const ecdhSecret = ua.computeSecret(asPublic);
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, info, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const record = body.subarray(21 + idLength);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  assert.equal(plain[plain.length - 1], 2, 'the last record ends with the delimiter 0x02');
  return plain.subarray(0, plain.length - 1).toString('utf8');
}

const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('RFC 8291: keys made ahead are used for one message each', () => {
  it('every message to a subscription has its own key pair and salt, prepared or not, and decrypts', async () => {
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const authSecret = randomBytes(16);
    const sub = { publicKey: ua.getPublicKey().toString('base64url'), authSecret: authSecret.toString('base64url') };
    prepareKeying(sub.publicKey, sub.authSecret);
    await idle(); // an idle event loop makes it (an unref'd immediate would not run until other I/O)
    const bodies: Buffer[] = [];
    for (let i = 0; i < 4; i++) {
      bodies.push(encryptPushMessage(sub.publicKey, sub.authSecret, Buffer.from(`message ${i}`)));
      if (i % 2 === 0) await idle();
    }
    assert.deepEqual(
      bodies.map((b) => decrypt(b, ua, authSecret)),
      ['message 0', 'message 1', 'message 2', 'message 3'],
    );
    const salts = new Set(bodies.map((b) => b.subarray(0, 16).toString('hex')));
    const keyIds = new Set(bodies.map((b) => b.subarray(21, 86).toString('hex')));
    assert.equal(salts.size, 4, 'a new salt each time (RFC 8188 §2.1)');
    assert.equal(keyIds.size, 4, 'a new application-server key pair each time (RFC 8291 §3.1)');
  });
});
