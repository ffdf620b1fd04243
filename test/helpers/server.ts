import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '../../src/domain/users.js';
import { DEFAULT_CONFIG, type ServerConfig } from '../../src/http/config.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';

export interface TestServer {
  readonly url: string;
  readonly store: Store;
  readonly dataDir: string;
  /** The server's cache statistics by name (domain/caches.ts), a snapshot per call. */
  readonly cacheStats: RunningServer['cacheStats'];
  /** Scheduling by email, when the config turns it on (RFC 6047). */
  readonly imip: RunningServer['imip'];
  /** `store` as the server writes it: writes through it reach the browsers' live updates, as the server's own do. */
  readonly announcing: Store;
  /** Resolves when the birthday calendars the last address-book writes asked for are made (they read cards). */
  birthdaysIdle(): Promise<void>;
  /** Stop the server, close the store, remove the data directory. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Users to create, name → password. Default: alice/alice-pw and bob/bob-pw. */
  readonly users?: Record<string, string>;
  readonly config?: Partial<ServerConfig>;
  /** Use this store instead of a fresh SQLite file (e.g. a PostgreSQL one). */
  readonly store?: Store;
}

/** A real Almanac on 127.0.0.1 with a fresh SQLite store in a temp directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'almanac-test-'));
  const store = options.store ?? openSqliteStore(join(dataDir, 'almanac.sqlite'), { synchronous: 'NORMAL' });
  const users = options.users ?? { alice: 'alice-pw', bob: 'bob-pw' };
  for (const [name, password] of Object.entries(users)) {
    await store.transaction([`/files/${name}`], (tx) =>
      createUser(tx, { name, password, email: `${name}@example.com` }),
    );
  }
  const server = await startServer(store, {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    logRequests: false,
    ...options.config,
  });
  return {
    url: server.url,
    store,
    dataDir,
    cacheStats: () => server.cacheStats(),
    imip: server.imip,
    announcing: server.store,
    birthdaysIdle: () => server.derived.birthdays.idle(),
    async close() {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Basic auth header for a user. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** fetch with Basic auth for `user` (password `<user>-pw` by default). */
export function davFetch(base: string, user = 'alice', password = `${user}-pw`) {
  return (path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {}) =>
    fetch(new URL(path, base), {
      method: init.method ?? 'GET',
      headers: { Authorization: basic(user, password), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
}
