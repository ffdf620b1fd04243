import type { Group } from '../store/capabilities/acl.js';
import type { AclReader } from '../store/store.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { CliError, UsageError } from './errors.js';
import { existingUser, withStore } from './store.js';
import { columns } from './table.js';

/** Groups are principals at /principals/groups/NAME (RFC 3744 §2); one lock key for all their changes. */
const GROUP_KEYS = ['/principals/groups'];
/** A group name is one URL segment: letters, digits, '.', '_' and '-'. */
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function existing(reader: AclReader, name: string): Promise<Group> {
  const group = await reader.getGroupByName(name);
  if (!group) throw new CliError(`no such group '${name}'`);
  return group;
}

export const groupAdd: Command = {
  name: 'group add',
  args: ['NAME'],
  summary: 'create a group of users (a principal ACLs can name)',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const name = args.positionals[0] ?? '';
    if (!GROUP_NAME.test(name)) throw new UsageError(`'${name}' is not a group name (letters, digits, '.', '_', '-')`);
    await withStore(storeLocation(args), (store) =>
      store.transaction(GROUP_KEYS, async (tx) => {
        if (await tx.getGroupByName(name)) throw new CliError(`group '${name}' exists`);
        await tx.createGroup(name);
      }),
    );
    io.out(`Created group ${name}`);
    return 0;
  },
};

export const groupMembers: Command = {
  name: 'group members',
  args: ['NAME', 'add|remove', 'USER'],
  summary: 'add a user to a group or remove them',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [name = '', action = '', userName = ''] = args.positionals;
    if (action !== 'add' && action !== 'remove')
      throw new UsageError(`'group members' takes add or remove, not '${action}'`);
    await withStore(storeLocation(args), (store) =>
      store.transaction(GROUP_KEYS, async (tx) => {
        const group = await existing(tx, name);
        const user = await existingUser(tx, userName);
        if (action === 'add') await tx.addGroupMember(group.id, user.id);
        else await tx.removeGroupMember(group.id, user.id);
      }),
    );
    io.out(action === 'add' ? `Added ${userName} to ${name}` : `Removed ${userName} from ${name}`);
    return 0;
  },
};

export const groupList: Command = {
  name: 'group list',
  args: [],
  summary: 'list groups and their members',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const rows = await withStore(storeLocation(args), async (store) => {
      const out: string[][] = [];
      for (const g of await store.listGroups()) {
        out.push([g.name, (await store.groupMembers(g.id)).map((u) => u.name).join(', ') || '-']);
      }
      return out;
    });
    for (const line of columns([['NAME', 'MEMBERS'], ...rows])) io.out(line);
    return 0;
  },
};

export const groupDelete: Command = {
  name: 'group delete',
  args: ['NAME'],
  summary: 'delete a group and every ACE naming it',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const name = args.positionals[0] ?? '';
    await withStore(storeLocation(args), (store) =>
      store.transaction(GROUP_KEYS, async (tx) => tx.deleteGroup((await existing(tx, name)).id)),
    );
    io.out(`Deleted group ${name} and the ACEs naming it`);
    return 0;
  },
};
