import type { ReplyAddressSettings } from './imip-config.js';

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
const MAX_LOCAL_PART = 64;

/** `PREFIX+TOKEN@DOMAIN`, or null when it would not be a valid address (the token is too long). */
export function replyAddress(settings: ReplyAddressSettings, token: string): string | null {
  const local = `${settings.prefix}+${token}`;
  return Buffer.byteLength(local, 'utf8') <= MAX_LOCAL_PART ? `${local}@${settings.domain}` : null;
}

/** Whether `address` is in the reply domain (the LMTP listener accepts only those). */
export function inReplyDomain(settings: ReplyAddressSettings, address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && address.slice(at + 1).toLowerCase() === settings.domain.toLowerCase();
}

/** The token of a reply address (`PREFIX+TOKEN@DOMAIN`, case-insensitive), or null. */
export function tokenOf(settings: ReplyAddressSettings, address: string): string | null {
  if (!inReplyDomain(settings, address)) return null;
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const head = `${settings.prefix.toLowerCase()}+`;
  return local.startsWith(head) && local.length > head.length ? local.slice(head.length) : null;
}
