/**
 * Groups of users (RFC 3744 §2 group principals at /principals/groups/NAME), managed by an
 * admin: the CLI's `almanac group …` and the web app's admin section both call these.
 */
import type { Group } from '../../store/capabilities/acl.js';
import type { AclReader, Store } from '../../store/store.js';
import { DIRECTORY_KEY, updateDirectory } from '../directory/directory-book.js';
import { UserInputError } from '../users.js';
import { namedUser } from './admin.js';
import { areaKeys } from '../objects/lock-keys.js';
import { collectionsSharedWith, reconcileGroups, reconcileShares } from '../sharing/group-shares.js';

/**
 * The lock keys of every change to groups (the directory's provisioning takes them too): the
 * groups, and the directory address book, whose group cards change in the same transaction.
 */
export const GROUP_KEYS = ['/principals/groups', DIRECTORY_KEY];
/** A group name is one URL segment: letters, digits, '.', '_' and '-'. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The named group, or a UserInputError naming it. */
async function namedGroup(reader: AclReader, name: string): Promise<Group> {
  const group = await reader.getGroupByName(name);
  if (!group) throw new UserInputError(`no such group '${name}'`, 'not-found');
  return group;
}

export async function addGroup(store: Store, name: string): Promise<Group> {
  if (!GROUP_NAME.test(name))
    throw new UserInputError(`'${name}' is not a group name (letters, digits, '.', '_', '-')`);
  return store.transaction(GROUP_KEYS, async (tx) => {
    if (await tx.getGroupByName(name)) throw new UserInputError(`group '${name}' exists`, 'conflict');
    const group = await tx.createGroup(name);
    await updateDirectory(tx, { groups: [group.id] });
    return group;
  });
}

/**
 * The lock keys of a membership change of `groupIds` for `members`: the groups', and the areas
 * where shares with those groups change (the collections' owners and the members' homes, whose
 * instances come and go: domain/sharing/group-shares.ts).
 */
async function membershipKeys(
  store: Store,
  groupIds: readonly number[],
  members: readonly string[],
): Promise<string[]> {
  const shared = await collectionsSharedWith(store, groupIds);
  const homes = members.flatMap((m) => [`/calendars/${m}`, `/addressbooks/${m}`]);
  return [...GROUP_KEYS, ...areaKeys(...shared.map((c) => c.path), ...homes)];
}

/** Delete a group, every ACE naming it and what sharing with it gave its members. */
export async function deleteGroup(store: Store, name: string): Promise<void> {
  const found = await namedGroup(store, name);
  const members = (await store.groupMembers(found.id)).map((u) => u.name);
  await store.transaction(await membershipKeys(store, [found.id], members), async (tx) => {
    const group = await namedGroup(tx, name);
    const shared = await collectionsSharedWith(tx, [group.id]);
    await tx.deleteGroup(group.id);
    for (const collection of shared) await reconcileShares(tx, collection);
    await updateDirectory(tx, { groups: [group.id] });
  });
}

/** Add a user to a group (`member` true) or remove them. */
export async function setGroupMember(
  store: Store,
  groupName: string,
  userName: string,
  member: boolean,
): Promise<void> {
  const found = await namedGroup(store, groupName);
  await store.transaction(await membershipKeys(store, [found.id], [userName]), async (tx) => {
    const group = await namedGroup(tx, groupName);
    const user = await namedUser(tx, userName);
    if (member) await tx.addGroupMember(group.id, user.id);
    else await tx.removeGroupMember(group.id, user.id);
    // Sharing with the group now gives them access, or no longer does (issue #17).
    await reconcileGroups(tx, [group.id]);
    await updateDirectory(tx, { groups: [group.id] });
  });
}

/** Every group the CLI and the admin manage (not the users' own proxy groups) with its members' names. */
export async function listGroupsWithMembers(reader: AclReader): Promise<{ name: string; members: string[] }[]> {
  const out: { name: string; members: string[] }[] = [];
  for (const g of await reader.listGroups())
    out.push({ name: g.name, members: (await reader.groupMembers(g.id)).map((u) => u.name) });
  return out;
}
