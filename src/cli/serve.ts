import { setFlagsFromString } from 'node:v8';
import type { ServerConfig } from '../http/config.js';
import { formatCacheStats } from '../domain/caches.js';
import type { RunningServer } from '../http/server.js';
import { generatePassword } from '../domain/passwords.js';
import { accountLockKeys, createUser } from '../domain/users.js';
import type { Store } from '../store/store.js';
import { SERVER_OPTIONS, STORE_OPTIONS, serverConfig } from './args.js';
import type { Command, CommandIo } from './command.js';
import { CliError, errorMessage } from './errors.js';
import { IMIP_OPTIONS, imipConfig } from './imip-args.js';
import { DIRECTORY_OPTIONS, directoryConfig } from './directory-args.js';
import { OPS_OPTIONS, heapGrowthPercent, opsConfig } from './ops-args.js';
import { OIDC_OPTIONS, oidcConfig } from './oidc-args.js';
import { describeStore, openStoreAt } from './store.js';

const ADMIN = 'admin';

/**
 * First start: with no users at all, create `admin` with a random password, an admin of the web
 * app's Admin section (domain/accounts/admin.ts: the first user of a server is). The check is
 * repeated inside the transaction, so several nodes starting together create it once.
 */
async function createFirstAdmin(store: Store): Promise<string | null> {
  if ((await store.listUsers()).length > 0) return null;
  const password = generatePassword();
  const created = await store.transaction(accountLockKeys(ADMIN), async (tx) => {
    if ((await tx.listUsers()).length > 0) return false;
    await createUser(tx, { name: ADMIN, password, isAdmin: true });
    return true;
  });
  return created ? password : null;
}

function baseUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function configuredUrl(config: ServerConfig): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${config.port}/`;
}

function adminBlock(password: string, url: string): string[] {
  const rule = '-'.repeat(72);
  return [
    rule,
    `First start: created user ${ADMIN} with password ${password}`,
    `Server: ${url}   WebDAV files: ${url}dav/files/${ADMIN}/`,
    'This password is not shown again. Change it with:',
    `  almanac user passwd ${ADMIN} --password-stdin`,
    rule,
  ];
}

async function listen(store: Store, config: ServerConfig): Promise<RunningServer> {
  // Loaded here, not at the top: the server is most of the code, and every other command
  // (`almanac user add`, …) would pay for loading it (about a second) at each start.
  const { startServer } = await import('../http/server.js');
  try {
    return await startServer(store, config);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') throw new CliError(`cannot listen on ${where}: address already in use`);
    if (code === 'EACCES') throw new CliError(`cannot listen on ${where}: permission denied`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new CliError(`cannot listen on ${where}: no such local address`);
    // TLS files that cannot be read or do not fit together (http/tls.ts).
    if (config.tls && (code === 'ENOENT' || code === 'EACCES' || /PEM|key|certificate/i.test(errorMessage(err))))
      throw new CliError(
        `cannot use --tls-cert ${config.tls.certFile} / --tls-key ${config.tls.keyFile}: ${errorMessage(err)}`,
      );
    throw err;
  }
}

/** Resolves with the first SIGTERM/SIGINT; a second one exits at once without draining. */
function shutdownSignal(io: CommandIo): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', first).off('SIGINT', first);
      process.once('SIGTERM', force).once('SIGINT', force);
      resolve(signal);
    };
    const force = (signal: NodeJS.Signals): void => {
      io.err(`almanac: ${signal} again, exiting without waiting for requests`);
      process.exit(1);
    };
    process.on('SIGTERM', first).on('SIGINT', first);
  });
}

export const serve: Command = {
  name: 'serve',
  args: [],
  summary: 'run the server (creates user admin on first start)',
  details: 'Every flag can also be set with its environment variable; a flag wins over the variable.',
  options: {
    ...SERVER_OPTIONS,
    ...STORE_OPTIONS,
    ...IMIP_OPTIONS,
    ...OPS_OPTIONS,
    ...DIRECTORY_OPTIONS,
    ...OIDC_OPTIONS,
  },
  async run(args, io) {
    const config: ServerConfig = {
      ...serverConfig(args),
      imip: imipConfig(args),
      directory: directoryConfig(args),
      oidc: oidcConfig(args),
      ...opsConfig(args),
    };
    // V8 reads this when it sizes the heap after each full collection (ops-args.ts).
    const growth = heapGrowthPercent(args);
    if (growth > 0) setFlagsFromString(`--heap-growing-percent=${growth}`);
    const stop = shutdownSignal(io); // listen for signals before anything is opened
    const store = await openStoreAt(config);
    let running: RunningServer;
    let adminPassword: string | null = null;
    try {
      adminPassword = await createFirstAdmin(store);
      running = await listen(store, config);
    } catch (err) {
      // The password is stored already: show it even though the server could not start.
      if (adminPassword !== null) adminBlock(adminPassword, configuredUrl(config)).forEach((l) => io.out(l));
      await store.close().catch(() => undefined);
      throw err;
    }
    const url = baseUrl(running.url);
    if (adminPassword !== null) adminBlock(adminPassword, url).forEach((l) => io.out(l));
    io.out(`Almanac listening on ${url} (store: ${describeStore(config)})`);
    const reload = (): void => {
      const problem = running.reloadTls();
      if (problem === null) io.out('SIGHUP: TLS certificate and key reloaded');
      else io.err(`almanac: SIGHUP: ${problem}`);
    };
    process.on('SIGHUP', reload);

    const signal = await stop;
    process.off('SIGHUP', reload);
    io.out(`Received ${signal}, finishing requests in progress`);
    try {
      await running.close();
      io.out(formatCacheStats(running.cacheStats())); // what the caches did this run (the benchmark logs it)
    } finally {
      await store.close().catch((err: unknown) => io.err(`almanac: closing the store: ${errorMessage(err)}`));
    }
    io.out('Almanac stopped');
    return 0;
  },
};
