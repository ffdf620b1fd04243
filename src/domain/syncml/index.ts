/** The SyncML engine wired to the store: the three ports implemented over one Store. */
import type { Store } from '../../store/store.js';
import type { Credentials } from '../accounts/credentials.js';
import type { AuthThrottle } from '../throttle.js';
import type { SyncAuthenticator, SyncItemStore, SyncStateStore } from './ports.js';
import { StoreSyncItems, type SyncItemsOptions } from './sync-items.js';
import { StoreSyncState } from './sync-state.js';
import { StoreSyncUsers } from './sync-users.js';

export function syncmlPorts(
  store: Store,
  options: SyncItemsOptions & { throttle?: AuthThrottle; credentials?: Credentials } = {},
): { items: SyncItemStore; state: SyncStateStore; users: SyncAuthenticator } {
  return {
    items: new StoreSyncItems(store, options),
    state: new StoreSyncState(store),
    users: new StoreSyncUsers(store, options.throttle, options.credentials),
  };
}
