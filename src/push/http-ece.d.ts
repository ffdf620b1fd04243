/** The part of http_ece (RFC 8188 encrypted content encoding) that push/rfc8291.ts uses. */
declare module 'http_ece' {
  interface EceParams {
    readonly version: 'aes128gcm';
    /** The key id written in the header (RFC 8291 §4: the application server's public key). */
    readonly keyid: Buffer;
    readonly salt: Buffer;
    readonly rs: number;
  }

  const ece: {
    /** `lookupKey` answers the input keying material for the key id (RFC 8291 §3.4 IKM). */
    encrypt(plaintext: Buffer, params: EceParams, lookupKey: (keyId: Buffer) => Buffer): Buffer;
  };
  export default ece;
}
