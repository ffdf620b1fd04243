import { setBirthdaysEnabled } from '../domain/birthdays/birthday-calendar.js';
import { refreshSubscription, subscribe, type RefreshOutcome } from '../domain/subscriptions/subscriptions.js';
import { feedUrl } from '../domain/subscriptions/settings.js';
import { UserInputError } from '../domain/users.js';
import { AddressRefused, resolveTarget } from '../http/app/address-policy.js';
import { DEFAULT_FEED_LIMITS, httpFeedFetcher } from '../http/feed-fetcher.js';
import { STORE_OPTIONS, storeLocation } from './args.js';
import type { Command, CommandIo, ParsedArgs } from './command.js';
import { CliError, UsageError } from './errors.js';
import { existingUser, withStore } from './store.js';
import { columns } from './table.js';

const ALLOW_PRIVATE = {
  type: 'boolean',
  env: 'ALMANAC_RELAY_ALLOW_PRIVATE',
  description: 'allow feeds on loopback/private addresses (as serve --relay-allow-private)',
} as const;

function fetcher(args: ParsedArgs) {
  return httpFeedFetcher({ ...DEFAULT_FEED_LIMITS, allowPrivate: args.flag('relay-allow-private') });
}

function say(io: CommandIo, path: string, o: RefreshOutcome): number {
  switch (o.status) {
    case 'updated':
      io.out(
        `${path}: ${o.written} written, ${o.deleted} deleted, ${o.unchanged} unchanged${o.skipped > 0 ? `, ${o.skipped} skipped` : ''}`,
      );
      return 0;
    case 'not-modified':
      io.out(`${path}: not modified`);
      return 0;
    case 'failed':
      io.err(`${path}: ${o.error} (the calendar keeps its previous content)`);
      return 1;
    case 'busy':
      io.err(`${path}: another node is refreshing it right now`);
      return 1;
    case 'gone':
      io.err(`${path}: the subscription is gone`);
      return 1;
  }
}

export const calendarSubscribe: Command = {
  name: 'calendar subscribe',
  args: ['USER', 'URL'],
  summary: 'subscribe a user to an .ics feed (http, https, webcal): a read-only calendar the server refreshes',
  options: {
    name: { type: 'string', value: 'TEXT', description: "display name (default: the feed's host)" },
    color: { type: 'string', value: '#RRGGBB', description: 'calendar colour' },
    refresh: {
      type: 'string',
      value: 'DURATION',
      description: 'refresh interval, e.g. PT1H (default), PT30M, P1D; at least PT5M',
    },
    'relay-allow-private': ALLOW_PRIVATE,
    ...STORE_OPTIONS,
  },
  async run(args, io) {
    const [userName = '', url = ''] = args.positionals;
    return withStore(storeLocation(args), async (store) => {
      const user = await existingUser(store, userName);
      // Refuse at once what every fetch would refuse (the fetcher checks again at connect time).
      try {
        await resolveTarget(feedUrl(url).hostname, args.flag('relay-allow-private'));
      } catch (err) {
        if (err instanceof AddressRefused) throw new CliError(err.message);
        if (err instanceof UserInputError) throw err;
        throw new CliError(`cannot resolve the feed's host: ${(err as Error).message}`);
      }
      const { collection } = await subscribe(store, user, {
        url,
        name: args.string('name'),
        color: args.string('color'),
        refresh: args.string('refresh'),
      });
      io.out(`Subscribed ${userName} to ${url}: ${collection.path}`);
      return say(io, collection.path, await refreshSubscription(store, fetcher(args), collection.id, 'cli'));
    });
  },
};

export const calendarRefresh: Command = {
  name: 'calendar refresh',
  args: ['USER', 'CALENDAR'],
  summary: "fetch a subscribed calendar's feed now",
  options: { 'relay-allow-private': ALLOW_PRIVATE, ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', name = ''] = args.positionals;
    return withStore(storeLocation(args), async (store) => {
      await existingUser(store, userName);
      const c = await store.getResource(`/calendars/${userName}/${name}`);
      const sub = c ? await store.getSubscription(c.id) : null;
      if (!c || !sub) throw new CliError(`'${userName}' has no subscribed calendar '${name}'`);
      return say(io, c.path, await refreshSubscription(store, fetcher(args), c.id, 'cli'));
    });
  },
};

const when = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

export const calendarSubscriptions: Command = {
  name: 'calendar subscriptions',
  args: ['USER'],
  summary: "list a user's subscribed calendars: source, interval, last success and last error",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = ''] = args.positionals;
    await withStore(storeLocation(args), async (store) => {
      const user = await existingUser(store, userName);
      const rows = [['CALENDAR', 'URL', 'EVERY', 'LAST SUCCESS', 'LAST ERROR']];
      for (const s of await store.listSubscriptions(user.id)) {
        const c = await store.getResourceById(s.collectionId);
        rows.push([
          c?.path.split('/').pop() ?? '?',
          s.url,
          `${s.refreshSeconds}s`,
          when(s.lastSuccessAt),
          s.lastError ?? '-',
        ]);
      }
      columns(rows).forEach((l) => io.out(l));
    });
    return 0;
  },
};

export const calendarBirthdays: Command = {
  name: 'calendar birthdays',
  args: ['USER', 'on|off'],
  summary: "turn a user's birthday calendar (derived from their contacts) on or off",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [userName = '', state = ''] = args.positionals;
    if (state !== 'on' && state !== 'off') throw new UsageError(`expected on or off, not '${state}'`);
    await withStore(storeLocation(args), async (store) =>
      setBirthdaysEnabled(store, await existingUser(store, userName), state === 'on'),
    );
    io.out(`Birthday calendar of ${userName}: ${state}`);
    return 0;
  },
};
