import type { Store, StoreTx } from '../store/store.js';
import { noticeFor, type ChangeBus, type ChangeNotice } from './bus.js';

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * Wraps a Store so that every transaction that wrote a collection member announces, after it
 * committed, which collections' change feeds moved. Nothing is announced for a transaction
 * that rolled back. The store itself stays unaware of push: the methods that append to a
 * change feed (putObject, createCollection, deleteResource, moveResource) are the ones
 * observed, plus patchProperties (a calendar renamed or recoloured).
 */
export function notifyingStore(store: Store, bus: ChangeBus): Store {
  const wrapTx = (tx: StoreTx, touched: Set<string>): StoreTx =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        switch (prop) {
          case 'putObject':
          case 'createCollection':
          case 'deleteResource':
            return (path: string, ...rest: unknown[]) => {
              touched.add(parentOf(path));
              return fn.call(target, path, ...rest);
            };
          case 'moveResource':
            return (from: string, to: string, ...rest: unknown[]) => {
              touched.add(parentOf(from));
              touched.add(parentOf(to));
              return fn.call(target, from, to, ...rest);
            };
          case 'patchProperties':
            return async (id: number, ...rest: unknown[]) => {
              const r = await target.getResourceById(id);
              if (r) {
                touched.add(r.path);
                touched.add(parentOf(r.path));
              }
              return fn.call(target, id, ...rest);
            };
          default:
            return fn.bind(target);
        }
      },
    });

  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return async <T>(keys: readonly string[], fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
          const touched = new Set<string>();
          const result = await target.transaction(keys, (tx) => fn(wrapTx(tx, touched)));
          const notices = [...touched].map(noticeFor).filter((n): n is ChangeNotice => n !== null);
          if (notices.length > 0) bus.publish(notices);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
