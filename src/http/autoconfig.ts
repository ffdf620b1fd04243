/**
 * Thunderbird autoconfiguration (issue #19): the clientConfig document of Mozilla's
 * "Autoconfiguration" file format (config-v1.1.xml), which Thunderbird 128+ reads for an
 * address book (`<addressBook type="carddav">`) and a calendar (`<calendar type="caldav">`)
 * besides mail. Served at the two places Thunderbird asks a domain's own server:
 * `/.well-known/autoconfig/mail/config-v1.1.xml` and `/mail/config-v1.1.xml?emailaddress=…`.
 *
 * Almanac holds no mail, so `<emailProvider>` names only the domain. The answer never depends on
 * which users exist (no lookup by address: it would tell strangers whose address has an account);
 * the user name is Thunderbird's `%EMAILLOCALPART%` placeholder, which the user can still edit.
 */
import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../dav/core/context.js';
import { DAV_ROOT } from '../dav/index.js';
import type { TrustedProxies } from './client-address.js';
import { requestOrigin } from './well-known.js';

export const AUTOCONFIG_PATHS = new Set(['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml']);

/** A domain name as an e-mail address may end in (RFC 5321 §4.1.2 Domain, no address literals). */
const DOMAIN =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The domain of `?emailaddress=`, or null when there is none or it is not a plain address. */
function addressDomain(req: IncomingMessage): string | null | 'bad' {
  const raw = new URL(req.url ?? '/', 'http://x').searchParams.get('emailaddress');
  if (raw === null) return null;
  const at = raw.lastIndexOf('@');
  if (raw.length > 254 || at < 1) return 'bad';
  const domain = raw.slice(at + 1);
  return DOMAIN.test(domain) ? domain.toLowerCase() : 'bad';
}

function davBlock(tag: 'addressBook' | 'calendar', type: string, url: string): string {
  return [
    `  <${tag} type="${type}">`,
    '    <username>%EMAILLOCALPART%</username>',
    '    <authentication>http-basic</authentication>',
    `    <serverURL>${escapeXml(url)}</serverURL>`,
    `  </${tag}>`,
  ].join('\n');
}

export function autoconfig(req: IncomingMessage, trusted: TrustedProxies): DavResponse {
  const text = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { status: 405, headers: { ...text, Allow: 'GET, HEAD' }, body: 'use GET\n' };
  const origin = requestOrigin(req, trusted);
  if (!origin) return { status: 400, headers: text, body: 'the Host header does not name this server\n' };
  const fromAddress = addressDomain(req);
  if (fromAddress === 'bad') return { status: 400, headers: text, body: 'emailaddress is not an e-mail address\n' };
  const domain = fromAddress ?? new URL(origin).hostname;
  const dav = `${origin}${DAV_ROOT}/`;
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<clientConfig version="1.1">',
    `  <emailProvider id="${escapeXml(domain)}">`,
    `    <domain>${escapeXml(domain)}</domain>`,
    `    <displayName>Almanac (${escapeXml(new URL(origin).hostname)})</displayName>`,
    '  </emailProvider>',
    davBlock('addressBook', 'carddav', dav),
    davBlock('calendar', 'caldav', dav),
    '</clientConfig>',
    '',
  ].join('\n');
  // The document names the Host the request gave: never stored for another client.
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-store' },
    body,
  };
}
