/**
 * The web app's Account dialog (issue #19): app passwords (list, create — the password is shown
 * once —, revoke) and TOTP two-factor login (set up with an otpauth:// URI and QR code, turn on
 * with a first code, turn off with a current code). TOTP secrets are sealed with the server key.
 *
 *   GET    /app/account                 who, directory, TOTP on?, app passwords
 *   POST   /app/app-passwords           {name, scopes: ['dav'|'syncml', …]} → 201 {password, …}
 *   DELETE /app/app-passwords/ID        revoke (effective on the next request, on every node)
 *   POST   /app/totp/setup              a new secret to scan (kept 15 minutes, not yet on)
 *   POST   /app/totp                    {code} turn on with a code of the pending secret
 *   POST   /app/totp/off                {code} turn off with a current code
 */
import type { IncomingMessage } from 'node:http';
import QRCode from 'qrcode';
import type { DavResponse } from '../../dav/core/context.js';
import { createAppPassword, parseScopes } from '../../domain/accounts/app-passwords.js';
import { newTotpSecret, totpUri, useTotpCode } from '../../domain/accounts/totp.js';
import { UserInputError } from '../../domain/users.js';
import type { Store } from '../../store/store.js';
import type { AppPassword, User } from '../../store/types.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';
import { open, seal } from './secret.js';

const PENDING_NAMESPACE = 'totp-setup';
const PENDING_MS = 15 * 60_000;
const PREFIX = '/app/app-passwords/';

function view(p: AppPassword): Record<string, unknown> {
  return { id: p.id, name: p.name, scopes: p.scopes, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt };
}

const totpAad = (userId: number): string => `totp/${userId}`;

/** The user's TOTP secret in clear, or null (off, or sealed with another key). */
export function openTotpSecret(key: Buffer, user: User): string | null {
  if (!user.totpSecret) return null;
  try {
    return open(key, user.totpSecret, totpAad(user.id));
  } catch {
    return null;
  }
}

export class AccountApi {
  constructor(
    private readonly store: Store,
    private readonly key: () => Buffer,
  ) {}

  handles(path: string): boolean {
    return path === '/app/account' || path.startsWith('/app/app-passwords') || path.startsWith('/app/totp');
  }

  async route(req: IncomingMessage, path: string, user: User): Promise<DavResponse> {
    const method = req.method ?? 'GET';
    try {
      if (path === '/app/account' && method === 'GET') return await this.account(user);
      if (path === '/app/app-passwords' && method === 'POST') return await this.create(req, user);
      if (path.startsWith(PREFIX) && method === 'DELETE') return await this.revoke(user, path.slice(PREFIX.length));
      if (path === '/app/totp/setup' && method === 'POST') return await this.setup(user);
      if (path === '/app/totp' && method === 'POST') return await this.enable(req, user);
      if (path === '/app/totp/off' && method === 'POST') return await this.disable(req, user);
    } catch (err) {
      if (err instanceof UserInputError) return problem(400, err.message);
      throw err;
    }
    return problem(404, 'not found');
  }

  private async account(user: User): Promise<DavResponse> {
    const fresh = (await this.store.getUserById(user.id)) ?? user;
    return json(200, {
      user: fresh.name,
      directory: fresh.directory ?? null,
      totp: Boolean(fresh.totpSecret),
      appPasswords: (await this.store.listAppPasswords(user.id)).map(view),
    });
  }

  private async create(req: IncomingMessage, user: User): Promise<DavResponse> {
    const body = await readJson(req);
    const name = str(body.name, 'name', 100);
    const scopes = parseScopes(Array.isArray(body.scopes) ? body.scopes.map(String).join(' ') : String(body.scopes));
    const made = await this.store.transaction([`app-passwords:${user.id}`], (tx) =>
      createAppPassword(tx, { userId: user.id, name, scopes }),
    );
    return json(201, { ...view(made.appPassword), password: made.password });
  }

  private async revoke(user: User, id: string): Promise<DavResponse> {
    const gone = await this.store.transaction([`app-passwords:${user.id}`], (tx) => tx.deleteAppPassword(user.id, id));
    return gone ? json(200, { ok: true }) : problem(404, 'no such app password');
  }

  private async setup(user: User): Promise<DavResponse> {
    const secret = newTotpSecret();
    await this.store.transaction([`totp:${user.id}`], (tx) =>
      tx.setValue(
        PENDING_NAMESPACE,
        String(user.id),
        seal(this.key(), secret, totpAad(user.id)),
        Date.now() + PENDING_MS,
      ),
    );
    const uri = totpUri(secret, user.name);
    const qr = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return json(200, { secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}` });
  }

  private async code(req: IncomingMessage): Promise<string> {
    return str((await readJson(req)).code, 'code', 16);
  }

  private async enable(req: IncomingMessage, user: User): Promise<DavResponse> {
    const code = await this.code(req);
    const sealed = await this.store.getValue(PENDING_NAMESPACE, String(user.id), Date.now());
    if (!sealed) throw new HttpProblem(409, 'start the setup again: no pending secret');
    const secret = open(this.key(), sealed, totpAad(user.id));
    if (!(await useTotpCode(this.store, user.id, secret, code))) return problem(400, 'wrong code');
    await this.store.transaction([`totp:${user.id}`], async (tx) => {
      await tx.updateUser(user.id, { totpSecret: sealed });
      await tx.deleteValue(PENDING_NAMESPACE, String(user.id));
    });
    return json(200, { totp: true });
  }

  private async disable(req: IncomingMessage, user: User): Promise<DavResponse> {
    const code = await this.code(req);
    const fresh = await this.store.getUserById(user.id);
    const secret = fresh ? openTotpSecret(this.key(), fresh) : null;
    if (!secret) return problem(409, 'two-factor login is not on');
    if (!(await useTotpCode(this.store, user.id, secret, code))) return problem(400, 'wrong code');
    await this.store.transaction([`totp:${user.id}`], (tx) => tx.updateUser(user.id, { totpSecret: null }));
    return json(200, { totp: false });
  }
}
