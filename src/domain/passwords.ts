import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored as scrypt hashes (memory-hard; RFC 7914) in a self-describing string:
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url). Node ships scrypt, so no native add-on.
 */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash of a random password, checked against when the user does not exist: equal timing. */
let decoy: Promise<string> | undefined;

/**
 * Verify `password` against `stored`; with `stored` null (unknown user) a decoy hash is checked
 * instead so that the answer takes the same time either way.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  const encoded = stored ?? (await decoy);
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual) && stored !== null;
}

/** A random password for generated accounts: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/**
 * A short digest of a stored password hash: what a session or a cached credential remembers of
 * the password it was opened with. The hash has a fresh salt each time a password is set, so
 * the stamp changes with every password change (even to the same password) and never matches a
 * later user who happens to get the same id.
 */
export function passwordStamp(passwordHash: string): string {
  return createHash('sha256').update(`almanac-password-stamp\u0000${passwordHash}`).digest('base64url').slice(0, 22);
}
