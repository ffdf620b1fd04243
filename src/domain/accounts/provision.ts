/**
 * Users from a directory become Almanac users on their first successful login (issue #19): a
 * user row marked with its directory, made by createUser with the homes every user has, and a
 * random local password nobody knows (a directory user's password is always checked by the
 * directory). On every later login the display name, primary e-mail address (the calendar user
 * address, RFC 6638 §2.4.1) and group memberships are brought up to date. For a directory that
 * reports groups, the directory decides its users' memberships: groups are created as needed,
 * memberships it does not list are removed.
 */
import type { AclReader, ObjectsReader, SharesReader, StoreTx, Transactional, UsersReader } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { generatePassword } from '../passwords.js';
import { updateDirectory } from '../directory/directory-book.js';
import { accountLockKeys, createUser } from '../users.js';
import type { DirectoryUser } from './directory.js';
import { GROUP_KEYS, GROUP_NAME } from './groups.js';
import { areaKeys } from '../objects/lock-keys.js';
import { collectionsSharedWith, reconcileGroups } from '../sharing/group-shares.js';

/** Make the user's memberships those the directory lists; returns the ids of the groups changed. */
async function syncGroups(tx: StoreTx, user: User, wanted: readonly string[]): Promise<number[]> {
  const names = new Set(wanted.filter((g) => GROUP_NAME.test(g)));
  const current = await tx.groupsOf(user.id);
  const changed: number[] = [];
  for (const g of current) {
    if (names.has(g.name)) continue;
    await tx.removeGroupMember(g.id, user.id);
    changed.push(g.id);
  }
  for (const name of names) {
    if (current.some((g) => g.name === name)) continue;
    const group = (await tx.getGroupByName(name)) ?? (await tx.createGroup(name));
    await tx.addGroupMember(group.id, user.id);
    changed.push(group.id);
  }
  return changed;
}

/** The ids of the groups a directory login may change: those the user is in and those the directory names. */
async function groupIdsOf(
  store: Transactional<StoreTx> & AclReader & UsersReader,
  found: DirectoryUser,
): Promise<number[]> {
  if (found.groups === null) return [];
  const ids = new Set<number>();
  const user = await store.getUserByName(found.name);
  if (user) for (const g of await store.groupsOf(user.id)) ids.add(g.id);
  for (const name of found.groups) {
    const g = GROUP_NAME.test(name) ? await store.getGroupByName(name) : null;
    if (g) ids.add(g.id);
  }
  return [...ids];
}

/**
 * The Almanac user for a directory user, made or updated in one transaction; null when a local
 * user (or one of another directory) already has the name: the directory never takes it over.
 */
export async function provisionUser(
  store: Transactional<StoreTx> & AclReader & UsersReader & SharesReader & ObjectsReader,
  kind: string,
  found: DirectoryUser,
): Promise<User | null> {
  // Collections shared with a group they join or leave change in this transaction (issue #17).
  const groupIds = await groupIdsOf(store, found);
  const shared = await collectionsSharedWith(store, groupIds);
  const keys = [...accountLockKeys(found.name), ...GROUP_KEYS, ...areaKeys(...shared.map((c) => c.path))];
  return store.transaction(keys, async (tx) => {
    const email = found.emails[0] ?? null;
    let user = await tx.getUserByName(found.name);
    if (!user) {
      const password = generatePassword();
      user = await createUser(tx, {
        name: found.name,
        password,
        email,
        displayName: found.displayName,
        directory: kind,
      });
    } else if (user.directory !== kind) {
      return null;
    } else if (user.email !== email || user.displayName !== found.displayName) {
      // IMAP names no display name and maybe no address: keep what is there rather than erase it.
      const changes = { email: email ?? user.email, displayName: found.displayName ?? user.displayName };
      await tx.updateUser(user.id, changes);
      user = { ...user, ...changes };
      // Their card shows the new name and address, in this transaction.
      await updateDirectory(tx, { users: [user.id] });
    }
    if (found.groups !== null) {
      const groups = await syncGroups(tx, user, found.groups);
      if (groups.length > 0) await updateDirectory(tx, { groups });
      if (groups.length > 0) await reconcileGroups(tx, groups);
    }
    return user;
  });
}
