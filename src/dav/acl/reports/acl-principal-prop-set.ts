import { firstChild, isElement, textOf, type XmlElement, type XmlNode } from '../../../xml/element.js';
import { dav, type ClarkName } from '../../../xml/names.js';
import { DavError } from '../../core/errors.js';
import { storePathOfUri } from '../../core/paths.js';
import { propNames } from '../../core/properties.js';
import type { ReportDef } from '../../core/registry.js';
import { resolve, type DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../privileges.js';
import { principalsAnswer, requireDepthZero } from './principal-responses.js';

export interface AclPrincipalPropSetRequest {
  readonly props: readonly ClarkName[];
}

/** The principal hrefs of the ACEs in a DAV:acl value (DAV:all, DAV:authenticated … name no principal resource). */
function principalHrefs(acl: readonly XmlNode[]): string[] {
  const out: string[] = [];
  for (const ace of acl) {
    if (!isElement(ace) || ace.name !== dav('ace')) continue;
    const href = firstChild(firstChild(ace, dav('principal')) ?? ace, dav('href'));
    if (href && firstChild(ace, dav('principal'))) out.push(textOf(href).trim());
  }
  return [...new Set(out)];
}

/**
 * RFC 3744 §9.2 acl-principal-prop-set: the properties asked for of every principal the
 * resource's ACL names (the owner, users and groups granted something, inherited grants and the
 * owner's proxy groups), once each. The user must hold DAV:read-acl on the resource; Depth 0 only.
 */
export const aclPrincipalPropSet: ReportDef<AclPrincipalPropSetRequest> = {
  name: dav('acl-principal-prop-set'),
  appliesTo: () => true,
  parse(root: XmlElement, ctx): AclPrincipalPropSetRequest {
    requireDepthZero(ctx, 'acl-principal-prop-set');
    const prop = firstChild(root, dav('prop'));
    return { props: prop ? propNames(prop) : [] };
  },
  async run(ctx, r, req) {
    requirePrivilege(ctx.user, r, 'read-acl');
    const acl = ctx.registry.properties.get(dav('acl'));
    if (!acl) throw new DavError(501, 'no ACL property');
    const found: DavResource[] = [];
    for (const href of principalHrefs((await acl.get(ctx, r)) ?? [])) {
      const path = storePathOfUri(href);
      const p = path === null ? null : await resolve(ctx.store, path);
      if (p?.kind === 'principal') found.push(p);
    }
    return principalsAnswer(ctx, r, found, req.props);
  },
};
