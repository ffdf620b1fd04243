import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import { HttpProblem } from './http-util.js';
import { open, seal } from './secret.js';

/** kv namespace of a user's accounts on other CalDAV/CardDAV servers (one JSON list per user). */
const NAMESPACE = 'web-accounts';
const MAX_ACCOUNTS = 20;

interface StoredAccount {
  readonly id: string;
  readonly label: string;
  /** Base URL the user gave (discovery starts there). */
  readonly url: string;
  readonly username: string;
  /** AES-256-GCM sealed password; the associated data is `userId/accountId`. */
  readonly secret: string;
}

/** What the browser sees: never the password. */
export interface AccountView {
  readonly id: string;
  readonly label: string;
  readonly url: string;
  readonly username: string;
}

export interface AccountCredentials extends AccountView {
  readonly password: string;
}

export function validateBaseUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new HttpProblem(400, 'the server address is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new HttpProblem(400, 'the server address must start with http:// or https://');
  if (u.username || u.password)
    throw new HttpProblem(400, 'put the user name and password in their own fields, not in the URL');
  u.hash = '';
  u.search = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
  ) {}

  private async load(userId: number): Promise<StoredAccount[]> {
    const raw = await this.store.getValue(NAMESPACE, String(userId), Date.now());
    return raw ? (JSON.parse(raw) as StoredAccount[]) : [];
  }

  async list(userId: number): Promise<AccountView[]> {
    return (await this.load(userId)).map(({ id, label, url, username }) => ({ id, label, url, username }));
  }

  async get(userId: number, id: string): Promise<AccountCredentials | null> {
    const a = (await this.load(userId)).find((x) => x.id === id);
    if (!a) return null;
    return {
      id: a.id,
      label: a.label,
      url: a.url,
      username: a.username,
      password: open(this.key, a.secret, `${userId}/${a.id}`),
    };
  }

  async add(
    userId: number,
    input: { label: string; url: URL; username: string; password: string },
  ): Promise<AccountView> {
    const id = randomBytes(9).toString('base64url');
    const stored: StoredAccount = {
      id,
      label: input.label,
      url: input.url.toString(),
      username: input.username,
      secret: seal(this.key, input.password, `${userId}/${id}`),
    };
    await this.store.transaction([`accounts:${userId}`], async (tx) => {
      const raw = await tx.getValue(NAMESPACE, String(userId), Date.now());
      const list = raw ? (JSON.parse(raw) as StoredAccount[]) : [];
      if (list.length >= MAX_ACCOUNTS) throw new HttpProblem(409, `at most ${MAX_ACCOUNTS} accounts`);
      await tx.setValue(NAMESPACE, String(userId), JSON.stringify([...list, stored]), null);
    });
    return { id, label: stored.label, url: stored.url, username: stored.username };
  }

  async remove(userId: number, id: string): Promise<boolean> {
    return this.store.transaction([`accounts:${userId}`], async (tx) => {
      const raw = await tx.getValue(NAMESPACE, String(userId), Date.now());
      const list = raw ? (JSON.parse(raw) as StoredAccount[]) : [];
      const rest = list.filter((a) => a.id !== id);
      if (rest.length === list.length) return false;
      await tx.setValue(NAMESPACE, String(userId), JSON.stringify(rest), null);
      return true;
    });
  }
}
