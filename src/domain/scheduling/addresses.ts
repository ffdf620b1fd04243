/**
 * Calendar user addresses (RFC 6638 §2.4.1) of this server's users: `mailto:` their e-mail and
 * their principal URL. A user without an e-mail is reached by the principal URL only.
 */
import { normalizeAddress } from '../../formats/ical/itip/index.js';
import type { UsersReader } from '../../store/store.js';
import type { User } from '../../store/types.js';

const PRINCIPAL = /\/principals\/users\/([^/]+)\/?$/;

/** Every address `user` answers to, normalised. */
export function userAddresses(user: Pick<User, 'name' | 'email'>): Set<string> {
  const out = new Set<string>([`/dav/principals/users/${user.name}/`]);
  if (user.email) out.add(normalizeAddress(`mailto:${user.email}`));
  return out;
}

/** The users of this server the addresses name (mailto: by e-mail, principal URLs by name); others are absent. */
export async function localUsers(reader: UsersReader, addresses: Iterable<string>): Promise<Map<string, User>> {
  const out = new Map<string, User>();
  const mails = new Map<string, string>();
  for (const a of addresses) {
    const m = /^mailto:(.+)$/i.exec(a);
    if (m?.[1]) mails.set(m[1].toLowerCase(), a);
    const p = PRINCIPAL.exec(a);
    if (p?.[1]) {
      const user = await reader.getUserByName(decodeURIComponent(p[1]));
      if (user) out.set(a, user);
    }
  }
  if (mails.size > 0) {
    for (const user of await reader.getUsersByEmails([...mails.keys()])) {
      const address = mails.get((user.email ?? '').toLowerCase());
      if (address && !out.has(address)) out.set(address, user);
    }
  }
  return out;
}
