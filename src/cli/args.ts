import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type ServerConfig } from '../http/config.js';
import { parseTrustedProxies } from '../http/client-address.js';
import type { Command, CommandIo, OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

/** --data and --database: every command that opens the store takes them. */
export const STORE_OPTIONS: OptionTable = {
  data: {
    type: 'string',
    env: 'ALMANAC_DATA',
    value: 'DIR',
    description: `directory for the SQLite store (default ${DEFAULT_CONFIG.dataDir})`,
  },
  database: {
    type: 'string',
    env: 'ALMANAC_DATABASE',
    value: 'URL',
    description: 'postgres://user@host/db for PostgreSQL, or sqlite:FILE (default: SQLite under --data)',
  },
};

export const SERVER_OPTIONS: OptionTable = {
  host: {
    type: 'string',
    env: 'ALMANAC_HOST',
    value: 'HOST',
    description: `address to listen on (default ${DEFAULT_CONFIG.host})`,
  },
  port: {
    type: 'string',
    env: 'ALMANAC_PORT',
    value: 'PORT',
    description: `TCP port, 0-65535 (default ${DEFAULT_CONFIG.port})`,
  },
  'relay-allow-private': {
    type: 'boolean',
    env: 'ALMANAC_RELAY_ALLOW_PRIVATE',
    description: 'let the web app relay and .ics subscriptions reach loopback/private addresses (default: refused)',
  },
  'subscription-check': {
    type: 'string',
    env: 'ALMANAC_SUBSCRIPTION_CHECK',
    value: 'S',
    description: `seconds between looks for due .ics subscriptions, 0 = this node fetches none (default ${DEFAULT_CONFIG.subscriptionCheckMs / 1000})`,
  },
  'push-contact': {
    type: 'string',
    env: 'ALMANAC_PUSH_CONTACT',
    value: 'URL',
    description: `WebDAV-Push: mailto: or https: contact sent to push services in the VAPID token (default ${DEFAULT_CONFIG.pushContact})`,
  },
  'push-max-per-user': {
    type: 'string',
    env: 'ALMANAC_PUSH_MAX_PER_USER',
    value: 'N',
    description: `WebDAV-Push: most push registrations one user may hold (default ${DEFAULT_CONFIG.pushMaxPerUser})`,
  },
  'max-upload-bytes': {
    type: 'string',
    env: 'ALMANAC_MAX_UPLOAD_BYTES',
    value: 'N',
    description: `largest PUT body in bytes (default ${DEFAULT_CONFIG.maxUploadBytes})`,
  },
  'headers-timeout': {
    type: 'string',
    env: 'ALMANAC_HEADERS_TIMEOUT',
    value: 'S',
    description: `seconds a client may take to send the request headers (default ${DEFAULT_CONFIG.headersTimeoutMs / 1000})`,
  },
  'body-idle-timeout': {
    type: 'string',
    env: 'ALMANAC_BODY_IDLE_TIMEOUT',
    value: 'S',
    description: `seconds a request body may stall before the connection is cut (default ${DEFAULT_CONFIG.bodyIdleTimeoutMs / 1000})`,
  },
  'request-timeout': {
    type: 'string',
    env: 'ALMANAC_REQUEST_TIMEOUT',
    value: 'S',
    description: `seconds the whole request (headers and body) may take to arrive (default ${DEFAULT_CONFIG.requestTimeoutMs / 1000})`,
  },
  'keep-alive-timeout': {
    type: 'string',
    env: 'ALMANAC_KEEP_ALIVE_TIMEOUT',
    value: 'S',
    description: `seconds an idle connection is kept open for the next request (default ${DEFAULT_CONFIG.keepAliveTimeoutMs / 1000})`,
  },
  'trusted-proxies': {
    type: 'string',
    env: 'ALMANAC_TRUSTED_PROXIES',
    value: 'LIST',
    description:
      'reverse proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For names the client (default: none)',
  },
  'response-cache-mb': {
    type: 'string',
    env: 'ALMANAC_RESPONSE_CACHE_MB',
    value: 'MB',
    description: `memory for repeated report answers, 0 = off (default ${DEFAULT_CONFIG.responseCacheBytes / 1048576})`,
  },
  'object-cache-mb': {
    type: 'string',
    env: 'ALMANAC_OBJECT_CACHE_MB',
    value: 'MB',
    description: `memory for parsed calendar objects and their intervals and renderings, 0 = off (default ${DEFAULT_CONFIG.objectCacheBytes / 1048576})`,
  },
};

function usageMessage(err: unknown, command: Command): string {
  const e = err as { code?: string; message?: string };
  const text = e.message ?? String(err);
  const quoted = /'([^']+)'/.exec(text)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''} for '${command.name}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${(quoted ?? '').replace(/ <value>$/, '')} ${/argument missing/.test(text) ? 'needs a value' : 'does not take a value'}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted ?? ''}`;
    default:
      return text.split('\n')[0] ?? text;
  }
}

/** Parse `argv` (the words after the command name) against the command's options. */
export function parseCommandArgs(command: Command, argv: readonly string[], env: CommandIo['env']): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) options[name] = { type: spec.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${usageMessage(err, command)} (see: almanac ${command.name} --help)`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  if (!help) {
    const want = command.args.length;
    const got = parsed.positionals.length;
    if (got < want)
      throw new UsageError(
        `'${command.name}' needs ${command.args.slice(got).join(' ')} (see: almanac ${command.name} --help)`,
      );
    if (got > want) throw new UsageError(`unexpected argument '${parsed.positionals[want]}' for '${command.name}'`);
  }
  const fromEnv = (name: string): string | undefined => {
    const variable = command.options[name]?.env;
    const value = variable === undefined ? undefined : env[variable];
    return value === '' ? undefined : value;
  };
  return {
    positionals: parsed.positionals,
    help,
    string: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : fromEnv(name);
    },
    flag: (name) => values[name] === true,
    source: (name) => (values[name] !== undefined ? `--${name}` : (command.options[name]?.env ?? `--${name}`)),
  };
}

