/** `almanac syncml devices USER` and `almanac syncml reset USER DEVICE` (issue #5). */
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { CliError } from './errors.js';
import { withStore } from './store.js';
import { columns } from './table.js';
import { isSyncType } from '../formats/syncml/model.js';
import { normaliseDbUri } from '../syncml/datastores.js';
import { parseDeviceInfo, serialiseDeviceInfo } from '../syncml/device-record.js';
import { syncMode } from '../syncml/sync-modes.js';
import { forgetSyncState, resetSyncDevice } from '../domain/syncml/sync-state.js';
import { StoreSyncItems } from '../domain/syncml/sync-items.js';

const when = (ms: number | null): string =>
  ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const modeName = (mode: number | null): string =>
  mode !== null && isSyncType(mode) ? syncMode(mode).name : String(mode);

export const syncmlDevices: Command = {
  name: 'syncml devices',
  args: ['USER'],
  summary: "list a user's SyncML devices with their last sync per database",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = args.positionals[0] ?? '';
    await withStore(storeLocation(args), async (store) => {
      const user = await store.getUserByName(userName);
      if (!user) throw new CliError(`no such user '${userName}'`);
      const rows: string[][] = [['DEVICE', 'MODEL', 'LAST SYNC', 'DATABASE', 'MODE']];
      for (const d of await store.listSyncDevices(user.id)) {
        const info = parseDeviceInfo(d.info);
        const model = [info.devinf?.man, info.devinf?.mod].filter(Boolean).join(' ') || '-';
        const anchors = await store.listSyncAnchors(user.id, d.deviceId);
        if (anchors.length === 0) rows.push([d.deviceId, model, when(d.lastSyncAt), '-', 'slow sync next']);
        for (const a of anchors) rows.push([d.deviceId, model, when(a.lastSyncAt), a.datastore, modeName(a.lastMode)]);
      }
      if (rows.length === 1) io.out(`${userName} has no SyncML devices`);
      else for (const line of columns(rows)) io.out(line);
    });
    return 0;
  },
};

export const syncmlReset: Command = {
  name: 'syncml reset',
  args: ['USER', 'DEVICE'],
  summary: "forget a device's sync anchors and ID map: its next sync is a slow sync",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', deviceId = ''] = args.positionals;
    await withStore(storeLocation(args), async (store) => {
      const user = await store.getUserByName(userName);
      if (!user) throw new CliError(`no such user '${userName}'`);
      if (!(await store.getSyncDevice(user.id, deviceId)))
        throw new CliError(`${userName} has no SyncML device '${deviceId}'`);
      await resetSyncDevice(store, user.id, deviceId);
    });
    io.out(`Reset ${deviceId} of ${userName}: its next sync is a slow sync`);
    return 0;
  },
};

const TASK_DATABASES = new Set(['tasks', 'todo', 'task', 'todos']);

/** A collection named as a store path or a /dav/ URL path: `/dav/calendars/a/work/` → `/calendars/a/work`. */
function collectionPath(arg: string): string {
  const p = arg.replace(/^\/dav(?=\/)/, '').replace(/\/+$/, '');
  return p.startsWith('/') ? p : `/${p}`;
}

export const syncmlRoute: Command = {
  name: 'syncml route',
  args: ['USER', 'DEVICE', 'DATABASE', 'COLLECTION'],
  summary:
    "map a device's database (e.g. contacts, calendar, tasks) to another collection of the user, or one shared with them",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', deviceId = '', database = '', target = ''] = args.positionals;
    const db = normaliseDbUri(database);
    if (db === '') throw new CliError('DATABASE must not be empty');
    const path = collectionPath(target);
    await withStore(storeLocation(args), async (store) => {
      const user = await store.getUserByName(userName);
      if (!user) throw new CliError(`no such user '${userName}'`);
      // Their own collection, their instance of a shared one, or one an ACL lets them read.
      const collection = await new StoreSyncItems(store).collection({ id: user.id, name: user.name }, path);
      if (!collection || collection.access === 'none') throw new CliError(`${userName} has no collection ${path}`);
      const wanted = path.startsWith('/addressbooks/') ? 'vcard' : 'ical';
      if (collection.kind !== wanted)
        throw new CliError(`${path} is not ${wanted === 'ical' ? 'a calendar' : 'an address book'}`);
      const device = await store.getSyncDevice(user.id, deviceId);
      const info = device ? parseDeviceInfo(device.info) : {};
      info.routes = { ...info.routes, [db]: TASK_DATABASES.has(db) ? `${path}#VTODO` : path };
      await store.transaction([`/syncml/${user.id}`], async (tx) => {
        await tx.putSyncDevice({
          userId: user.id,
          deviceId,
          info: serialiseDeviceInfo(info),
          createdAt: device?.createdAt ?? Date.now(),
          lastSyncAt: device?.lastSyncAt ?? null,
        });
        // The device's view of that database changes: its next sync of it must be a slow sync.
        await forgetSyncState(tx, user.id, deviceId);
      });
    });
    io.out(`${deviceId} of ${userName}: database '${db}' now syncs with ${path} (next sync is a slow sync)`);
    return 0;
  },
};
