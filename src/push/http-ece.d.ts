/** The part of http_ece (RFC 8188 encrypted content encoding) that push/rfc8291.ts uses. */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface EceParams {
    readonly version: 'aes128gcm';
    /** The sender's key pair (RFC 8291 §3.1: the application server's, used for this message only). */
    readonly privateKey: ECDH;
    /** The receiver's public key, base64url (the user agent's p256dh). */
    readonly dh: string;
    /** The receiver's 16-octet authentication secret, base64url. */
    readonly authSecret: string;
    readonly salt: Buffer;
    readonly rs: number;
  }

  const ece: {
    encrypt(plaintext: Buffer, params: EceParams): Buffer;
    decrypt(body: Buffer, params: Omit<EceParams, 'dh' | 'salt' | 'rs'>): Buffer;
  };
  export default ece;
}
