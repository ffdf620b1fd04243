import { generatePassword, hashPassword } from '../domain/passwords.js';
import { createUser, homePaths, UserInputError } from '../domain/users.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command, CommandIo, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';
import { existingUser, withStore } from './store.js';
import { columns } from './table.js';

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
    ...STORE_OPTIONS,
  },
  async run(args, io) {
    const userName = name(args);
    const generated = !args.flag('password-stdin');
    const password = generated ? generatePassword() : await passwordFromStdin(io);
    await withStore(storeLocation(args), (store) =>
      store.transaction(Object.values(homePaths(userName)), (tx) =>
        createUser(tx, {
          name: userName,
          password,
          email: args.string('email') ?? null,
          displayName: args.string('display-name') ?? null,
        }),
      ),
    );
    io.out(generated ? `Created user ${userName} with password ${password}` : `Created user ${userName}`);
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
    const passwordHash = await hashPassword(password);
    await withStore(storeLocation(args), async (store) => {
      await existingUser(store, userName); // fail before taking the lock and without hashing twice
      await store.transaction(Object.values(homePaths(userName)), async (tx) => {
        const user = await existingUser(tx, userName);
        await tx.updateUser(user.id, { passwordHash });
      });
    });
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
  summary: 'list users',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const users = await withStore(storeLocation(args), (store) => store.listUsers());
    const rows = users.map((u) => [u.name, u.email ?? '-', u.displayName ?? '-', date(u.createdAt)]);
    for (const line of columns([['NAME', 'EMAIL', 'DISPLAY NAME', 'CREATED'], ...rows])) io.out(line);
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
    await withStore(storeLocation(args), (store) =>
      store.transaction(Object.values(homePaths(userName)), async (tx) =>
        tx.deleteUser((await existingUser(tx, userName)).id),
      ),
    );
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
    await withStore(storeLocation(args), (store) =>
      store.transaction(Object.values(homePaths(userName)), async (tx) =>
        tx.updateUser((await existingUser(tx, userName)).id, { totpSecret: null }),
      ),
    );
    io.out(`Turned off two-factor login of ${userName}`);
    return 0;
  },
};
