import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { StoreError, type Store } from '../store/store.js';
import type { User } from '../store/types.js';
import { el } from '../xml/element.js';
import { dav } from '../xml/names.js';
import { NotModified } from './core/conditional.js';
import type { DavContext, DavResponse, DavSettings } from './core/context.js';
import { DavError } from './core/errors.js';
import { xmlResponse } from './core/multistatus.js';
import { hrefOf, storePathOf } from './core/paths.js';
import { PRECONDITIONS } from './core/preconditions.js';
import type { Registry } from './core/registry.js';
import { instanceResource, resolve, type DavResource } from './core/resource.js';
import { realPathOf, type Mount } from './core/mount.js';
import { mountFor, rebaseAnswer } from './sharing/mount.js';
import { instanceMethod } from './sharing/methods/instance-methods.js';
import { inForeignArea, requireAreaAccess } from './acl/privileges.js';
import type { Principal } from '../domain/objects/privileges.js';
import { firstReads, prefetchedFor, type Prefetched } from './request-prefetch.js';

export interface DavRequestInput {
  readonly store: Store;
  readonly registry: Registry;
  readonly user: User;
  readonly method: string;
  readonly urlPath: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  readonly settings: DavSettings;
  /** `scheme://host[:port]` the client reached, when the request names a usable Host (absolute URLs). */
  readonly origin?: string;
  /** What was read ahead while the credentials were checked (request-prefetch.ts); used only if it was for `user`. */
  readonly prefetched?: Prefetched | null;
  readBody(limit: number): Promise<Buffer>;
}

/** Text safe inside an XML comment (XML 1.0 §2.5: no `--`, not ending in `-`), on one line. */
function commentText(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/-(?=-)/g, '- ')
    .replace(/-$/, '- ');
}

/**
 * Render a DavError: a precondition becomes `<D:error>` (RFC 4918 §16) holding only the
 * precondition element — strict clients compare its children — and the reason in words follows
 * the root as an XML comment, for a person reading the body; otherwise plain text.
 */
function errorResponse(err: DavError): DavResponse {
  if (err.condition) {
    const element = PRECONDITIONS[err.condition].element;
    const res = xmlResponse(err.status, el(dav('error'), {}, el(element, {}, ...err.conditionContent)), {
      ...err.headers,
    });
    return { ...res, body: `${String(res.body).trimEnd()}\n<!-- ${commentText(err.message)} -->\n` };
  }
  return {
    status: err.status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...err.headers },
    body: `${err.message}\n`,
  };
}

/**
 * The Allow header for `path` (RFC 9110 §10.2.1, RFC 2616 §14.7): the registered methods allowed
 * on what is there now. None in another user's area: the list would tell whether something exists.
 */
async function allowHeader(input: DavRequestInput, user: Principal, path: string): Promise<Record<string, string>> {
  if (inForeignArea(user, path)) return {};
  return { Allow: input.registry.allowed(await resolve(input.store, path)).join(', ') };
}

/** Handle one request under /dav: resolve the resource and run the registered method. */
export async function handleDav(input: DavRequestInput): Promise<DavResponse> {
  const requested = storePathOf(input.urlPath);
  // The grants, and the target in the user's own area (request-prefetch.ts): read with the user's
  // row when the user was known by name, else now. A target elsewhere is read by handleMapped
  // once the area's access check has passed, and a path through a mount again there as the
  // shared collection's.
  const { grants, target: early } =
    prefetchedFor(input.user, input.prefetched) ??
    firstReads(input.store, input.user.id, input.user.name, input.urlPath);
  const user = { ...input.user, grants: await grants };
  // A path through a sharee's instance is run on the shared collection's paths (dav/sharing/mount.ts).
  const mount = requested === null ? null : await mountFor(input.store, user, requested);
  const answer = await handleMapped(input, user, requested, mount, mount ? null : early);
  return mount ? rebaseAnswer(answer, mount) : answer;
}

/** The request's resource; the instance itself is the shared collection under the sharee's view (caldav-sharing §5.5.3). */
async function resolveTarget(
  store: Store,
  path: string,
  requested: string,
  mount: Mount | null,
  early: Promise<DavResource | null> | null,
): Promise<DavResource | null> {
  const found = await (early ?? resolve(store, path));
  return found?.stored && mount && requested === mount.instancePath ? instanceResource(found.stored, mount) : found;
}

async function handleMapped(
  input: DavRequestInput,
  user: DavContext['user'],
  requested: string | null,
  mount: Mount | null,
  /** The target as read beside the grants (`requested`, no mount), when it was. */
  early: Promise<DavResource | null> | null = null,
): Promise<DavResponse> {
  const path = requested !== null && mount ? realPathOf(mount, requested) : requested;
  try {
    if (path === null || requested === null) throw DavError.notFound();
    const { registry } = input;
    const method = registry.methods.get(input.method);
    const ctx: DavContext = {
      store: input.store,
      registry,
      user,
      method: input.method,
      path,
      ...(mount ? { mount } : {}),
      headers: input.headers,
      trailingSlash: input.urlPath.endsWith('/'),
      settings: input.settings,
      now: input.store.now(), // the shared clock: lock expiry must not depend on this node's
      body: input.body,
      readBody: input.readBody,
      ...(input.origin ? { origin: input.origin } : {}),
    };
    if (!method)
      return {
        status: 501,
        headers: await allowHeader(input, user, path),
        body: `${input.method} is not implemented\n`,
      };
    // Nothing in another user's area is looked up: the answer cannot depend on what is there.
    requireAreaAccess(user, path, hrefOf(requested, ctx.trailingSlash), method.privilege);
    const r = await resolveTarget(input.store, path, requested, mount, early);
    const own = r?.instance ? instanceMethod(input.method) : undefined;
    if (own && r) return await own(ctx, r);
    if (!method.allowedOn(r)) {
      if (r === null) throw DavError.notFound();
      return {
        status: 405,
        headers: { Allow: registry.allowed(r).join(', ') },
        body: `${input.method} is not allowed here\n`,
      };
    }
    return await method.handle(ctx, r);
  } catch (err) {
    const answer = answerForError(err);
    if (!answer) throw err;
    // RFC 9110 §15.5.6 (RFC 2616 §10.4.6): every 405 lists the allowed methods, also one a handler
    // raised (a PUT that found a collection made meanwhile, MKCOL on a URL mapped meanwhile).
    if (answer.status === 405 && path !== null && answer.headers?.Allow === undefined) {
      return { ...answer, headers: { ...answer.headers, ...(await allowHeader(input, user, path)) } };
    }
    return answer;
  }
}

/** Seconds a client is asked to wait while the database is unavailable. */
const UNAVAILABLE = { 'Retry-After': '5' };

/**
 * The response for an error a handler raised on purpose, or null for a fault (a bug: 500).
 * Also used by the HTTP layer when a streamed answer fails before its status was sent.
 */
export function answerForError(err: unknown): DavResponse | null {
  if (err instanceof NotModified) return { status: 304, headers: err.etag ? { ETag: err.etag } : {} };
  if (err instanceof DavError) return errorResponse(err);
  if (err instanceof StoreError) {
    // The database is restarting or failing over: try again shortly (RFC 9110 §15.6.4).
    if (err.code === 'unavailable')
      return errorResponse(
        new DavError(503, 'the database is unavailable; try again shortly', undefined, [], UNAVAILABLE),
      );
    // A race another writer won between our checks and the write: report it, never 500.
    const status = err.code === 'not-found' ? 404 : err.code === 'exists' ? 412 : 409;
    return errorResponse(new DavError(status, err.message));
  }
  return null;
}
