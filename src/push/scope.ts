import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is writing, and which of their registrations are not to hear of it: `Push-Dont-Notify`
 * (draft-bitfire-webdav-push § Suppressing Notifications) as registration ids, or '*' for none
 * at all. The HTTP layer sets it around a request; notifyingStore reads it when it queues pushes.
 */
export interface PushScope {
  readonly userId: number;
  readonly dontNotify: readonly string[] | '*';
}

const current = new AsyncLocalStorage<PushScope>();

/** Run `fn` with `scope` as the writer's push scope. */
export function withPushScope<T>(scope: PushScope, fn: () => T): T {
  return current.run(scope, fn);
}

/** The scope of the request being handled, if any (a command-line import has none). */
export function pushScope(): PushScope | undefined {
  return current.getStore();
}
