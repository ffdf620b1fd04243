import { createAppPassword, parseScopes } from '../domain/accounts/app-passwords.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command, ParsedArgs } from './command.js';
import { CliError, UsageError } from './errors.js';
import { existingUser, withStore } from './store.js';
import { columns } from './table.js';

/** App passwords of a user (issue #19): one per device, scoped, revocable, shown once. */

function positional(args: ParsedArgs, i: number, what: string): string {
  const v = args.positionals[i];
  if (v === undefined || v === '') throw new UsageError(`missing ${what}`);
  return v;
}

const time = (ms: number | null): string =>
  ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export const appPasswordAdd: Command = {
  name: 'app-password add',
  args: ['USER', 'NAME'],
  summary: 'make an app password for a device (printed once; DAV and/or SyncML)',
  options: {
    scope: { type: 'string', value: 'dav|syncml|both', description: 'what it may be used for (default both)' },
    ...STORE_OPTIONS,
  },
  async run(args, io) {
    const userName = positional(args, 0, 'USER');
    const label = positional(args, 1, 'NAME');
    const scopes = parseScopes(args.string('scope') ?? 'both');
    const made = await withStore(storeLocation(args), async (store) => {
      const user = await existingUser(store, userName);
      return store.transaction([`app-passwords:${user.id}`], (tx) =>
        createAppPassword(tx, { userId: user.id, name: label, scopes }),
      );
    });
    io.out(`App password ${made.appPassword.id} "${label}" for ${userName} (${scopes.join(', ')}): ${made.password}`);
    io.out('It is not shown again.');
    return 0;
  },
};

export const appPasswordList: Command = {
  name: 'app-password list',
  args: ['USER'],
  summary: "list a user's app passwords with their last use",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = positional(args, 0, 'USER');
    const list = await withStore(storeLocation(args), async (store) =>
      store.listAppPasswords((await existingUser(store, userName)).id),
    );
    const rows = list.map((p) => [p.id, p.name, p.scopes.join(','), time(p.createdAt), time(p.lastUsedAt)]);
    for (const line of columns([['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED'], ...rows])) io.out(line);
    return 0;
  },
};

export const appPasswordRevoke: Command = {
  name: 'app-password revoke',
  args: ['USER', 'ID'],
  summary: 'revoke an app password (refused from the next request on, on every node)',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = positional(args, 0, 'USER');
    const id = positional(args, 1, 'ID');
    const gone = await withStore(storeLocation(args), async (store) => {
      const user = await existingUser(store, userName);
      return store.transaction([`app-passwords:${user.id}`], (tx) => tx.deleteAppPassword(user.id, id));
    });
    if (!gone) throw new CliError(`${userName} has no app password '${id}'`);
    io.out(`Revoked app password ${id} of ${userName}`);
    return 0;
  },
};
