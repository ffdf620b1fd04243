/**
 * Incremental sync (RFC 6578): make 50 changes (40 edits, 5 creations, 5 deletions), taking the
 * calendar's sync token before each, then measure sync-collection from those tokens: request k
 * asks from token k % 50 with its own property set, so no two requests are the same, and the
 * answer holds the changes from k % 50 on. Afterwards the data set is restored (deleted events
 * put back, created ones removed) so later phases see it whole.
 */
import { send } from '../client.js';
import { extraEvent, renderEvent, Rng, type GenEvent } from '../generator.js';
import { checkSync, parseMultistatus } from '../verify.js';
import { XML_HEADERS, hrefOf, type Ctx, type QueryPhase } from './common.js';

interface SyncState {
  /** tokens[k]: the token before change k. */
  readonly tokens: string[];
  /** The changes in order: the member's name and whether the change removed it. */
  readonly changes: Array<{ readonly name: string; readonly removed: boolean }>;
  readonly deleted: GenEvent[];
  readonly created: GenEvent[];
}

/** Properties asked besides getetag, one set per round over the tokens. */
const SYNC_PROPS = ['', '<D:getcontenttype/>', '<D:getlastmodified/>', '<D:getcontenttype/><D:getlastmodified/>'];

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
  const tokens: string[] = [];
  const rng = new Rng(ctx.ds.seed ^ 0x51c);
  const picked = new Set<number>();
  while (picked.size < Math.min(45, ctx.ds.events.length)) picked.add(Math.floor(rng.next() * ctx.ds.events.length));
  const chosen = [...picked].map((i) => ctx.ds.events[i]!);
  const edited = chosen.slice(0, 40);
  const deleted = chosen.slice(40);
  const created = Array.from({ length: 5 }, (_, k) => extraEvent(ctx.ds.seed, k));
  const changes = [
    ...[...edited, ...created].map((e) => ({ name: e.name, removed: false })),
    ...deleted.map((e) => ({ name: e.name, removed: true })),
  ];
  const steps = [
    ...edited.map((e) => () => put(ctx, e, 1000)),
    ...created.map((e) => () => put(ctx, e, 0)),
    ...deleted.map((e) => () => del(ctx, e.name)),
  ];
  for (const step of steps) {
    tokens.push(await syncToken(ctx));
    await step();
  }
  states.set(ctx, { tokens, deleted, created, changes });
}

export async function restoreSync(ctx: Ctx): Promise<void> {
  const s = states.get(ctx);
  if (!s) return;
  for (const e of s.deleted) await put(ctx, e, 0);
  for (const e of s.created) await del(ctx, e.name);
}

function tokenIndex(key: string): { k: number; props: string } {
  const n = Number(key);
  return { k: n % 50, props: SYNC_PROPS[Math.floor(n / 50) % SYNC_PROPS.length]! };
}

export const syncPhase: QueryPhase = {
  name: 'sync-collection-50',
  floorable: true,
  keys: (ctx, n) =>
    Array.from({ length: Math.min(n, (states.get(ctx)?.tokens.length ?? 0) * SYNC_PROPS.length) }, (_, k) => String(k)),
  request(ctx, key) {
    const s = states.get(ctx);
    const { k, props } = tokenIndex(key);
    return {
      method: 'REPORT',
      path: ctx.server.calendar,
      headers: { ...XML_HEADERS, Depth: '0' },
      body:
        `<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${s?.tokens[k] ?? ''}</D:sync-token>` +
        `<D:sync-level>1</D:sync-level><D:prop><D:getetag/>${props}</D:prop></D:sync-collection>`,
    };
  },
  check(ctx, key, res) {
    if (res.status !== 207) return [`HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`];
    const after = states.get(ctx)!.changes.slice(tokenIndex(key).k);
    return checkSync(
      parseMultistatus(res.body.toString('utf8')),
      ctx.server.calendar,
      new Set(after.filter((c) => !c.removed).map((c) => c.name)),
      new Set(after.filter((c) => c.removed).map((c) => c.name)),
    );
  },
};
