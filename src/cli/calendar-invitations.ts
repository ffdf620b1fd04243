import { setAutoProcess } from '../domain/scheduling/index.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { existingUser, withStore } from './store.js';

const MODES = { auto: true, inbox: false } as const;

/** RFC 6638 §4 auto-processing per user (domain/scheduling/auto-process.ts). */
export const calendarInvitations: Command = {
  name: 'calendar invitations',
  args: ['USER', 'auto|inbox'],
  summary:
    "auto: invitations from other users go straight into the user's calendar (the default); " +
    'inbox: new ones wait in the scheduling inbox until a client (Apple Calendar, the web app) accepts them',
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', mode = ''] = args.positionals;
    if (mode !== 'auto' && mode !== 'inbox') throw new UsageError(`expected auto or inbox, not '${mode}'`);
    await withStore(storeLocation(args), async (store) =>
      setAutoProcess(store, await existingUser(store, userName), MODES[mode]),
    );
    io.out(`Invitations of ${userName}: ${mode}`);
    return 0;
  },
};
