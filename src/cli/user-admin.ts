/** `almanac user admin`, `user quota` and `user default-quota` (issue #19 item 6, RFC 4331). */
import { setAdmin, setUserQuota } from '../domain/accounts/admin.js';
import { parseQuota, setDefaultQuota } from '../domain/quota/quota.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';
import { withStore } from './store.js';
import { formatBytes } from '../formats/byte-size.js';

function quotaArg(args: ParsedArgs, i: number): number | null {
  const raw = args.positionals[i];
  if (raw === undefined || raw === '') throw new UsageError('missing BYTES (e.g. 500M, 2G) or none');
  try {
    return parseQuota(raw);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const described = (bytes: number | null): string => (bytes === null ? 'no limit' : formatBytes(bytes));

export const userAdmin: Command = {
  name: 'user admin',
  args: ['NAME', 'on|off'],
  summary: "make a user an admin (the web app's Admin section and /app/admin) or stop it",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', state = ''] = args.positionals;
    if (state !== 'on' && state !== 'off') throw new UsageError(`'user admin' takes on or off, not '${state}'`);
    await withStore(storeLocation(args), (store) => setAdmin(store, userName, state === 'on'));
    io.out(state === 'on' ? `${userName} is an admin` : `${userName} is no longer an admin`);
    return 0;
  },
};

export const userQuota: Command = {
  name: 'user quota',
  args: ['NAME', 'BYTES|none'],
  summary: "set a user's quota (RFC 4331; K/M/G/T suffixes; none = the server default)",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = args.positionals[0] ?? '';
    const bytes = quotaArg(args, 1);
    await withStore(storeLocation(args), (store) => setUserQuota(store, userName, bytes));
    io.out(bytes === null ? `${userName} has the server's default quota` : `Quota of ${userName}: ${described(bytes)}`);
    return 0;
  },
};

export const userDefaultQuota: Command = {
  name: 'user default-quota',
  args: ['BYTES|none'],
  summary: "set the quota of users without their own (none = no limit; 'user list' shows it)",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const bytes = quotaArg(args, 0);
    await withStore(storeLocation(args), (store) =>
      store.transaction(['settings'], (tx) => setDefaultQuota(tx, bytes)),
    );
    io.out(`Default quota: ${described(bytes)}`);
    return 0;
  },
};
