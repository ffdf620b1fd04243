import type { ServerConfig } from '../http/config.js';
import type { OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

/**
 * The default of --heap-growth (issue #20: peak RSS < 300 MB at 100,000 objects, and CPU per
 * request). V8 lets the old generation grow to several times the data that survived the last
 * full collection before it collects again; a server whose requests each promote some
 * short-lived rows and text (eight at a time) then peaked at 426 MB RSS at 10,000 events and
 * 50,000 contacts with ~110 MB live, and at 451 MB at 100,000 events. At 1,000 events 20 % made
 * the full collections (marked on other threads) come too often; 30 % was the default. At
 * 100,000 events (docs/PERFORMANCE.md, "Peak RSS and the heap's growth") 60 % with the young
 * generation halved (`node --max-semi-space-size=8`, which `npm start`, deploy/ and the bench
 * pass) took 18–36 % less CPU per request than 30 % on the month query, the expanded week, FN
 * search and mixed load, and peaked at 291–292 MB against 294–296 MB for 30 % (60 % with V8's
 * default young generation: 313–318 MB). Unlike a fixed --max-old-space-size it cannot end the
 * process when the live data is legitimately larger.
 */
const DEFAULT_HEAP_GROWTH = 60;

/** `almanac serve` flags for running it in production: TLS, log format, /metrics access (issue #19). */
export const OPS_OPTIONS: OptionTable = {
  'tls-cert': {
    type: 'string',
    env: 'ALMANAC_TLS_CERT',
    value: 'FILE',
    description: 'PEM certificate chain: serve HTTPS (needs --tls-key; both re-read on SIGHUP) (default: plain HTTP)',
  },
  'tls-key': {
    type: 'string',
    env: 'ALMANAC_TLS_KEY',
    value: 'FILE',
    description: 'PEM private key of --tls-cert',
  },
  'log-format': {
    type: 'string',
    env: 'ALMANAC_LOG_FORMAT',
    value: 'plain|json',
    description: 'request log on stderr: plain lines, or one JSON object per request with its id (default plain)',
  },
  'heap-growth': {
    type: 'string',
    env: 'ALMANAC_HEAP_GROWTH',
    value: 'PERCENT',
    description: `how far the JavaScript heap may grow past its live data before a full collection, 0 = V8's own (default ${DEFAULT_HEAP_GROWTH})`,
  },
  'metrics-token': {
    type: 'string',
    env: 'ALMANAC_METRICS_TOKEN',
    value: 'TOKEN',
    description: '/metrics also answers any address sending "Authorization: Bearer TOKEN" (default: loopback only)',
  },
};

/** --heap-growth as a percentage (0 = leave V8's heuristics alone). */
export function heapGrowthPercent(args: ParsedArgs): number {
  const raw = args.string('heap-growth');
  if (raw === undefined) return DEFAULT_HEAP_GROWTH;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > 300)
    throw new UsageError(`invalid ${args.source('heap-growth')} '${raw}': expected a percentage from 0 to 300`);
  return Number(raw);
}

/** The ServerConfig fields these flags set. */
export function opsConfig(args: ParsedArgs): Pick<ServerConfig, 'tls' | 'logFormat' | 'metricsToken'> {
  const certFile = args.string('tls-cert');
  const keyFile = args.string('tls-key');
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new UsageError(
      `${args.source(certFile === undefined ? 'tls-key' : 'tls-cert')} needs its pair: --tls-cert and --tls-key go together`,
    );
  const format = args.string('log-format') ?? 'plain';
  if (format !== 'plain' && format !== 'json')
    throw new UsageError(`invalid ${args.source('log-format')} '${format}': expected plain or json`);
  const token = args.string('metrics-token');
  if (token !== undefined && !/^\S{16,}$/.test(token))
    throw new UsageError(`invalid ${args.source('metrics-token')}: use at least 16 characters without spaces`);
  return {
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    logFormat: format,
    metricsToken: token,
  };
}
