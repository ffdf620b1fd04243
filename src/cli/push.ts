/** `almanac push list USER` and `almanac push remove USER ID`: a user's WebDAV-Push subscriptions. */
import { namedUser } from '../domain/accounts/admin.js';
import { pushDevicesOf, removePushDevice } from '../domain/accounts/devices.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { CliError } from './errors.js';
import { withStore } from './store.js';
import { columns } from './table.js';

const when = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const pushList: Command = {
  name: 'push list',
  args: ['USER'],
  summary: "list a user's WebDAV-Push subscriptions (collection, push service, expiry)",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = args.positionals[0] ?? '';
    const devices = await withStore(storeLocation(args), async (store) =>
      pushDevicesOf(store, (await namedUser(store, userName)).id),
    );
    if (devices.length === 0) io.out(`${userName} has no push subscriptions`);
    const rows = devices.map((d) => [d.id, d.collection, d.pushService, when(d.createdAt), when(d.expiresAt)]);
    if (rows.length > 0)
      for (const line of columns([['ID', 'COLLECTION', 'SERVICE', 'CREATED', 'EXPIRES'], ...rows])) io.out(line);
    return 0;
  },
};

export const pushRemove: Command = {
  name: 'push remove',
  args: ['USER', 'ID'],
  summary: 'remove a push subscription of a user (its device is told nothing more)',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', id = ''] = args.positionals;
    const gone = await withStore(storeLocation(args), async (store) =>
      removePushDevice(store, (await namedUser(store, userName)).id, id),
    );
    if (!gone) throw new CliError(`${userName} has no push subscription '${id}'`);
    io.out(`Removed push subscription ${id} of ${userName}`);
    return 0;
  },
};
