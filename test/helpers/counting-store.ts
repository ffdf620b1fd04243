/**
 * A real store whose method calls are also reported to `seen` (name and arguments), for tests
 * that check which work a node does — e.g. that a node serving no request runs no transaction
 * for a write made on another node. Every call goes to the store unchanged.
 */
import type { Store } from '../../src/store/store.js';

export function countingStore(store: Store, seen: (method: string, args: readonly unknown[]) => void): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      return (...args: unknown[]) => {
        seen(String(prop), args);
        return fn.apply(target, args);
      };
    },
  });
}