export function integer(args: ParsedArgs, name: string, min: number, max: number, what: string): number | undefined {
  const raw = args.string(name);
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`invalid ${args.source(name)} '${raw}': expected ${what}`);
  }
  return n;
}

export interface StoreLocation {
  readonly dataDir: string;
  readonly database?: string | undefined;
}

/** --data / --database with their environment variables and defaults. */
export function storeLocation(args: ParsedArgs): StoreLocation {
  const database = args.string('database');
  if (database !== undefined && !/^(postgres(ql)?:\/\/|sqlite:)/.test(database)) {
    throw new UsageError(`invalid ${args.source('database')}: use postgres://… or sqlite:FILE`);
  }
  return { dataDir: args.string('data') ?? DEFAULT_CONFIG.dataDir, database };
}

/** A number of seconds 1-86400 given by flag or variable, in ms; the default when unset. */
function seconds(args: ParsedArgs, name: string, fallbackMs: number): number {
  const s = integer(args, name, 1, 86_400, 'a number of seconds 1-86400');
  return s === undefined ? fallbackMs : s * 1000;
}

/** The timeouts of `serve`; the headers must be allowed to arrive within the whole request's time. */
function timeouts(
  args: ParsedArgs,
): Pick<ServerConfig, 'headersTimeoutMs' | 'bodyIdleTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'> {
  const t = {
    headersTimeoutMs: seconds(args, 'headers-timeout', DEFAULT_CONFIG.headersTimeoutMs),
    bodyIdleTimeoutMs: seconds(args, 'body-idle-timeout', DEFAULT_CONFIG.bodyIdleTimeoutMs),
    requestTimeoutMs: seconds(args, 'request-timeout', DEFAULT_CONFIG.requestTimeoutMs),
    keepAliveTimeoutMs: seconds(args, 'keep-alive-timeout', DEFAULT_CONFIG.keepAliveTimeoutMs),
  };
  if (t.headersTimeoutMs > t.requestTimeoutMs) {
    throw new UsageError(
      `${args.source('headers-timeout')} (${t.headersTimeoutMs / 1000}) must not exceed ${args.source('request-timeout')} (${t.requestTimeoutMs / 1000})`,
    );
  }
  return t;
}

/** --trusted-proxies: every entry an address or CIDR block, or a usage error naming it. */
function trustedProxies(args: ParsedArgs): readonly string[] {
  const raw = args.string('trusted-proxies');
  const parsed = parseTrustedProxies(raw);
  if ('error' in parsed) throw new UsageError(`invalid ${args.source('trusted-proxies')}: ${parsed.error}`);
  return parsed.ok.entries;
}

/** The whole server configuration for `serve`. */
export function serverConfig(args: ParsedArgs): ServerConfig {
  return {
    ...DEFAULT_CONFIG,
    ...timeouts(args),
    ...storeLocation(args),
    host: args.string('host') ?? DEFAULT_CONFIG.host,
    port: integer(args, 'port', 0, 65535, 'a port number 0-65535') ?? DEFAULT_CONFIG.port,
    maxUploadBytes:
      integer(args, 'max-upload-bytes', 1, Number.MAX_SAFE_INTEGER, 'a positive number of bytes') ??
      DEFAULT_CONFIG.maxUploadBytes,
    responseCacheBytes:
      (integer(args, 'response-cache-mb', 0, 65536, 'a number of megabytes 0-65536') ??
        DEFAULT_CONFIG.responseCacheBytes / 1048576) * 1048576,
    objectCacheBytes:
      (integer(args, 'object-cache-mb', 0, 65536, 'a number of megabytes 0-65536') ??
        DEFAULT_CONFIG.objectCacheBytes / 1048576) * 1048576,
    trustedProxies: trustedProxies(args),
    subscriptionCheckMs:
      (integer(args, 'subscription-check', 0, 86400, 'a number of seconds 0-86400') ??
        DEFAULT_CONFIG.subscriptionCheckMs / 1000) * 1000,
    relayAllowPrivate:
      args.flag('relay-allow-private') || /^(1|true|yes|on)$/i.test(args.string('relay-allow-private') ?? ''),
    pushContact: pushContact(args),
    pushMaxPerUser:
      integer(args, 'push-max-per-user', 0, 100_000, 'a number 0-100000') ?? DEFAULT_CONFIG.pushMaxPerUser,
  };
}

/** --push-contact: the VAPID `sub` claim (RFC 8292 §2.1) must be a mailto: or https: URL. */
function pushContact(args: ParsedArgs): string {
  const v = args.string('push-contact') ?? DEFAULT_CONFIG.pushContact;
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(v))
    throw new UsageError(`invalid ${args.source('push-contact')}: a mailto: or https: URL`);
  return v;
}
