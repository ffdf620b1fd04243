/**
 * What an admin does to accounts (issue #19 item 6), one function each, called by the CLI
 * (`almanac user …`) and the web app's admin API (`/app/admin/…`) alike, so both stay complete.
 *
 * Who is an admin: `users.is_admin` (migration 17). The first user made with `addUser` on a
 * server without users is one (so `almanac user add` on a fresh server gives the operator an
 * admin login); after that only an admin or `almanac user admin NAME on` makes one. Users from a
 * directory (LDAP, IMAP) are never made admins by their login. The last admin cannot be unmade
 * or deleted through these functions, so the admin section never locks itself out.
 */
import type { Store, UsersReader } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { hashPassword } from '../passwords.js';
import { directoryGroupsOf, updateDirectory } from '../directory/directory-book.js';
import { accountLockKeys, createUser, UserInputError } from '../users.js';

/** The named user, or a UserInputError naming them. */
export async function namedUser(reader: UsersReader, name: string): Promise<User> {
  const user = await reader.getUserByName(name);
  if (!user) throw new UserInputError(`no such user '${name}'`, 'not-found');
  return user;
}

const keysOf = accountLockKeys;

export interface NewAccount {
  readonly name: string;
  readonly password: string;
  readonly email?: string | null;
  readonly displayName?: string | null;
  /** Make an admin; the first user of an empty server is one anyway. */
  readonly admin?: boolean;
}

/** Create a local user with their homes; returns the user (isAdmin tells whether they became one). */
export async function addUser(store: Store, input: NewAccount): Promise<User> {
  return store.transaction(keysOf(input.name), async (tx) => {
    const first = (await tx.listUsers()).length === 0;
    return createUser(tx, { ...input, isAdmin: input.admin === true || first });
  });
}

export async function setPassword(store: Store, name: string, password: string): Promise<void> {
  if (password.length === 0) throw new UserInputError('password must not be empty');
  await namedUser(store, name); // fail before hashing
  const passwordHash = await hashPassword(password);
  await store.transaction(keysOf(name), async (tx) => tx.updateUser((await namedUser(tx, name)).id, { passwordHash }));
}

async function refuseLastAdmin(reader: UsersReader, user: User, what: string): Promise<void> {
  if (!user.isAdmin) return;
  const admins = (await reader.listUsers()).filter((u) => u.isAdmin);
  if (admins.length <= 1) throw new UserInputError(`${user.name} is the last admin: ${what}`, 'conflict');
}

/** Delete a user and everything they own (their data, app passwords, shares, memberships). */
export async function removeUser(store: Store, name: string): Promise<void> {
  await store.transaction(keysOf(name), async (tx) => {
    const user = await namedUser(tx, name);
    await refuseLastAdmin(tx, user, 'make another admin first');
    const groups = await directoryGroupsOf(tx, user.id);
    await tx.deleteUser(user.id);
    // Their card goes from the directory, and they from their groups' cards.
    await updateDirectory(tx, { users: [user.id], groups });
  });
}

export async function setAdmin(store: Store, name: string, admin: boolean): Promise<void> {
  await store.transaction(keysOf(name), async (tx) => {
    const user = await namedUser(tx, name);
    if (!admin) await refuseLastAdmin(tx, user, 'make another admin first');
    await tx.updateUser(user.id, { isAdmin: admin });
  });
}

/** Set a user's own quota in bytes (RFC 4331); null = the server default. */
export async function setUserQuota(store: Store, name: string, bytes: number | null): Promise<void> {
  await store.transaction(keysOf(name), async (tx) =>
    tx.updateUser((await namedUser(tx, name)).id, { quotaBytes: bytes }),
  );
}

/** Turn off a user's two-factor login (a lost authenticator); their app passwords stay. */
export async function turnOffTotp(store: Store, name: string): Promise<void> {
  await store.transaction(keysOf(name), async (tx) =>
    tx.updateUser((await namedUser(tx, name)).id, { totpSecret: null }),
  );
}
