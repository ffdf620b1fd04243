import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { registry, type MethodDef } from '../../core/registry.js';
import { readXmlBody } from '../../core/request.js';
import type { DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { mustExist } from '../../core/members.js';

/** RFC 3253 §3.6: dispatch to the report named by the body's root element. */
async function report(ctx: DavContext, found: DavResource | null): Promise<DavResponse> {
  const r = mustExist(found);
  requirePrivilege(ctx.user, r, 'read');
  const body = await readXmlBody(ctx);
  if (!body) throw DavError.badRequest('REPORT needs a body');
  const def = registry.reports.get(body.name);
  if (!def || !def.appliesTo(r)) throw DavError.condition('supported-report', `report ${body.name} is not supported on this resource`);
  return def.run(ctx, r, def.parse(body, ctx));
}

export const reportMethod: MethodDef = { name: 'REPORT', allowedOn: (r) => r !== null, handle: report };
