import type { IncomingMessage, ServerResponse } from 'node:http';
import { hrefOf } from '../../dav/core/paths.js';
import type { ChangeBus } from '../../push/index.js';
import type { User } from '../../store/types.js';

const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events (HTML Living Standard §9.2) for one user: a `change` event names the
 * collection href whose change feed moved; the app then runs sync-collection on it. No data
 * rides along, so nothing is ever sent that the DAV ACLs would not give the same user.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly bus: ChangeBus) {}

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
    res.write('retry: 2000\n\nevent: hello\ndata: {}\n\n');
    const unsubscribe = this.bus.subscribe((n) => {
      if (n.owner !== user.name) return;
      res.write(`event: change\ndata: ${JSON.stringify({ href: hrefOf(n.collection, true) })}\n\n`);
    });
    const beat = setInterval(() => {
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
