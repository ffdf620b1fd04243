import { readFileSync } from 'node:fs';
import type { OidcConfig } from '../http/app/oidc-login.js';
import type { OptionTable, ParsedArgs } from './command.js';
import { UsageError } from './errors.js';

/** `almanac serve` flags of OpenID Connect login for the web app (issue #19). */
export const OIDC_OPTIONS: OptionTable = {
  'oidc-issuer': {
    type: 'string',
    env: 'ALMANAC_OIDC_ISSUER',
    value: 'URL',
    description: 'web app login also with this OpenID Connect provider (its issuer URL; default: off)',
  },
  'oidc-client-id': { type: 'string', env: 'ALMANAC_OIDC_CLIENT_ID', value: 'ID', description: 'our client id there' },
  'oidc-client-secret': {
    type: 'string',
    env: 'ALMANAC_OIDC_CLIENT_SECRET',
    value: 'SECRET',
    description: 'our client secret (none: a public client, PKCE only)',
  },
  'oidc-client-secret-file': {
    type: 'string',
    env: 'ALMANAC_OIDC_CLIENT_SECRET_FILE',
    value: 'FILE',
    description: 'file holding the client secret (one line), kept out of the process list',
  },
  'oidc-user-claim': {
    type: 'string',
    env: 'ALMANAC_OIDC_USER_CLAIM',
    value: 'CLAIM',
    description: 'claim that is the user name: preferred_username (default) or email (verified only)',
  },
  'oidc-label': {
    type: 'string',
    env: 'ALMANAC_OIDC_LABEL',
    value: 'TEXT',
    description: 'provider name on the login button, "Log in with TEXT" (default: the issuer host)',
  },
};

function clientSecret(args: ParsedArgs): string | undefined {
  const file = args.string('oidc-client-secret-file');
  const direct = args.string('oidc-client-secret');
  if (file !== undefined && direct !== undefined)
    throw new UsageError('--oidc-client-secret and --oidc-client-secret-file: give one');
  if (file === undefined) return direct;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UsageError(`cannot read ${args.source('oidc-client-secret-file')}: ${(err as Error).message}`);
  }
}

/** ServerConfig.oidc from the flags above; undefined = password login only. */
export function oidcConfig(args: ParsedArgs): OidcConfig | undefined {
  const issuer = args.string('oidc-issuer');
  if (issuer === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new UsageError(`--oidc-issuer: not a URL: ${issuer}`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new UsageError('--oidc-issuer must be an https:// URL (plain http only on loopback)');
  const clientId = args.string('oidc-client-id');
  if (clientId === undefined) throw new UsageError('--oidc-issuer needs --oidc-client-id');
  const claim = args.string('oidc-user-claim') ?? 'preferred_username';
  if (claim !== 'preferred_username' && claim !== 'email')
    throw new UsageError('--oidc-user-claim: preferred_username or email');
  return {
    issuer: url.href,
    clientId,
    clientSecret: clientSecret(args),
    userClaim: claim,
    label: args.string('oidc-label') ?? url.host,
  };
}
