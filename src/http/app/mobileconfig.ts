/**
 * An Apple configuration profile (`.mobileconfig`) that adds a CalDAV and a CardDAV account in one
 * step (issue #19): an XML property list (Apple's plist 1.0 DTD) holding one payload of type
 * `com.apple.caldav.account` and one of `com.apple.carddav.account`, with the device's own app
 * password. The profile is unsigned: iOS and macOS show it as "Unsigned" and install it after the
 * user confirms. The plist is written here rather than with a library: five value kinds, one
 * escape function; tests parse it with an independent reader (Python's plistlib).
 */
import { randomUUID } from 'node:crypto';

type PlistValue = string | number | boolean | readonly PlistValue[] | { readonly [key: string]: PlistValue };

/** Escapes markup and drops what XML 1.0 cannot hold (§2.2: C0 controls other than tab and newlines). */
function escapeXml(s: string): string {
  const allowed = (c: string): boolean => {
    const n = c.codePointAt(0) ?? 0;
    return (n >= 0x20 || n === 0x09 || n === 0x0a || n === 0x0d) && n !== 0xfffe && n !== 0xffff;
  };
  return Array.from(s).filter(allowed).join('').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function plistValue(v: PlistValue, indent: string): string {
  const inner = `${indent}  `;
  if (typeof v === 'string') return `${indent}<string>${escapeXml(v)}</string>`;
  if (typeof v === 'number') return `${indent}<integer>${Math.trunc(v)}</integer>`;
  if (typeof v === 'boolean') return `${indent}<${v ? 'true' : 'false'}/>`;
  if (Array.isArray(v)) {
    const items = (v as readonly PlistValue[]).map((x) => plistValue(x, inner));
    return [`${indent}<array>`, ...items, `${indent}</array>`].join('\n');
  }
  const entries = Object.entries(v as { readonly [key: string]: PlistValue }).map(
    ([k, x]) => `${inner}<key>${escapeXml(k)}</key>\n${plistValue(x, inner)}`,
  );
  return [`${indent}<dict>`, ...entries, `${indent}</dict>`].join('\n');
}

function plist(root: PlistValue): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    plistValue(root, ''),
    '</plist>',
    '',
  ].join('\n');
}

export interface ProfileInput {
  /** `https://host[:port]` (or http) the device reaches the server at. */
  readonly origin: string;
  readonly userName: string;
  readonly password: string;
  /** The device the profile is for (the app password's name). */
  readonly device: string;
  /** Principal path, e.g. `/dav/principals/users/alice/`. */
  readonly principalPath: string;
}

/** The reverse-DNS identifier prefix of our payloads, from the server's host name. */
function identifierBase(host: string): string {
  const parts = host
    .replace(/[^A-Za-z0-9.-]/g, '-')
    .split('.')
    .filter(Boolean)
    .reverse();
  return [...parts, 'almanac'].join('.');
}

/** The `.mobileconfig` text for `input` (Configuration profile reference: CalDAV, CardDAV payloads). */
export function appleProfile(input: ProfileInput): string {
  const url = new URL(input.origin);
  const ssl = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : ssl ? 443 : 80;
  const base = identifierBase(url.hostname);
  const account = (kind: 'CalDAV' | 'CardDAV'): { [key: string]: PlistValue } => ({
    [`${kind}AccountDescription`]: `${kind === 'CalDAV' ? 'Calendars' : 'Contacts'} (${url.hostname})`,
    [`${kind}HostName`]: url.hostname,
    [`${kind}Port`]: port,
    [`${kind}UseSSL`]: ssl,
    [`${kind}Username`]: input.userName,
    [`${kind}Password`]: input.password,
    [`${kind}PrincipalURL`]: input.principalPath,
    PayloadType: `com.apple.${kind.toLowerCase()}.account`,
    PayloadVersion: 1,
    PayloadIdentifier: `${base}.${kind.toLowerCase()}.${input.userName}`,
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadDisplayName: `${kind} (${input.userName})`,
  });
  return plist({
    PayloadContent: [account('CalDAV'), account('CardDAV')],
    PayloadDisplayName: `Almanac: ${input.userName}@${url.hostname}`,
    PayloadDescription: `Calendars and contacts of ${input.userName} on ${url.hostname}, for ${input.device}.`,
    PayloadIdentifier: `${base}.profile.${input.userName}`,
    PayloadOrganization: url.hostname,
    PayloadRemovalDisallowed: false,
    PayloadType: 'Configuration',
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadVersion: 1,
  });
}
