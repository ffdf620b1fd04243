/**
 * The DAV:responses of a listing (PROPFIND Depth 1, sync-collection), a page of members at a
 * time: their dead properties in one query (when the request can need them), each response
 * written as text (properties.ts: a plain object's from its row's kept texts by plainMemberWriter,
 * any other by responseFor), and no waiting per member unless one of its
 * values really has to be read. A batch is handed to the multistatus writer whenever the current
 * slice of the event loop is due (domain/cooperative.ts), so a long listing shares the loop.
 */
import { sliceDueAfter } from '../../domain/cooperative.js';
import type { XmlNode } from '../../xml/element.js';
import type { DavContext } from './context.js';
import { hrefOf } from './paths.js';
import { deadPropertiesOfPage, plainMemberWriter, preparePage, responseFor, type PropRequest } from './properties.js';
import type { DavResource } from './resource.js';

/** A member to answer with its properties, or a response already made (a 404 for a deleted one). */
export type Listed = DavResource | { readonly response: XmlNode };

export async function* responsesOf(
  ctx: DavContext,
  page: readonly Listed[],
  request: PropRequest,
  minimal = false,
): AsyncGenerator<readonly XmlNode[]> {
  // The members the plain writer takes first; only the others have their dead properties and
  // their page's values read.
  const plain = plainMemberWriter(ctx, request, minimal);
  const written = page.map((t) => ('response' in t ? t.response : (plain?.(t) ?? null)));
  const others = page.filter((t, i): t is DavResource => written[i] === null);
  const [dead] =
    others.length === 0
      ? [null]
      : await Promise.all([deadPropertiesOfPage(ctx, others, request), preparePage(ctx, others, request)]);
  let batch: XmlNode[] = [];
  let n = 0;
  for (let i = 0; i < page.length; i++) {
    const t = page[i] as Listed;
    const done = written[i];
    if (done) batch.push(done);
    else if (!('response' in t)) {
      const stored = dead && t.stored ? (dead.get(t.stored.id) ?? []) : undefined;
      const response = responseFor(ctx, t, hrefOf(t.path, t.isCollection), request, { stored, minimal });
      batch.push(response instanceof Promise ? await response : response);
    }
    if (sliceDueAfter(++n)) {
      yield batch; // the writer lets the event loop turn
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
