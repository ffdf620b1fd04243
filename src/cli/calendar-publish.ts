import { canPublish, publishCalendar, unpublishCalendar } from '../domain/publishing/public-links.js';
import { publicPath } from '../http/public-calendar-path.js';
import { keySealer, loadSecretKey } from '../http/app/secret.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command } from './command.js';
import { CliError } from './errors.js';
import { existingUser, withStore } from './store.js';

/** USER's own calendar CAL, refused when it cannot be published (a subscription, birthdays, none). */
async function ownCalendar(store: Store, userName: string, name: string): Promise<Resource> {
  const user = await existingUser(store, userName);
  const calendar = await store.getResource(`/calendars/${userName}/${name}`);
  if (!calendar || calendar.collectionType !== 'calendar')
    throw new CliError(`'${userName}' has no calendar '${name}'`);
  if (!canPublish(user, calendar))
    throw new CliError(
      `'${name}' is a calendar the server derives (a subscription or birthdays); it cannot be published`,
    );
  return calendar;
}

export const calendarPublish: Command = {
  name: 'calendar publish',
  args: ['USER', 'CALENDAR'],
  summary:
    'give a calendar a public read-only link (one .ics, no login) and print its path; again prints the same link',
  options: {
    renew: { type: 'boolean', description: 'make a new link; the old one stops working' },
    ...STORE_OPTIONS,
  },
  async run(args, io) {
    const [userName = '', name = ''] = args.positionals;
    const location = storeLocation(args);
    // The token is kept sealed with the server's key (as the web app keeps it), so both show the same link.
    const sealer = keySealer(loadSecretKey(location.dataDir, io.env.ALMANAC_SECRET_KEY));
    const link = await withStore(location, async (store) =>
      publishCalendar(store, sealer, await ownCalendar(store, userName, name), args.flag('renew')),
    );
    if (!link.token) throw new CliError('the stored link cannot be opened with this server key; use --renew');
    io.out(`${publicPath(link.token)}  (append to the server's address, e.g. https://dav.example.com)`);
    return 0;
  },
};

export const calendarUnpublish: Command = {
  name: 'calendar unpublish',
  args: ['USER', 'CALENDAR'],
  summary: "end a calendar's public link at once (on every node)",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', name = ''] = args.positionals;
    const ended = await withStore(storeLocation(args), async (store) =>
      unpublishCalendar(store, await ownCalendar(store, userName, name)),
    );
    io.out(ended ? `Unpublished ${userName}/${name}` : `${userName}/${name} had no public link`);
    return 0;
  },
};
