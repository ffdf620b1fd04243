/**
 * What a sharee reads of a shared calendar's objects (caldav-sharing §5.5.4; domain/sharing/
 * per-user-data.ts): GET, CALDAV:calendar-data as a property (PROPFIND, sync-collection) and in
 * reports, and the collection's export all read member bodies through here.
 */
import { PerUserView } from '../../domain/sharing/per-user-data.js';
import type { Resource } from '../../store/types.js';
import type { DavContext } from './context.js';

/** One view per (request, collection): the share lookup is made once per request. */
const views = new WeakMap<DavContext, Map<number, Promise<PerUserView | null>>>();

/** The request user's view of `collection`'s members; null when they read the stored bodies (owner, ACEs, proxies). */
export function perUserView(ctx: DavContext, collection: Resource): Promise<PerUserView | null> {
  if (collection.ownerId === ctx.user.id || collection.collectionType !== 'calendar') return Promise.resolve(null);
  let byCollection = views.get(ctx);
  if (!byCollection) views.set(ctx, (byCollection = new Map()));
  let view = byCollection.get(collection.id);
  if (!view) byCollection.set(collection.id, (view = PerUserView.of(ctx.store, ctx.user, collection)));
  return view;
}

/** The view of the collection holding `member`, or null (as `perUserView`). */
export async function memberView(ctx: DavContext, member: Resource): Promise<PerUserView | null> {
  if (member.ownerId === ctx.user.id || member.parentId === null) return null;
  const parent = await ctx.store.getResourceById(member.parentId);
  return parent ? perUserView(ctx, parent) : null;
}

/** The text `ctx.user` reads of `member`, stored as `text`. */
export async function memberText(ctx: DavContext, member: Resource, text: string): Promise<string> {
  const view = await memberView(ctx, member);
  if (!view) return text;
  await view.load([member.id]);
  return view.text(member.id, text);
}

/** The body `ctx.user` reads of `member` of `parent` (null: none), stored as `body` (GET). */
export async function viewedBody(
  ctx: DavContext,
  parent: Resource | null,
  member: Resource,
  body: Uint8Array,
): Promise<Uint8Array> {
  const view = parent ? await perUserView(ctx, parent) : null;
  if (!view) return body;
  await view.load([member.id]);
  return new TextEncoder().encode(view.text(member.id, new TextDecoder().decode(body)));
}
