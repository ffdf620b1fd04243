import { addGroup, deleteGroup, listGroupsWithMembers, setGroupMember } from '../domain/accounts/groups.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { withStore } from './store.js';
import { columns } from './table.js';

/** Groups are principals at /principals/groups/NAME (RFC 3744 §2); domain/accounts/groups.ts keeps their rules. */

export const groupAdd: Command = {
  name: 'group add',
  args: ['NAME'],
  summary: 'create a group of users (a principal ACLs can name)',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const name = args.positionals[0] ?? '';
    await withStore(storeLocation(args), (store) => addGroup(store, name));
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
    await withStore(storeLocation(args), (store) => setGroupMember(store, name, userName, action === 'add'));
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
    const groups = await withStore(storeLocation(args), (store) => listGroupsWithMembers(store));
    const rows = groups.map((g) => [g.name, g.members.join(', ') || '-']);
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
    await withStore(storeLocation(args), (store) => deleteGroup(store, name));
    io.out(`Deleted group ${name} and the ACEs naming it`);
    return 0;
  },
};
