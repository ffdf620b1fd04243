/**
 * The nonces of syncml:auth-md5 (RepPro 1.2 §5.1.2 Chal/NextNonce; digest §4).
 *
 * A device that has authenticated keeps one nonce in kv (NS_NONCE, keyed by device ID): the one
 * the server sent with its 212, which the device's next session uses. It is written only after a
 * successful authentication, so its rows are bounded by the devices that really synchronised.
 *
 * A device the server does not know yet is challenged (401/407) with a nonce that is not stored
 * at all: an HMAC of device ID, user name and the current time window, keyed by the user's stored
 * password hash (secret to the server, shared by every node, changed with the password). The
 * answer is checked against the nonces of the current and the previous window, so an anonymous
 * message naming any device ID costs no stored state, and a digest built on such a nonce is good
 * for at most two windows — and not at all once the device has authenticated and has a stored
 * nonce (then only that one is accepted).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SyncStateStore } from './ports.js';

const NS_NONCE = 'syncml-nonce';

/** The time window of a stateless challenge nonce; one is accepted in its window and the next. */
const CHALLENGE_WINDOW_MS = 5 * 60_000;

/** Bytes of a nonce (stored or derived): 96 bits. */
const NONCE_BYTES = 12;

/** A fresh random nonce for a device's next session (sent with 212, stored). */
function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}

/** The stateless challenge nonce for (device, user) in the window `window`. */
function windowNonce(key: string, deviceId: string, userName: string, window: number): string {
  return createHmac('sha256', key)
    .update(`syncml-md5-nonce\0${deviceId}\0${userName}\0${window}`)
    .digest()
    .subarray(0, NONCE_BYTES)
    .toString('base64');
}

const windowOf = (now: number): number => Math.floor(now / CHALLENGE_WINDOW_MS);

/** The nonce stored for a device that authenticated before; null for a device never seen. */
export async function storedNonce(state: SyncStateStore, deviceId: string): Promise<string | null> {
  return state.getValue(NS_NONCE, deviceId);
}

/** Store the nonce an authenticated device must use next (sent with the 212). */
export async function storeNextNonce(state: SyncStateStore, deviceId: string): Promise<string> {
  const nonce = newNonce();
  await state.setValue(NS_NONCE, deviceId, nonce, null);
  return nonce;
}

/** The nonce to challenge with (401/407): the device's stored one, else the stateless one of now. */
export function challengeNonce(
  stored: string | null,
  key: string,
  deviceId: string,
  userName: string,
  now = Date.now(),
): string {
  return stored ?? windowNonce(key, deviceId, userName, windowOf(now));
}

/**
 * The nonces a digest from this device may be built on: the stored one alone for a known device;
 * for an unknown one the empty nonce (a device never challenged, digest §4) and the stateless
 * nonces of this window and the one before.
 */
export function acceptedNonces(
  stored: string | null,
  key: string,
  deviceId: string,
  userName: string,
  now = Date.now(),
): string[] {
  if (stored !== null) return [stored];
  const w = windowOf(now);
  return ['', windowNonce(key, deviceId, userName, w), windowNonce(key, deviceId, userName, w - 1)];
}
