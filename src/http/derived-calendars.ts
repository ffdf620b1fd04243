import { BirthdayUpdater } from '../domain/birthdays/birthday-updater.js';
import { DIRECTORY_KEY, updateDirectory } from '../domain/directory/directory-book.js';
import { SubscriptionScheduler } from '../domain/subscriptions/scheduler.js';
import type { ChangeBus } from '../push/index.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';
import { DEFAULT_FEED_LIMITS, httpFeedFetcher } from './feed-fetcher.js';

/** The calendars the server writes itself (issue #13): .ics subscriptions and contact birthdays. */
export interface DerivedCalendars {
  readonly subscriptions: SubscriptionScheduler;
  readonly birthdays: BirthdayUpdater;
  close(): Promise<void>;
}

/**
 * Start the subscription scheduler (feeds fetched under the relay's address policy) and the
 * birthday updater, which listens to change notices of address books after commit; make the
 * directory address book if it is not there yet.
 */
export function startDerivedCalendars(store: Store, bus: ChangeBus, config: ServerConfig): DerivedCalendars {
  const fetcher = httpFeedFetcher({ ...DEFAULT_FEED_LIMITS, allowPrivate: config.relayAllowPrivate });
  const subscriptions = new SubscriptionScheduler(store, fetcher, config.subscriptionCheckMs);
  const birthdays = new BirthdayUpdater(store);
  // Only the node that wrote (or `almanac import`, whose notices are not `remote`) brings the
  // calendar up to date: on every node it cost each node of a cluster a regeneration per card
  // written anywhere. A node that died before it ran leaves it to the next change of that
  // user's cards or the next node start (`sweep`).
  const unsubscribe = bus.subscribe((notice) => {
    if (!notice.remote && notice.collection.startsWith('/addressbooks/'))
      void birthdays.addressBookChanged(notice.owner);
  });
  subscriptions.start();
  void birthdays.sweep().catch((err: unknown) => console.error('birthday calendars:', err));
  // The directory address book is kept by every user and group change; on a server that had
  // users before it existed, this makes it with everyone (and does nothing once it exists).
  void store
    .transaction([DIRECTORY_KEY], (tx) => updateDirectory(tx, {}))
    .catch((err: unknown) => console.error('directory address book:', err));
  return {
    subscriptions,
    birthdays,
    async close() {
      unsubscribe();
      await Promise.all([subscriptions.stop(), birthdays.stop()]);
    },
  };
}
