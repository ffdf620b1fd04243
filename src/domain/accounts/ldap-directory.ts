/**
 * Users from an LDAP directory (RFC 4511) with ldapts: the service account binds and searches
 * for the user's entry (RFC 4515 filter with the name escaped), then a second simple bind as
 * that entry checks the password (RFC 4513 §5.1.3). Name, display name, e-mail addresses and,
 * when a group filter is set, group names are read from the directory.
 */
import { Client, Filter, InvalidCredentialsError, SizeLimitExceededError, type Entry } from 'ldapts';
import { couldBeUserName } from '../users.js';
import { DirectoryUnavailable, type Authenticator, type DirectoryUser } from './directory.js';

export interface LdapConfig {
  /** ldap://host:port or ldaps://host:port */
  readonly url: string;
  /** The service account that searches; unset = anonymous search. */
  readonly bindDn?: string | undefined;
  readonly bindPassword?: string | undefined;
  /** Where users are searched (subtree). */
  readonly base: string;
  /** RFC 4515 filter; `{user}` is replaced by the escaped login name. */
  readonly filter: string;
  readonly nameAttribute: string;
  readonly displayNameAttribute: string;
  readonly emailAttribute: string;
  /** Where groups are searched; unset = groups are not read. */
  readonly groupBase?: string | undefined;
  /** `{dn}` is replaced by the user's escaped DN, `{user}` by the escaped name. */
  readonly groupFilter: string;
  readonly groupNameAttribute: string;
  /** Per LDAP operation and connection, in ms. */
  readonly timeoutMs: number;
}

export const LDAP_DEFAULTS = {
  filter: '(&(objectClass=inetOrgPerson)(uid={user}))',
  nameAttribute: 'uid',
  displayNameAttribute: 'cn',
  emailAttribute: 'mail',
  groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
  groupNameAttribute: 'cn',
  timeoutMs: 5_000,
} as const;

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const v = key === undefined ? undefined : entry[key];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))).filter((x) => x !== '');
}

/** Anything but a wrong password is the directory being unavailable (down, misconfigured). */
function unavailable(err: unknown): DirectoryUnavailable {
  const message = err instanceof Error ? err.message : String(err);
  return new DirectoryUnavailable(`LDAP directory unavailable: ${message}`, { cause: err });
}

export class LdapDirectory implements Authenticator {
  readonly kind = 'ldap';

  constructor(private readonly config: LdapConfig) {}

  private client(): Client {
    return new Client({ url: this.config.url, timeout: this.config.timeoutMs, connectTimeout: this.config.timeoutMs });
  }

  async authenticate(name: string, password: string): Promise<DirectoryUser | null> {
    // An empty password would be an unauthenticated bind, which succeeds (RFC 4513 §5.1.2).
    if (password.length === 0 || !couldBeUserName(name)) return null;
    const c = this.config;
    const search = this.client();
    let entry: Entry;
    let groups: string[] | null = null;
    try {
      if (c.bindDn) await search.bind(c.bindDn, c.bindPassword ?? '');
      const filter = c.filter.replaceAll('{user}', Filter.escape(name));
      const { searchEntries } = await search.search(c.base, { scope: 'sub', filter, sizeLimit: 2 });
      if (searchEntries.length !== 1 || !searchEntries[0]) return null;
      entry = searchEntries[0];
      if (c.groupBase) groups = await this.groupsOf(search, entry.dn, name);
    } catch (err) {
      if (err instanceof SizeLimitExceededError) return null; // the name is ambiguous: no one logs in with it
      throw unavailable(err);
    } finally {
      await search.unbind().catch(() => undefined);
    }
    if (!(await this.passwordRight(entry.dn, password))) return null;
    const login = values(entry, c.nameAttribute)[0] ?? name;
    if (!couldBeUserName(login)) return null;
    return {
      name: login,
      displayName: values(entry, c.displayNameAttribute)[0] ?? null,
      emails: values(entry, c.emailAttribute),
      groups,
    };
  }

  private async groupsOf(client: Client, dn: string, name: string): Promise<string[]> {
    const c = this.config;
    const filter = c.groupFilter.replaceAll('{dn}', Filter.escape(dn)).replaceAll('{user}', Filter.escape(name));
    const { searchEntries } = await client.search(c.groupBase ?? c.base, {
      scope: 'sub',
      filter,
      attributes: [c.groupNameAttribute],
    });
    return searchEntries.flatMap((g) => values(g, c.groupNameAttribute).slice(0, 1));
  }

  private async passwordRight(dn: string, password: string): Promise<boolean> {
    const user = this.client();
    try {
      await user.bind(dn, password);
      return true;
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return false;
      throw unavailable(err);
    } finally {
      await user.unbind().catch(() => undefined);
    }
  }
}
