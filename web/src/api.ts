/** The app's own endpoints (/app/*): session and accounts on other servers. */
let csrfToken = '';

export function csrfHeaders(): Record<string, string> {
  return { 'X-Almanac-CSRF': csrfToken };
}

export interface SessionInfo {
  user: string;
  displayName: string | null;
  csrf: string;
  /** May open the Admin section (http/app/admin-api.ts). */
  admin?: boolean;
}
export interface Account {
  id: string;
  label: string;
  url: string;
  username: string;
}

/** The app API said no: its status (the UI words it in the user's language) and the server's text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The login needs the authenticator code (two-factor login is on, RFC 6238). */
    readonly totp = false,
  ) {
    super(message);
  }
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...csrfHeaders(), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const value = text ? (JSON.parse(text) as unknown) : {};
  if (!res.ok) {
    const v = value as { error?: string; totp?: boolean };
    throw new ApiError(res.status, v.error ?? `the server answered ${res.status}`, v.totp === true);
  }
  return value as T;
}

const LAST_SESSION = 'almanac.session';

/** The session, or null when not logged in; throws when the server cannot be reached. */
export async function currentSession(): Promise<SessionInfo | null> {
  const res = await fetch('/app/session', { credentials: 'same-origin' });
  if (!res.ok) {
    if (res.status === 401) localStorage.removeItem(LAST_SESSION);
    return null;
  }
  const s = (await res.json()) as SessionInfo;
  csrfToken = s.csrf;
  localStorage.setItem(LAST_SESSION, JSON.stringify({ user: s.user, displayName: s.displayName }));
  return s;
}

/** Renew the CSRF token (after the app opened offline, or a reconnect). */
export async function refreshSession(): Promise<void> {
  await currentSession();
}

/**
 * Who was logged in last in this browser (no token): the app opens offline as that user, with
 * the cached calendars and the outbox; the session is renewed when the server is back.
 */
export function lastSession(): SessionInfo | null {
  try {
    const s = JSON.parse(localStorage.getItem(LAST_SESSION) ?? 'null') as {
      user?: unknown;
      displayName?: unknown;
    } | null;
    return s && typeof s.user === 'string'
      ? { user: s.user, displayName: typeof s.displayName === 'string' ? s.displayName : null, csrf: '' }
      : null;
  } catch {
    return null;
  }
}

export async function login(user: string, password: string, code?: string): Promise<SessionInfo> {
  const s = await call<SessionInfo>('POST', '/app/login', { user, password, ...(code ? { code } : {}) });
  csrfToken = s.csrf;
  localStorage.setItem(LAST_SESSION, JSON.stringify({ user: s.user, displayName: s.displayName }));
  return s;
}

/** What the login page offers besides the password (http/app/oidc-login.ts). */
export function loginOptions(): Promise<{ oidc: { label: string } | null }> {
  return call('GET', '/app/login-options');
}

export async function logout(): Promise<void> {
  await call('POST', '/app/logout', {});
  csrfToken = '';
  localStorage.removeItem(LAST_SESSION);
}

export const accounts = {
  list: () => call<Account[]>('GET', '/app/accounts'),
  add: (a: { label: string; url: string; username: string; password: string }) =>
    call<Account>('POST', '/app/accounts', a),
  remove: (id: string) => call('DELETE', `/app/accounts/${encodeURIComponent(id)}`),
};

/** A per-device app password (http/app/account-api.ts); `password` only in the answer that made it. */
export interface AppPasswordInfo {
  id: string;
  name: string;
  scopes: ('dav' | 'syncml')[];
  createdAt: number;
  lastUsedAt: number | null;
  password?: string;
}

export interface AccountInfo {
  user: string;
  directory: string | null;
  totp: boolean;
  appPasswords: AppPasswordInfo[];
}

