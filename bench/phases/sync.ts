/**
 * Incremental sync (RFC 6578): take the calendar's sync token, make 50 changes (40 edits,
 * 5 creations, 5 deletions), then measure sync-collection from that token. Afterwards the data
 * set is restored (deleted events put back, created ones removed) so later phases see it whole.
 */
import { send } from '../client.js';
import { extraEvent, renderEvent, Rng, type GenEvent } from '../generator.js';
import { checkSync, parseMultistatus } from '../verify.js';
import { XML_HEADERS, hrefOf, type Ctx, type QueryPhase } from './common.js';

interface SyncState {
  readonly token: string;
  readonly changed: Set<string>;
  readonly removed: Set<string>;
  readonly deleted: GenEvent[];
  readonly created: GenEvent[];
}

const states = new WeakMap<Ctx, SyncState>();

async function syncToken(ctx: Ctx): Promise<string> {
  const res = await send(ctx.t, {
    method: 'PROPFIND',
    path: ctx.server.calendar,
    headers: { ...XML_HEADERS, Depth: '0' },
    body: '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
  });
  const token = parseMultistatus(res.body.toString('utf8'))[0]?.props.get('sync-token')?.trim();
  if (res.status !== 207 || !token) throw new Error(`no sync-token from ${ctx.server.name}: HTTP ${res.status}`);
  return token;
}

async function put(ctx: Ctx, e: GenEvent, rev: number): Promise<void> {
  const res = await send(ctx.t, {
    method: 'PUT',
    path: hrefOf(ctx.server.calendar, e.name),
    body: renderEvent(e, rev),
    headers: { 'Content-Type': 'text/calendar; charset=utf-8' },
  });
  if (res.status >= 300) throw new Error(`PUT ${e.name}: HTTP ${res.status}`);
}

async function del(ctx: Ctx, name: string): Promise<void> {
  const res = await send(ctx.t, { method: 'DELETE', path: hrefOf(ctx.server.calendar, name) });
  if (res.status >= 300) throw new Error(`DELETE ${name}: HTTP ${res.status}`);
}

/** Make the 50 changes; returns false when the server has no sync token. */
export async function prepareSync(ctx: Ctx): Promise<void> {
  const token = await syncToken(ctx);
  const rng = new Rng(ctx.ds.seed ^ 0x51c);
  const picked = new Set<number>();
  while (picked.size < Math.min(45, ctx.ds.events.length)) picked.add(Math.floor(rng.next() * ctx.ds.events.length));
  const chosen = [...picked].map((i) => ctx.ds.events[i]!);
  const edited = chosen.slice(0, 40);
  const deleted = chosen.slice(40);
  const created = Array.from({ length: 5 }, (_, k) => extraEvent(ctx.ds.seed, k));
  for (const e of edited) await put(ctx, e, 1000);
  for (const e of created) await put(ctx, e, 0);
  for (const e of deleted) await del(ctx, e.name);
  states.set(ctx, {
    token,
    deleted,
    created,
    changed: new Set([...edited, ...created].map((e) => e.name)),
    removed: new Set(deleted.map((e) => e.name)),
  });
}

export async function restoreSync(ctx: Ctx): Promise<void> {
  const s = states.get(ctx);
  if (!s) return;
  for (const e of s.deleted) await put(ctx, e, 0);
  for (const e of s.created) await del(ctx, e.name);
}

export const syncPhase: QueryPhase = {
  name: 'sync-collection-50',
  floorable: true,
  keys: () => ['sync'],
  request(ctx) {
    const s = states.get(ctx);
    return {
      method: 'REPORT',
      path: ctx.server.calendar,
      headers: { ...XML_HEADERS, Depth: '0' },
      body:
        `<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${s?.token ?? ''}</D:sync-token>` +
        '<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>',
    };
  },
  check(ctx, _key, res) {
    if (res.status !== 207) return [`HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`];
    const s = states.get(ctx)!;
    return checkSync(parseMultistatus(res.body.toString('utf8')), ctx.server.calendar, s.changed, s.removed);
  },
};
