import type { Store, StoreTx, TxLocks } from '../store/store.js';
import type { PushChange } from '../store/capabilities/push.js';
import { noticeFor, type ChangeBus, type ChangeNotice } from './bus.js';
import { queueFarewells } from './farewell.js';
import { queueInvitationNotice } from './invitation-notices.js';
import type { PutOptions } from '../store/types.js';
import type { Share } from '../store/capabilities/shares.js';
import { SCOPED_VIEW, type PushScope } from './scope.js';

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * What one transaction changed: collections whose members changed, resources whose properties
 * did; and how many push jobs and messages it queued.
 */
interface Touched {
  /** The writer's (scope.ts); none for a writer outside a DAV request (a command-line import). */
  readonly scope: PushScope | undefined;
  readonly content: Set<string>;
  readonly property: Set<string>;
  /**
   * The push jobs of the paths touched so far, queued one after another in the transaction
   * (`touch`); resolves to how many were queued.
   */
  queueing: Promise<number>;
  pushQueued: number;
}

/**
 * Note that the transaction changed `path`'s members (`content`) or its properties, and queue
 * its push job (a content or property update, merged into the collection's waiting job) the
 * first time: before the write that touches it, not after the transaction's last write (issue
 * #20). The job's look-up for registrations then goes out with the write's own first reads,
 * not after the rows every write of a collection holds to commit (its sync sequence, the
 * owner's quota) were updated: on PostgreSQL they were held for that round trip and a turn of
 * the event loop, and the other writers of the collection waited. Jobs are queued one after
 * another, so two never look for the same waiting job at once.
 */
function touch(tx: StoreTx, touched: Touched, kind: 'content' | 'property', path: string): void {
  const paths = touched[kind];
  if (paths.has(path)) return;
  paths.add(path);
  const scope = touched.scope;
  const dontNotify = scope?.dontNotify ?? [];
  if (dontNotify === '*') return;
  const change: PushChange = { path, content: kind === 'content', property: kind === 'property' };
  const before = touched.queueing;
  const queued = (async () =>
    (await before) + (await tx.enqueuePush([change], dontNotify, scope?.userId ?? null, Date.now())))();
  queued.catch(() => undefined); // awaited at the transaction's end; a write's own failure is the one reported
  touched.queueing = queued;
}

function wrapTx(tx: StoreTx, touched: Touched): StoreTx {
  // Each method once per transaction, not a bound function per call (issue #20: an import's
  // transaction calls the store's methods tens of thousands of times).
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(tx, {
    get(target, prop, receiver) {
      const kept = methods.get(prop);
      if (kept !== undefined) return kept;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = observed(target, prop, value as (...args: unknown[]) => Promise<unknown>, touched);
      methods.set(prop, method);
      return method;
    },
  });
}

/** `fn`, the method `prop` of `target`, as the transaction's wrapper calls it: observed, or bound. */
function observed(
  target: StoreTx,
  prop: PropertyKey,
  fn: (...args: unknown[]) => Promise<unknown>,
  touched: Touched,
): (...args: never[]) => unknown {
  switch (prop) {
    case 'deleteResource':
      return async (path: string, ...rest: unknown[]) => {
        touch(target, touched, 'content', parentOf(path));
        touched.pushQueued += await queueFarewells(target, path, touched.scope);
        return fn.call(target, path, ...rest);
      };
    case 'putObject':
      return async (path: string, options: PutOptions, ...rest: unknown[]) => {
        touch(target, touched, 'content', parentOf(path));
        const r = await fn.call(target, path, options, ...rest);
        touched.pushQueued += await queueInvitationNotice(target, path, options);
        return r;
      };
    case 'createCollection':
      return (path: string, ...rest: unknown[]) => {
        touch(target, touched, 'content', parentOf(path));
        return fn.call(target, path, ...rest);
      };
    case 'moveResource':
      return (from: string, to: string, ...rest: unknown[]) => {
        touch(target, touched, 'content', parentOf(from));
        touch(target, touched, 'content', parentOf(to));
        return fn.call(target, from, to, ...rest);
      };
    case 'updateShare':
    case 'deleteShare':
      // A sharee's instance appearing, going or renamed moves their home's feed (RFC 6578
      // §3.5.1, store/sql/sql-store.ts recordInstance): the home is announced like any collection.
      return async (id: number, ...rest: unknown[]) => {
        const before = await target.shareById(id);
        const after = (await fn.call(target, id, ...rest)) as Share | undefined;
        for (const s of [before, after]) {
          if (s?.status === 'accepted' && s.instancePath) touch(target, touched, 'content', parentOf(s.instancePath));
        }
        return after;
      };
    case 'patchProperties':
      return async (id: number, ...rest: unknown[]) => {
        const r = await target.getResourceById(id);
        if (r) {
          touch(target, touched, 'property', r.path);
          touch(target, touched, 'content', parentOf(r.path));
        }
        return fn.call(target, id, ...rest);
      };
    default:
      return fn.bind(target);
  }
}

/**
 * Wraps a Store so that every transaction that wrote a collection member queues its push jobs
 * inside the transaction and, after it committed, announces which collections' change feeds
 * moved. Nothing is queued or announced for a transaction that rolled back. The store itself
 * stays unaware of push: the methods that append to a change feed (putObject, createCollection,
 * deleteResource, moveResource) are the ones observed, plus patchProperties (a calendar renamed
 * or recoloured) and a share's update or removal (an instance in a sharee's home). The notices of
 * a transaction that queued push jobs or messages say so (`ChangeNotice.pushQueued`): only those
 * make this node's delivery claim them (push/delivery.ts).
 */
export function notifyingStore(store: Store, bus: ChangeBus, scope?: PushScope): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === SCOPED_VIEW) return (s: PushScope) => notifyingStore(target, bus, s);
      if (prop === 'transaction') {
        return async <T>(keys: TxLocks, fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
          const touched: Touched = {
            scope,
            content: new Set(),
            property: new Set(),
            queueing: Promise.resolve(0),
            pushQueued: 0,
          };
          const result = await target.transaction(keys, async (tx) => {
            let r: T;
            try {
              r = await fn(wrapTx(tx, touched));
            } catch (err) {
              // Nothing of the transaction may still be sending when it rolls back.
              await touched.queueing.catch(() => undefined);
              throw err;
            }
            touched.pushQueued += await touched.queueing;
            return r;
          });
          const all = new Set([...touched.content, ...touched.property]);
          const pushQueued = touched.pushQueued > 0;
          const notices = [...all]
            .map((path) => noticeFor(path, pushQueued))
            .filter((n): n is ChangeNotice => n !== null);
          if (notices.length > 0) bus.publish(notices);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