/** The Account dialog's endpoints: app passwords and two-factor login. */
export const account = {
  get: () => call<AccountInfo>('GET', '/app/account'),
  addAppPassword: (name: string, scopes: string[]) =>
    call<AppPasswordInfo>('POST', '/app/app-passwords', { name, scopes }),
  revokeAppPassword: (id: string) => call('DELETE', `/app/app-passwords/${encodeURIComponent(id)}`),
  totpSetup: () => call<{ secret: string; uri: string; qr: string }>('POST', '/app/totp/setup', {}),
  totpOn: (code: string) => call('POST', '/app/totp', { code }),
  totpOff: (code: string) => call('POST', '/app/totp/off', { code }),
};

/** A DAVx5 setup (http/app/onboarding-api.ts): its URL holds a fresh app password, shown once. */
export interface Davx5Setup {
  id: string;
  url: string;
  qr: string;
  password: string;
}

/** Connect a device in one step: each call makes a fresh app password named for the device. */
export const onboarding = {
  davx5: (device: string) => call<Davx5Setup>('POST', '/app/onboarding/davx5', { device }),
  /** The Apple configuration profile's text (.mobileconfig), to be saved as a download. */
  async appleProfile(device: string): Promise<string> {
    const res = await fetch('/app/onboarding/apple', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...csrfHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ device }),
    });
    const text = await res.text();
    if (!res.ok) throw new ApiError(res.status, (JSON.parse(text) as { error?: string }).error ?? `${res.status}`);
    return text;
  },
};

/** An .ics subscription as the server reports it (http/app/subscriptions-api.ts); times in ms. */
export interface Subscription {
  href: string;
  url: string;
  refreshSeconds: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  nextRefreshAt: number;
}
export type SubscriptionResult = Subscription & { outcome: 'updated' | 'not-modified' | 'failed' | 'busy' | 'gone' };

export const subscriptions = {
  list: () => call<Subscription[]>('GET', '/app/subscriptions'),
  add: (s: { url: string; name?: string; color?: string; refresh?: string }) =>
    call<SubscriptionResult>('POST', '/app/subscriptions', s),
  refresh: (href: string) => call<SubscriptionResult>('POST', '/app/subscriptions/refresh', { href }),
  birthdays: () => call<{ enabled: boolean }>('GET', '/app/birthdays'),
  setBirthdays: (enabled: boolean) => call<{ enabled: boolean }>('PUT', '/app/birthdays', { enabled }),
};

/** Whether invitations from other users go straight into the calendar (http/app/invitations-api.ts). */
export const invitations = {
  get: () => call<{ auto: boolean }>('GET', '/app/invitations'),
  set: (auto: boolean) => call<{ auto: boolean }>('PUT', '/app/invitations', { auto }),
};

/** A calendar's public read-only link (http/app/public-links-api.ts); `path` is on this origin. */
export interface PublicLinkInfo {
  published: boolean;
  path: string | null;
  createdAt: number | null;
}

export const publicLinks = {
  get: (href: string) => call<PublicLinkInfo>('GET', `/app/public-links?href=${encodeURIComponent(href)}`),
  set: (href: string, published: boolean, renew = false) =>
    call<PublicLinkInfo>('PUT', '/app/public-links', { href, published, renew }),
};

export interface BrowserPushInfo {
  vapidPublicKey: string;
  settings: { invitations: boolean; alarms: boolean };
  subscriptions: { id: string; label: string; endpoint: string; createdAt: number }[];
}

/** The web app's own Web Push (src/http/app/browser-push-api.ts). */
export const browserPush = {
  get: () => call<BrowserPushInfo>('GET', '/app/push'),
  settings: (s: BrowserPushInfo['settings']) => call('PUT', '/app/push/settings', s),
  add: (s: { endpoint: string; keys: { p256dh: string; auth: string }; label: string }) =>
    call<{ id: string }>('POST', '/app/push/subscriptions', s),
  remove: (id: string) => call('DELETE', `/app/push/subscriptions/${encodeURIComponent(id)}`),
};
