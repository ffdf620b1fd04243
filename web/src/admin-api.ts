/** The admin API (http/app/admin-api.ts) as the Admin section calls it. */
import { call } from './api.js';

export interface AdminUser {
  name: string;
  displayName: string | null;
  email: string | null;
  admin: boolean;
  directory: string | null;
  totp: boolean;
  /** The user's own quota in bytes; null = the server default. */
  quota: number | null;
  /** The quota that applies; null = unlimited. */
  limit: number | null;
  used: number;
  createdAt: number;
}

export interface AdminOverview {
  users: AdminUser[];
  groups: { name: string; members: string[] }[];
  defaultQuota: number | null;
}

export interface AdminDevices {
  appPasswords: { id: string; name: string; scopes: string[]; createdAt: number; lastUsedAt: number | null }[];
  syncml: { id: string; model: string | null; createdAt: number; lastSyncAt: number | null }[];
  push: { id: string; collection: string; pushService: string; createdAt: number; expiresAt: number }[];
}

const user = (name: string): string => `/app/admin/users/${encodeURIComponent(name)}`;
const group = (name: string): string => `/app/admin/groups/${encodeURIComponent(name)}`;

export const admin = {
  overview: () => call<AdminOverview>('GET', '/app/admin'),
  addUser: (u: { name: string; password?: string; email?: string; displayName?: string; admin?: boolean }) =>
    call<{ user: AdminUser; password: string | null }>('POST', '/app/admin/users', u),
  update: (name: string, change: { admin?: boolean; quota?: string | null }) =>
    call<AdminUser>('PATCH', user(name), change),
  remove: (name: string) => call('DELETE', user(name)),
  setPassword: (name: string, password: string) => call('POST', `${user(name)}/password`, { password }),
  totpOff: (name: string) => call('POST', `${user(name)}/totp-off`, {}),
  devices: (name: string) => call<AdminDevices>('GET', `${user(name)}/devices`),
  removeDevice: (name: string, kind: 'app-passwords' | 'syncml' | 'push', id: string) =>
    call('DELETE', `${user(name)}/${kind}/${encodeURIComponent(id)}`),
  setDefaultQuota: (quota: string | null) => call('PUT', '/app/admin/default-quota', { quota }),
  addGroup: (name: string) => call('POST', '/app/admin/groups', { name }),
  removeGroup: (name: string) => call('DELETE', group(name)),
  setMember: (name: string, member: string, on: boolean) =>
    call(on ? 'PUT' : 'DELETE', `${group(name)}/members/${encodeURIComponent(member)}`),
};
