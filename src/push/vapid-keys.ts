import webpush from 'web-push';
import type { KvReader, KvWriter, Transactional } from '../store/store.js';

/** The server's VAPID key pair (RFC 8292 §3.2), base64url as web-push writes them. */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

const NAMESPACE = 'push';
const KEY = 'vapid';

function parse(value: string | null): VapidKeys | null {
  if (value === null) return null;
  const v = JSON.parse(value) as Partial<VapidKeys>;
  return typeof v.publicKey === 'string' && typeof v.privateKey === 'string'
    ? { publicKey: v.publicKey, privateKey: v.privateKey }
    : null;
}

/**
 * The VAPID key pair, kept in the store (kv) so every node signs with the same key and a
 * restart keeps it (a new key would strand every phone's restricted subscription, draft
 * § Key Rotation). Made on first use; the check is repeated in a transaction under one lock
 * key, so several nodes starting together make one.
 */
export async function loadVapidKeys(store: KvReader & Transactional<KvReader & KvWriter>): Promise<VapidKeys> {
  const now = Date.now();
  const found = parse(await store.getValue(NAMESPACE, KEY, now));
  if (found) return found;
  return store.transaction([`${NAMESPACE}:${KEY}`], async (tx) => {
    const again = parse(await tx.getValue(NAMESPACE, KEY, now));
    if (again) return again;
    const keys = webpush.generateVAPIDKeys();
    await tx.setValue(NAMESPACE, KEY, JSON.stringify(keys), null);
    return keys;
  });
}
