import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Listeners, type ChangeBus, type ChangeNotice, type NoticeListener } from './bus.js';

/** The PostgreSQL channel every node LISTENs on. */
const CHANNEL = 'almanac_changes';

/**
 * Several nodes on one PostgreSQL database: a notice is sent with NOTIFY and every node,
 * the sender included, hears it through LISTEN and hands it to its own subscribers. NOTIFY
 * payloads are limited to 8000 bytes, so each notice is sent alone (a path is far shorter).
 * A lost listening connection is re-opened; clients re-sync on reconnect anyway, so a notice
 * missed in that gap costs only latency.
 */
export class PgBus implements ChangeBus {
  private readonly listeners = new Listeners();
  private readonly pool: pg.Pool;
  private listener: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  /** Resolves when the LISTEN connection is up (tests wait for it). */
  ready: Promise<void>;

  private readonly sending = new Set<Promise<unknown>>();
  /**
   * Sent with each notice of a listening node, so that the nodes that hear it know whether it is
   * their own (`ChangeNotice.remote`); a publish-only process sends none.
   */
  private readonly origin: string | undefined;

  /** `listen: false` only publishes (a command-line process that writes, e.g. `almanac import`). */
  constructor(
    private readonly url: string,
    options: { listen?: boolean } = {},
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.pool.on('error', (err) => console.error('push: notify pool error:', err.message));
    this.origin = options.listen === false ? undefined : randomUUID();
    this.ready = options.listen === false ? Promise.resolve() : this.listen();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const n = JSON.parse(msg.payload) as ChangeNotice & { origin?: unknown };
        if (typeof n.collection !== 'string' || typeof n.owner !== 'string') return;
        const remote = typeof n.origin === 'string' && n.origin !== this.origin;
        const flag = remote ? { remote: true as const } : n.pushQueued === true ? { pushQueued: true as const } : {};
        this.listeners.emit({ collection: n.collection, owner: n.owner, ...flag });
      } catch {
        // not ours
      }
    });
    client.on('error', (err) => {
      console.error('push: LISTEN connection lost:', err.message);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.listener = client;
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = undefined;
    client.end().catch(() => undefined);
    this.listenAgain(500);
  }

  /** Try to LISTEN again after `ms`, and again every second for as long as the database refuses. */
  private listenAgain(ms: number): void {
    this.retry = setTimeout(() => {
      this.ready = this.listen().catch((err: Error) => {
        console.error('push: LISTEN reconnect failed:', err.message);
        if (!this.closed) this.listenAgain(1000);
      });
    }, ms);
  }

  publish(notices: readonly ChangeNotice[]): void {
    for (const n of notices) {
      const sent: Promise<unknown> = this.pool
        .query('SELECT pg_notify($1, $2)', [
          CHANNEL,
          JSON.stringify({
            collection: n.collection,
            owner: n.owner,
            origin: this.origin,
            ...(n.pushQueued === true ? { pushQueued: true } : {}),
          }),
        ])
        .catch((err: Error) => console.error('push: NOTIFY failed:', err.message))
        .finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    }
  }

  subscribe(listener: NoticeListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await Promise.all([...this.sending]); // notices already published still go out
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}
