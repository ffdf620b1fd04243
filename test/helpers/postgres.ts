/**
 * Throwaway PostgreSQL databases for tests. The server is found through ALMANAC_TEST_PG
 * (a URL of an existing database to connect to for CREATE/DROP DATABASE), defaulting to
 * `postgres://127.0.0.1:5432/test`; with trust auth the user is tried as given, then `postgres`.
 *
 * When CI=true an unreachable server is a failure, never a skip: see `postgresSkipReason`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.ALMANAC_TEST_PG ?? 'postgres://127.0.0.1:5432/test';

let adminUrlPromise: Promise<string | null> | undefined;

function withUser(url: string, user: string | null): string {
  const u = new URL(url);
  if (user !== null) u.username = user;
  return u.toString();
}

async function canCreateDatabases(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query(
      'SELECT rolsuper OR rolcreatedb AS ok FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.ok === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The admin URL of a role that may create databases, or null when the server is unreachable. */
function adminUrl(): Promise<string | null> {
  adminUrlPromise ??= (async () => {
    for (const candidate of [withUser(ADMIN_URL, null), withUser(ADMIN_URL, 'postgres')]) {
      if (await canCreateDatabases(candidate)) return candidate;
    }
    return null;
  })();
  return adminUrlPromise;
}

export async function postgresAvailable(): Promise<boolean> {
  return (await adminUrl()) !== null;
}

/**
 * `false` when PostgreSQL tests should run; a message when they should be skipped (only outside
 * CI). Under CI=true an unreachable server throws, so the suite fails instead of passing empty.
 */
export async function postgresSkipReason(): Promise<string | false> {
  if (await postgresAvailable()) return false;
  const msg = `PostgreSQL is not reachable at ${ADMIN_URL} (set ALMANAC_TEST_PG to a database URL)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true, so PostgreSQL tests must run`);
  return `${msg}; skipping PostgreSQL tests`;
}

/** Quote an identifier we generated ourselves (letters, digits, underscores). */
function ident(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad identifier ${name}`);
  return `"${name}"`;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = await adminUrl();
  if (url === null) throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Create a uniquely named empty database. Where the server has ICU, the database uses a
 * linguistic collation (en-US) like most production installs, not "C", so that code which
 * relies on byte order without saying so fails here rather than in production.
 */
export async function createThrowawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `almanac_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (c) => {
    try {
      await c.query(
        `CREATE DATABASE ${ident(name)} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`,
      );
    } catch {
      await c.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0 ENCODING 'UTF8'`);
    }
  });
  const u = new URL((await adminUrl())!);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    url: u.toString(),
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      await withAdmin(async (c) => {
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await c.query(`DROP DATABASE IF EXISTS ${ident(name)}`);
      });
    },
  };
}
