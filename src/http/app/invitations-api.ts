import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import { autoProcessEnabled, setAutoProcess } from '../../domain/scheduling/index.js';
import type { Store } from '../../store/store.js';
import type { User } from '../../store/types.js';
import { json, problem, readJson } from './http-util.js';

/**
 * `GET|PUT /app/invitations {auto}`: whether invitations from other users go straight into the
 * user's calendar (domain/scheduling/auto-process.ts; `almanac calendar invitations` is the
 * same setting). What the app does with the inbox itself is plain CalDAV.
 */
export async function invitationsSetting(req: IncomingMessage, store: Store, user: User): Promise<DavResponse> {
  const method = req.method ?? 'GET';
  if (method === 'GET') return json(200, { auto: await autoProcessEnabled(store, user) });
  if (method !== 'PUT') return problem(405, 'method not allowed');
  const body = await readJson(req);
  if (typeof body.auto !== 'boolean') return problem(400, 'auto (true or false) is required');
  await setAutoProcess(store, user, body.auto);
  return json(200, { auto: body.auto });
}
