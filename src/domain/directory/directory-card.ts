import { createHash } from 'node:crypto';
import type { VProperty } from '../../formats/vcard/model.js';
import { prop } from '../../formats/vcard/model.js';
import { escapeText } from '../../formats/vcard/text.js';
import { writeVcard } from '../../formats/vcard/write.js';

/** A user or group as the directory shows it. */
export interface DirectoryPerson {
  readonly id: number;
  readonly createdAt: number;
  readonly name: string;
  readonly displayName: string | null;
  readonly email: string | null;
}

export interface DirectoryGroup {
  readonly id: number;
  readonly createdAt: number;
  readonly name: string;
  readonly members: readonly DirectoryPerson[];
}

/**
 * The UID of a user's or group's card: a urn:uuid made from its row id and creation time, so it
 * stays the same from query to query (draft-daboo-carddav-directory-gateway §5) and a new
 * account that gets a deleted one's id has another UID.
 */
function directoryUid(kind: 'user' | 'group', who: { readonly id: number; readonly createdAt: number }): string {
  const h = createHash('sha256').update(`almanac-directory:${kind}:${who.id}:${who.createdAt}`).digest('hex');
  // Shaped as a version 8 (custom) UUID, RFC 9562 §5.8.
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const head = (uid: string, kind: string, fn: string): VProperty[] => [
  prop('VERSION', '4.0'),
  prop('PRODID', '-//Almanac//Directory//EN'),
  prop('UID', uid),
  prop('KIND', kind),
  prop('FN', escapeText(fn)),
];

/**
 * A user's card (vCard 4.0, RFC 6350): KIND individual, FN from the display name (the login name
 * when there is none), the e-mail address as EMAIL. Nothing else about the account is exposed
 * (draft §6: only what has a direct vCard equivalent). Clients asking for vCard 3.0 get it
 * converted (formats/vcard/convert.ts adds N, maps KIND for Apple).
 */
export function userCard(user: DirectoryPerson): string {
  const props = head(directoryUid('user', user), 'individual', user.displayName?.trim() || user.name);
  props.push(prop('NICKNAME', escapeText(user.name)));
  if (user.email) props.push(prop('EMAIL', escapeText(user.email), [{ name: 'TYPE', values: ['work'] }]));
  return writeVcard({ properties: props });
}

/** A group's card: KIND group, FN its name, one MEMBER (RFC 6350 §6.6.5) per member's card UID. */
export function groupCard(group: DirectoryGroup): string {
  const props = head(directoryUid('group', group), 'group', group.name);
  for (const m of group.members) props.push(prop('MEMBER', directoryUid('user', m)));
  return writeVcard({ properties: props });
}
