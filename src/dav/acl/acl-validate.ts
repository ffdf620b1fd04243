import type { AcePrincipal, StoredAce } from '../../store/capabilities/acl.js';
import type { AclReader, UsersReader } from '../../store/store.js';
import { GRANTABLE } from '../../domain/acl/grants.js';
import { PROXY_ROLES } from '../../domain/acl/proxies.js';
import type { ClarkName } from '../../xml/names.js';
import { DavError } from '../core/errors.js';
import { principalPath } from '../core/resource.js';
import type { RequestedAce, RequestedPrincipal } from './acl-request.js';
import { principalAt } from './acl-principals.js';
import { privilegeName, type Privilege } from './privileges.js';

/** The most ACEs one resource keeps (RFC 3744 §8.1.1 DAV:limited-number-of-aces). */
const MAX_ACES = 32;

/** Privileges DAV:all and DAV:unauthenticated may be granted: reading only (no anonymous writes). */
const PUBLIC_PRIVILEGES = new Set(['read', 'read-free-busy']);

const BY_NAME = new Map<ClarkName, string>(GRANTABLE.map((p) => [privilegeName(p as Privilege), p]));

const refuse = (condition: Parameters<typeof DavError.condition>[0], message: string): DavError =>
  DavError.condition(condition, message);

/** The owner's protected ACE (RFC 3744 §5.5: grant DAV:all to the owner), as a client may send it back. */
function isOwnerAce(ace: RequestedAce, ownerName: string): boolean {
  const p = ace.principal;
  const owner =
    (p.kind === 'href' && p.path === principalPath(ownerName)) ||
    (p.kind === 'property' && p.property === '{DAV:}owner');
  return owner && ace.grant && !ace.invert && ace.privileges.length === 1 && ace.privileges[0] === privilegeName('all');
}

/** Whether a principal path is one of the owner's proxy groups, whose ACEs are the server's (caldav-proxy §5.4). */
const isOwnerProxyGroup = (path: string | null, ownerName: string): boolean =>
  path !== null && PROXY_ROLES.some((role) => path === `${principalPath(ownerName)}/${role}`);

/** A protected proxy-group ACE of the owner, as a client sends the ACL it read back. */
const isProxyEcho = (ace: RequestedAce, ownerName: string): boolean =>
  ace.protected && ace.principal.kind === 'href' && isOwnerProxyGroup(ace.principal.path, ownerName);

async function storedPrincipal(
  store: UsersReader & AclReader,
  p: RequestedPrincipal,
  ownerName: string,
): Promise<AcePrincipal> {
  if (p.kind === 'all' || p.kind === 'authenticated') return { kind: p.kind };
  if (p.kind !== 'href' && p.kind !== 'property') {
    throw refuse(
      'allowed-principal',
      `DAV:${p.kind} is not a principal ACEs here may name (every request is authenticated; ACLs are not set on principals)`,
    );
  }
  if (p.kind === 'property') {
    if (p.property === '{DAV:}owner')
      throw refuse('no-protected-ace-conflict', 'the owner holds DAV:all through the protected ACE');
    throw refuse('allowed-principal', 'only DAV:owner may be named by property, and the owner ACE is protected');
  }
  if (p.path === principalPath(ownerName))
    throw refuse('no-protected-ace-conflict', 'the owner holds DAV:all through the protected ACE');
  if (isOwnerProxyGroup(p.path, ownerName))
    throw refuse('no-protected-ace-conflict', "the owner's proxy groups are granted by the server");
  const found = p.path === null ? null : await principalAt(store, p.path);
  if (!found) throw refuse('recognized-principal', `${p.href} is not a principal of this server`);
  return found;
}

function privilegesOfAce(ace: RequestedAce, principal: AcePrincipal): string[] {
  if (ace.privileges.length === 0) throw DavError.badRequest('an ACE grants no privilege');
  const names = ace.privileges.map((n) => {
    const name = BY_NAME.get(n);
    // DAV:write-acl is supported but never granted: only the owner changes an ACL.
    if (!name) throw refuse('not-supported-privilege', `${n} cannot be granted here (DAV:write-acl stays the owner's)`);
    return name;
  });
  if (principal.kind === 'all' && names.some((n) => !PUBLIC_PRIVILEGES.has(n))) {
    throw refuse('allowed-principal', 'DAV:all may be granted read and read-free-busy only');
  }
  return names;
}

const keyOf = (p: AcePrincipal): string => (p.kind === 'user' || p.kind === 'group' ? `${p.kind}:${p.id}` : p.kind);

/**
 * The ACEs to store for an ACL request on a resource owned by `ownerName`, or the RFC 3744
 * §8.1.1 precondition it fails. This server keeps grant-only, non-inverted ACEs
 * (DAV:acl-restrictions: grant-only, no-invert); the owner's protected ACE is the server's and
 * is dropped when a client sends it back unchanged.
 */
export async function validateAcl(
  store: UsersReader & AclReader,
  requested: readonly RequestedAce[],
  ownerName: string,
): Promise<StoredAce[]> {
  const submitted = requested.filter((ace) => !isOwnerAce(ace, ownerName) && !isProxyEcho(ace, ownerName));
  if (submitted.length > MAX_ACES) throw refuse('limited-number-of-aces', `at most ${MAX_ACES} ACEs per resource`);
  const out: StoredAce[] = [];
  const seen = new Set<string>();
  for (const ace of submitted) {
    if (ace.protected) throw refuse('no-protected-ace-conflict', 'a protected ACE cannot be set');
    if (ace.inherited)
      throw refuse('no-inherited-ace-conflict', 'an inherited ACE is changed on the collection it comes from');
    if (ace.invert) throw refuse('no-invert', 'DAV:invert is not supported');
    if (!ace.grant) throw refuse('grant-only', 'only grant ACEs are supported');
    const principal = await storedPrincipal(store, ace.principal, ownerName);
    const key = keyOf(principal);
    if (seen.has(key)) throw refuse('no-ace-conflict', 'two ACEs name the same principal: merge their privileges');
    seen.add(key);
    out.push({ principal, privileges: privilegesOfAce(ace, principal) });
  }
  return out;
}
