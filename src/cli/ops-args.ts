import type { ServerConfig } from '../http/config.js';
import type { OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

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
  'metrics-token': {
    type: 'string',
    env: 'ALMANAC_METRICS_TOKEN',
    value: 'TOKEN',
    description: '/metrics also answers any address sending "Authorization: Bearer TOKEN" (default: loopback only)',
  },
};

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
