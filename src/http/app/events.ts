import type { IncomingMessage, ServerResponse } from 'node:http';
import { hrefOf } from '../../dav/core/paths.js';
import type { ChangeBus } from '../../push/index.js';
import type { SharesReader } from '../../store/store.js';
import type { User } from '../../store/types.js';

const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events (HTML Living Standard §9.2) for one user: a `change` event names the
 * collection href whose change feed moved; the app then runs sync-collection on it. No data
 * rides along, so nothing is ever sent that the DAV ACLs would not give the same user.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly bus: ChangeBus,
    private readonly shares: Pick<SharesReader, 'sharesFor'>,
  ) {}

  /**
   * The user's instances of collections shared with them, by the shared collection's path: a
   * change there is announced under the instance's href (issue #17 sharing). Read at attach,
   * after every change in the user's own area (an answered invitation writes there) and at each
   * heartbeat, so a share's end is seen within one beat; a notice carries no data either way.
   */
  private async instancesOf(user: User): Promise<Map<string, string>> {
    const all = await this.shares.sharesFor(user.id);
    return new Map(all.flatMap((s) => (s.instancePath === null ? [] : [[s.collectionPath, s.instancePath]])));
  }

  /**
   * `stillValid` is asked at every heartbeat: a stream whose session has ended (logout, password
   * change, user deleted) is closed then.
   */
  attach(req: IncomingMessage, res: ServerResponse, user: User, stillValid: () => Promise<boolean>): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    let instances = new Map<string, string>();
    const refresh = (): Promise<void> =>
      this.instancesOf(user).then(
        (m) => void (instances = m),
        () => undefined,
      );
    // Hello once the instances are known: a change after it is announced wherever it is seen.
    void refresh().then(() => {
      if (!res.writableEnded && !res.destroyed) res.write('retry: 2000\n\nevent: hello\ndata: {}\n\n');
    });
    const unsubscribe = this.bus.subscribe((n) => {
      const path = n.owner === user.name ? n.collection : instances.get(n.collection);
      if (path === undefined) return;
      if (n.owner === user.name) void refresh();
      res.write(`event: change\ndata: ${JSON.stringify({ href: hrefOf(path, true) })}\n\n`);
    });
    const beat = setInterval(() => {
      void refresh();
      void stillValid().then(
        (ok) => (ok ? res.write(': ping\n\n') : res.end()),
        () => res.end(),
      );
    }, HEARTBEAT_MS);
    this.open.add(res);
    const done = (): void => {
      clearInterval(beat);
      unsubscribe();
      this.open.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  /** End every stream (server shutdown). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
