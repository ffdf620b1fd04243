import { el, type XmlElement } from '../../../xml/element.js';
import { dav, type ClarkName } from '../../../xml/names.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithPropstats, responseWithStatus } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { propstatsFor } from '../../core/properties.js';
import { header } from '../../core/context.js';
import type { DavResource } from '../../core/resource.js';

/**
 * The most principals one principal report answers (RFC 3744 §9.4 allows a server limit; as in
 * RFC 5323 §5.17 the answer then ends with a 507 DAV:number-of-matches-within-limits response
 * for the request URI, so the client knows to narrow its search).
 */
export const MAX_PRINCIPAL_RESULTS = 100;

/** Where the principal reports may be sent: the DAV root, the principal collections, principals. */
export const onPrincipals = (r: DavResource): boolean =>
  r.kind === 'principal' || ['/', '/principals', '/principals/users', '/principals/groups'].includes(r.path);

/** RFC 3744 §9.2, §9.3: these reports are defined for Depth 0 only; another Depth is 400. */
export function requireDepthZero(ctx: DavContext, report: string): void {
  const depth = header(ctx, 'depth')?.trim();
  if (depth !== undefined && depth !== '' && depth !== '0') throw DavError.badRequest(`${report} needs Depth: 0`);
}

/**
 * A multistatus of `found` with the properties asked for, at most `limit` of them; more, and
 * a 507 DAV:number-of-matches-within-limits response for `target` follows the first `limit`.
 */
export async function principalsAnswer(
  ctx: DavContext,
  target: DavResource,
  found: readonly DavResource[],
  props: readonly ClarkName[],
  limit = MAX_PRINCIPAL_RESULTS,
): Promise<DavResponse> {
  const responses: XmlElement[] = [];
  for (const p of found.slice(0, limit)) {
    responses.push(
      responseWithPropstats(hrefOf(p.path, p.isCollection), await propstatsFor(ctx, p, { kind: 'prop', names: props })),
    );
  }
  if (found.length > limit) {
    responses.push(
      responseWithStatus(hrefOf(target.path, target.isCollection), 507, el(dav('number-of-matches-within-limits'))),
    );
  }
  return multistatus(responses);
}
