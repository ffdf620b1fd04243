/** What every command handler of one message works with (commands.ts builds it per message). */
import type { DevInf } from '../formats/syncml/devinf.js';
import type { SyncmlMessage } from '../formats/syncml/model.js';
import { normaliseDbUri, type Routes } from './datastores.js';
import type { SyncItemStore, SyncStateStore, SyncUser } from './ports.js';
import type { Reply } from './reply.js';
import type { SessionState } from './session.js';
import type { ConflictPolicy } from './item-writes.js';

export interface EngineDeps {
  readonly items: SyncItemStore;
  readonly state: SyncStateStore;
  readonly policy: ConflictPolicy;
  readonly log: (line: string) => void;
  /** The largest object the server takes (its MaxObjSize, digest §9). */
  readonly maxObjSize: number;
}

/** The device record's `info` (device-record.ts reads and writes it). */
export interface DeviceInfo {
  devinf?: DevInf;
  routes?: Routes;
}

export interface Ctx {
  readonly d: EngineDeps;
  readonly s: SessionState;
  readonly user: SyncUser;
  readonly msg: SyncmlMessage;
  readonly reply: Reply;
  readonly device: DeviceInfo;
  /** guid → luid per datastore key, loaded once per message (mapOf). */
  readonly maps: Map<string, Map<string, string>>;
  /** A Get of our DevInf, answered after the Alerts so it names the databases the client uses. */
  devinfGet?: { cmdId: string; target: string };
}

/** The guid → luid map of one datastore of this device, loaded once per message. */
export async function mapOf(c: Ctx, key: string): Promise<Map<string, string>> {
  let m = c.maps.get(key);
  if (!m) {
    m = await c.d.state.idMap(c.user.id, c.s.deviceId, key);
    c.maps.set(key, m);
  }
  return m;
}

/** The client's DevInf datastore for one of its database URIs. */
export function clientStore(c: Ctx, clientUri: string): DevInf['dataStores'][number] | undefined {
  const want = normaliseDbUri(clientUri);
  return c.device.devinf?.dataStores.find((d) => normaliseDbUri(d.sourceRef) === want);
}
