/**
 * Which browser notifications a user wants (issue #18 item 4): invitations arriving and
 * reminders falling due, each on or off, for all of the user's browsers. Kept in `kv`, so every
 * node reads the same; both on until the user says otherwise (subscribing a browser is the
 * opt-in, the browser's own permission prompt the consent).
 */
import type { KvReader, KvWriter, Transactional } from '../../store/store.js';

export interface BrowserPushSettings {
  readonly invitations: boolean;
  readonly alarms: boolean;
}

const KV = 'browser-push';
const key = (userId: number): string => `settings:${userId}`;
const DEFAULTS: BrowserPushSettings = { invitations: true, alarms: true };

export async function browserPushSettings(reader: KvReader, userId: number): Promise<BrowserPushSettings> {
  const raw = await reader.getValue(KV, key(userId), Date.now());
  if (raw === null) return DEFAULTS;
  const v = JSON.parse(raw) as Partial<BrowserPushSettings>;
  return { invitations: v.invitations !== false, alarms: v.alarms !== false };
}

export async function setBrowserPushSettings(
  store: Transactional<KvWriter>,
  userId: number,
  settings: BrowserPushSettings,
): Promise<void> {
  await store.transaction([`${KV}:${userId}`], (tx) => tx.setValue(KV, key(userId), JSON.stringify(settings), null));
}
