/** The web app's JSON API as the account tests use it: log in, then call /app/* with the session. */
import assert from 'node:assert/strict';

export type SessionHeaders = { Cookie: string; 'X-Almanac-CSRF': string };

export async function loginResponse(base: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function login(base: string, user: string, password: string, code?: string): Promise<SessionHeaders> {
  const res = await loginResponse(base, { user, password, ...(code === undefined ? {} : { code }) });
  assert.equal(res.status, 200, await res.clone().text());
  const csrf = ((await res.json()) as { csrf: string }).csrf;
  return { Cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, 'X-Almanac-CSRF': csrf };
}

export async function appCall<T = Record<string, unknown>>(
  base: string,
  session: SessionHeaders,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...session, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** PROPFIND Depth 0 on a user's calendar home with Basic credentials: the status and the body. */
export async function propfindHome(
  base: string,
  user: string,
  password: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/dav/calendars/${user}/`, {
    method: 'PROPFIND',
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, Depth: '0' },
  });
  return { status: res.status, text: await res.text() };
}
