import { addUser, removeUser, setPassword, turnOffTotp } from '../domain/accounts/admin.js';
import { generatePassword } from '../domain/passwords.js';
import { defaultQuota, quotaOfUser } from '../domain/quota/quota.js';
import { UserInputError } from '../domain/users.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command, CommandIo, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';
import { withStore } from './store.js';
import { columns } from './table.js';
import { formatBytes } from '../formats/byte-size.js';

const PASSWORD_STDIN = {
  type: 'boolean',
  description: 'read the password from stdin (all of it, one trailing newline removed)',
} as const;

/** All of stdin with one trailing newline (LF or CRLF) removed. */
async function passwordFromStdin(io: CommandIo): Promise<string> {
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length === 0) throw new UserInputError('password from stdin is empty');
  return password;
}

function name(args: ParsedArgs): string {
  return args.positionals[0] ?? '';
}

export const userAdd: Command = {
  name: 'user add',
  args: ['NAME'],
  summary: 'create a user (prints a generated password unless --password-stdin)',
  options: {
    'password-stdin': PASSWORD_STDIN,
    email: { type: 'string', value: 'EMAIL', description: 'e-mail address' },
    'display-name': { type: 'string', value: 'TEXT', description: 'display name' },
    admin: { type: 'boolean', description: 'make an admin (the first user of a new server is one anyway)' },
    ...STORE_OPTIONS,
  },
  async run(args, io) {
    const userName = name(args);
    const generated = !args.flag('password-stdin');
    const password = generated ? generatePassword() : await passwordFromStdin(io);
    const user = await withStore(storeLocation(args), (store) =>
      addUser(store, {
        name: userName,
        password,
        email: args.string('email') ?? null,
        displayName: args.string('display-name') ?? null,
        admin: args.flag('admin'),
      }),
    );
    io.out(generated ? `Created user ${userName} with password ${password}` : `Created user ${userName}`);
    if (user.isAdmin) io.out(`${userName} is an admin (the web app's Admin section)`);
    return 0;
  },
};

export const userPasswd: Command = {
  name: 'user passwd',
  args: ['NAME'],
  summary: "set a user's password from stdin",
  options: { 'password-stdin': PASSWORD_STDIN, ...STORE_OPTIONS },
  async run(args, io) {
    if (!args.flag('password-stdin')) throw new UsageError("'user passwd' needs --password-stdin");
    const userName = name(args);
    const password = await passwordFromStdin(io);
    await withStore(storeLocation(args), (store) => setPassword(store, userName, password));
    io.out(`Changed the password of ${userName}`);
    return 0;
  },
};

function date(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export const userList: Command = {
  name: 'user list',
  args: [],
  summary: 'list users with their admin flag, directory, quota and storage use',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [users, fallback] = await withStore(storeLocation(args), async (store) =>
      Promise.all([store.listUsers(), defaultQuota(store)]),
    );
    const rows = users.map((u) => {
      const q = quotaOfUser(u, fallback);
      return [
        u.name,
        u.email ?? '-',
        u.displayName ?? '-',
        u.isAdmin ? 'yes' : '-',
        u.directory ?? 'local',
        q.limit === null ? 'none' : `${formatBytes(q.limit)}${u.quotaBytes == null ? ' (default)' : ''}`,
        formatBytes(q.used),
        date(u.createdAt),
      ];
    });
    const head = ['NAME', 'EMAIL', 'DISPLAY NAME', 'ADMIN', 'SOURCE', 'QUOTA', 'USED', 'CREATED'];
    for (const line of columns([head, ...rows])) io.out(line);
    return 0;
  },
};

export const userDelete: Command = {
  name: 'user delete',
  args: ['NAME'],
  summary: 'delete a user and everything they own',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = name(args);
    await withStore(storeLocation(args), (store) => removeUser(store, userName));
    io.out(`Deleted user ${userName} and everything they owned`);
    return 0;
  },
};

export const userTotpOff: Command = {
  name: 'user totp-off',
  args: ['NAME'],
  summary: "turn off a user's two-factor login (a lost authenticator); their app passwords stay",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const userName = name(args);
    await withStore(storeLocation(args), (store) => turnOffTotp(store, userName));
    io.out(`Turned off two-factor login of ${userName}`);
    return 0;
  },
};
