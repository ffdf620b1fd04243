/**
 * TOTP two-factor login for the web app (RFC 6238 over RFC 4226 HOTP), with the otpauth library:
 * 6 digits, 30 s steps, HMAC-SHA-1 (what every authenticator app reads from an otpauth:// URI).
 * A code is accepted one step early or late (RFC 6238 §5.2, clock drift) and only once (§5.2:
 * "MUST NOT accept the second attempt of the same OTP"): the step last used is remembered in the
 * store, shared by every node.
 */
import { Secret, TOTP } from 'otpauth';
import type { KvReader, KvWriter, Transactional } from '../../store/store.js';

const ISSUER = 'Almanac';
const PERIOD_S = 30;
const WINDOW = 1;
/** kv namespace of the last TOTP step used per user (replay refusal). */
const USED_NAMESPACE = 'totp-used';

function totpOf(secretBase32: string, account: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random secret (160 bits, RFC 4226 §4 R6), base32 as authenticator apps show it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (the Key Uri Format of Google Authenticator). */
export function totpUri(secretBase32: string, account: string): string {
  return totpOf(secretBase32, account).toString();
}

/** The code for `at` (tests and the CLI's self-check). */
export function totpCode(secretBase32: string, at = Date.now()): string {
  return totpOf(secretBase32, '').generate({ timestamp: at });
}

/** The time step a code belongs to, when it is right for now ± WINDOW steps; else null. */
function totpStep(secretBase32: string, code: string, at = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32, '').validate({ token, timestamp: at, window: WINDOW });
  return delta === null ? null : Math.floor(at / 1000 / PERIOD_S) + delta;
}

/**
 * Check a code and, when right, use it up: a code (step) already used by this user is refused.
 * The check and the update are one transaction, so two nodes cannot both accept one code.
 */
export async function useTotpCode(
  store: KvReader & Transactional<KvWriter & KvReader>,
  userId: number,
  secretBase32: string,
  code: string,
  at = Date.now(),
): Promise<boolean> {
  const step = totpStep(secretBase32, code, at);
  if (step === null) return false;
  return store.transaction([`totp:${userId}`], async (tx) => {
    const last = await tx.getValue(USED_NAMESPACE, String(userId), at);
    if (last !== null && Number(last) >= step) return false;
    await tx.setValue(USED_NAMESPACE, String(userId), String(step), at + (WINDOW + 2) * PERIOD_S * 1000);
    return true;
  });
}
