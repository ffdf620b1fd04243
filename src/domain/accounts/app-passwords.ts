/**
 * App passwords (issue #19): one per device, named, scoped to DAV and/or SyncML, revocable. The
 * password a device is given is `ID-SECRET` in groups of six (e.g. `k3m9qa-…`): the first group
 * names the row, so a check is one indexed read and one scrypt, never a scan of the user's rows.
 * Only the scrypt hash of the whole password is stored; it is shown once, at creation.
 */
import { randomBytes } from 'node:crypto';
import type { AppPasswordsReader, AppPasswordsWriter } from '../../store/store.js';
import type { AppPassword, AppPasswordScope } from '../../store/types.js';
import { hashPassword } from '../passwords.js';
import { UserInputError } from '../users.js';

/** Lower case and digits without look-alikes: easy to type on a phone. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUP = 6;
const SECRET_GROUPS = 4;
/** ~120 bits of secret: 4 groups × 6 characters of a 31-letter alphabet is 118.9 bits, plus the id. */
const SHAPE = new RegExp(`^[${ALPHABET}]{${GROUP}}(?:-?[${ALPHABET}]{${GROUP}}){${SECRET_GROUPS}}$`);
const MAX_APP_PASSWORDS = 50;
const MAX_NAME = 100;

function randomGroup(): string {
  const bytes = randomBytes(GROUP * 2);
  let out = '';
  // Rejection sampling keeps every letter equally likely.
  for (const b of bytes) {
    if (b < 256 - (256 % ALPHABET.length)) out += ALPHABET[b % ALPHABET.length];
    if (out.length === GROUP) return out;
  }
  return out + randomGroup().slice(0, GROUP - out.length);
}

/** The row id of a password that has the shape of an app password, else null. */
export function appPasswordId(password: string): string | null {
  const compact = password.trim().toLowerCase();
  return SHAPE.test(compact) ? compact.slice(0, GROUP) : null;
}

/** The password as hashed: lower case, without dashes (so `abc-def` and `ABCDEF` are one). */
export function normalizeAppPassword(password: string): string {
  return password.trim().toLowerCase().replace(/-/g, '');
}

export function parseScopes(raw: string): AppPasswordScope[] {
  const words = raw
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const scopes = new Set<AppPasswordScope>();
  for (const w of words) {
    if (w === 'dav' || w === 'syncml') scopes.add(w);
    else if (w === 'both' || w === 'all') {
      scopes.add('dav');
      scopes.add('syncml');
    } else throw new UserInputError(`unknown scope '${w}': use dav, syncml or both`);
  }
  if (scopes.size === 0) throw new UserInputError('an app password needs a scope: dav, syncml or both');
  return [...scopes].sort();
}

/**
 * Make an app password for `userId`, in the caller's transaction. Returns the row and the
 * password in clear: the only time it exists outside the device it is given to.
 */
export async function createAppPassword(
  tx: AppPasswordsReader & AppPasswordsWriter,
  input: { userId: number; name: string; scopes: readonly AppPasswordScope[] },
): Promise<{ appPassword: AppPassword; password: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME)
    throw new UserInputError(`an app password needs a name (1 to ${MAX_NAME} characters)`);
  const existing = await tx.listAppPasswords(input.userId);
  if (existing.length >= MAX_APP_PASSWORDS)
    throw new UserInputError(`at most ${MAX_APP_PASSWORDS} app passwords per user: revoke one first`);
  let id = randomGroup();
  while (await tx.getAppPassword(id)) id = randomGroup();
  const groups = [id, ...Array.from({ length: SECRET_GROUPS }, randomGroup)];
  const password = groups.join('-');
  const appPassword = await tx.createAppPassword({
    id,
    userId: input.userId,
    name,
    scopes: input.scopes,
    secretHash: await hashPassword(normalizeAppPassword(password)),
  });
  return { appPassword, password };
}
