/**
 * The admin API behind the web app's Admin section (issue #19 item 6). Session cookie and CSRF
 * header as every /app API; 403 for a user who is not an admin (read from the store on every
 * request, so taking the flag away takes effect at once, on every node). Each action is also a
 * CLI command (named beside it); both call domain/accounts/*.ts.
 *
 *   GET    /app/admin                                   users, groups, default quota
 *   POST   /app/admin/users                             {name, password?, email?, displayName?, admin?}   user add
 *   PATCH  /app/admin/users/NAME                        {admin?, quota? (bytes|null)}   user admin, user quota
 *   DELETE /app/admin/users/NAME                        user delete
 *   POST   /app/admin/users/NAME/password               {password}   user passwd
 *   POST   /app/admin/users/NAME/totp-off               user totp-off
 *   GET    /app/admin/users/NAME/devices                app-password list, syncml devices, push list
 *   DELETE /app/admin/users/NAME/app-passwords/ID       app-password revoke
 *   DELETE /app/admin/users/NAME/syncml/DEVICE          syncml reset
 *   DELETE /app/admin/users/NAME/push/ID                push remove
 *   PUT    /app/admin/default-quota                     {quota: bytes|null}   user default-quota
 *   POST   /app/admin/groups                            {name}   group add
 *   DELETE /app/admin/groups/NAME                       group delete
 *   PUT    /app/admin/groups/NAME/members/USER          group members NAME add USER
 *   DELETE /app/admin/groups/NAME/members/USER          group members NAME remove USER
 */
import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import {
  addUser,
  namedUser,
  removeUser,
  setAdmin,
  setPassword,
  setUserQuota,
  turnOffTotp,
} from '../../domain/accounts/admin.js';
import { removePushDevice } from '../../domain/accounts/devices.js';
import { addGroup, deleteGroup, listGroupsWithMembers, setGroupMember } from '../../domain/accounts/groups.js';
import { generatePassword } from '../../domain/passwords.js';
import { defaultQuota, parseQuota, setDefaultQuota } from '../../domain/quota/quota.js';
import { resetSyncDevice } from '../../domain/syncml/sync-state.js';
import { UserInputError } from '../../domain/users.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { devicesView, userView } from './admin-views.js';
import { HttpProblem, json, problem, readJson, str } from './http-util.js';

const PREFIX = '/app/admin';
const STATUS = { invalid: 400, 'not-found': 404, conflict: 409 } as const;
const OK = json(200, { ok: true });

/** A quota in a JSON body: a whole number of bytes, text such as "500M" or "2G", or null for none. */
function quotaValue(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v === 'string') {
    try {
      return parseQuota(v);
    } catch (err) {
      throw new HttpProblem(400, (err as Error).message);
    }
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new HttpProblem(400, 'quota must be a whole number of bytes, text like 500M, or null');
  return v;
}

function optionalText(v: unknown, what: string, max: number): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > max) throw new HttpProblem(400, `${what} is too long or not text`);
  return v;
}

export class AdminApi {
  constructor(private readonly store: Store) {}

  handles(path: string): boolean {
    return path === PREFIX || path.startsWith(`${PREFIX}/`);
  }

  async route(req: IncomingMessage, path: string, user: User): Promise<DavResponse> {
    if (!user.isAdmin) return problem(403, 'only an admin may do this');
    const method = req.method ?? 'GET';
    const parts = path
      .slice(PREFIX.length)
      .split('/')
      .filter((p) => p !== '')
      .map((p) => decodeURIComponent(p));
    try {
      return (await this.dispatch(req, method, parts)) ?? problem(404, 'not found');
    } catch (err) {
      if (err instanceof UserInputError) return problem(STATUS[err.kind], err.message);
      if (err instanceof URIError) return problem(400, 'malformed path');
      throw err;
    }
  }

  private async dispatch(req: IncomingMessage, method: string, parts: string[]): Promise<DavResponse | null> {
    const [area, name, sub, id, extra] = parts;
    if (area === undefined && method === 'GET') return this.overview();
    if (area === 'default-quota' && name === undefined && method === 'PUT') {
      const bytes = quotaValue((await readJson(req)).quota);
      await this.store.transaction(['settings'], (tx) => setDefaultQuota(tx, bytes));
      return json(200, { defaultQuota: bytes });
    }
    if (area === 'users')
      return name === undefined ? this.createUser(req, method) : this.user(req, method, name, sub, id, extra);
    if (area === 'groups') return this.group(req, method, name, sub, id, extra);
    return null;
  }

