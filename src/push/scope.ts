import type { Store } from '../store/store.js';

/**
 * Who is writing, and which of their registrations are not to hear of it: `Push-Dont-Notify`
 * (draft-bitfire-webdav-push § Suppressing Notifications) as registration ids, or '*' for none
 * at all. The HTTP layer gives a DAV request a store bound to its scope (`withPushScope`);
 * the notifying store reads it when it queues pushes. Passed explicitly, not through
 * AsyncLocalStorage, whose hooks every promise of the server would pay for (issue #20).
 */
export interface PushScope {
  readonly userId: number;
  readonly dontNotify: readonly string[] | '*';
}

/** The notifying store's (notifying-store.ts) way of making a view of itself bound to a scope. */
export const SCOPED_VIEW: unique symbol = Symbol('almanac.push-scoped-view');

interface ScopableStore {
  readonly [SCOPED_VIEW]?: (scope: PushScope) => Store;
}

/** `store` as one writer's: its transactions queue pushes with `scope` (a store that queues none is returned as it is). */
export function withPushScope(store: Store, scope: PushScope): Store {
  const view = (store as Store & ScopableStore)[SCOPED_VIEW];
  return view ? view(scope) : store;
}