  private async overview(): Promise<DavResponse> {
    const fallback = await defaultQuota(this.store);
    const users = (await this.store.listUsers()).map((u) => userView(u, fallback));
    return json(200, { users, groups: await listGroupsWithMembers(this.store), defaultQuota: fallback });
  }

  private async createUser(req: IncomingMessage, method: string): Promise<DavResponse | null> {
    if (method !== 'POST') return null;
    const body = await readJson(req);
    const given = optionalText(body.password, 'password', 1024);
    const password = given ?? generatePassword();
    const user = await addUser(this.store, {
      name: str(body.name, 'user name', 64),
      password,
      email: optionalText(body.email, 'e-mail', 320),
      displayName: optionalText(body.displayName, 'display name', 200),
      admin: body.admin === true,
    });
    return json(201, { user: userView(user, await defaultQuota(this.store)), password: given ? null : password });
  }

  private async user(
    req: IncomingMessage,
    method: string,
    name: string,
    sub: string | undefined,
    id: string | undefined,
    extra: string | undefined,
  ): Promise<DavResponse | null> {
    if (extra !== undefined) return null;
    if (sub === undefined) {
      if (method === 'DELETE') return removeUser(this.store, name).then(() => OK);
      if (method === 'PATCH') return this.updateUser(req, name);
      return null;
    }
    if (sub === 'password' && id === undefined && method === 'POST') {
      await setPassword(this.store, name, str((await readJson(req)).password, 'password', 1024));
      return OK;
    }
    if (sub === 'totp-off' && id === undefined && method === 'POST')
      return turnOffTotp(this.store, name).then(() => OK);
    const target = await namedUser(this.store, name);
    if (sub === 'devices' && id === undefined && method === 'GET')
      return json(200, await devicesView(this.store, target));
    if (id === undefined || method !== 'DELETE') return null;
    return this.removeDevice(target, sub, id);
  }

  private async removeDevice(target: User, kind: string, id: string): Promise<DavResponse | null> {
    if (kind === 'app-passwords') {
      const gone = await this.store.transaction([`app-passwords:${target.id}`], (tx) =>
        tx.deleteAppPassword(target.id, id),
      );
      return gone ? OK : problem(404, 'no such app password');
    }
    if (kind === 'syncml') {
      if (!(await this.store.getSyncDevice(target.id, id))) return problem(404, 'no such SyncML device');
      await resetSyncDevice(this.store, target.id, id);
      return OK;
    }
    if (kind === 'push')
      return (await removePushDevice(this.store, target.id, id)) ? OK : problem(404, 'no such push subscription');
    return null;
  }

  private async updateUser(req: IncomingMessage, name: string): Promise<DavResponse> {
    const body = await readJson(req);
    if (body.admin !== undefined && typeof body.admin !== 'boolean') return problem(400, 'admin must be true or false');
    const quota = 'quota' in body ? quotaValue(body.quota) : undefined;
    await namedUser(this.store, name);
    if (typeof body.admin === 'boolean') await setAdmin(this.store, name, body.admin);
    if (quota !== undefined) await setUserQuota(this.store, name, quota);
    const fresh = await namedUser(this.store, name);
    return json(200, userView(fresh, await defaultQuota(this.store)));
  }

  private async group(
    req: IncomingMessage,
    method: string,
    name: string | undefined,
    sub: string | undefined,
    member: string | undefined,
    extra: string | undefined,
  ): Promise<DavResponse | null> {
    if (extra !== undefined) return null;
    if (name === undefined) {
      if (method !== 'POST') return null;
      await addGroup(this.store, str((await readJson(req)).name, 'group name', 64));
      return json(201, { ok: true });
    }
    if (sub === undefined && method === 'DELETE') return deleteGroup(this.store, name).then(() => OK);
    if (sub !== 'members' || member === undefined) return null;
    if (method === 'PUT') return setGroupMember(this.store, name, member, true).then(() => OK);
    if (method === 'DELETE') return setGroupMember(this.store, name, member, false).then(() => OK);
    return null;
  }
}
