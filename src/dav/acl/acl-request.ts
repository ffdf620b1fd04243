import { elements, firstChild, textOf, type XmlElement } from '../../xml/element.js';
import { dav, type ClarkName } from '../../xml/names.js';
import { DavError } from '../core/errors.js';
import { storePathOfUri } from '../core/paths.js';

/** The principal of a submitted ACE (RFC 3744 §5.5.1), as the client named it. */
export type RequestedPrincipal =
  | { readonly kind: 'href'; readonly path: string | null; readonly href: string }
  | { readonly kind: 'all' | 'authenticated' | 'unauthenticated' | 'self' }
  | { readonly kind: 'property'; readonly property: ClarkName | null };

/** One ACE of an ACL request body (RFC 3744 §8.1), parsed once. */
export interface RequestedAce {
  readonly principal: RequestedPrincipal;
  readonly invert: boolean;
  readonly grant: boolean;
  /** The privilege element names (Clark), as sent. */
  readonly privileges: readonly ClarkName[];
  readonly protected: boolean;
  readonly inherited: boolean;
}

const PSEUDO = new Set(['all', 'authenticated', 'unauthenticated', 'self']);

function parsePrincipal(principal: XmlElement): RequestedPrincipal {
  const child = elements(principal)[0];
  if (!child) throw DavError.badRequest('DAV:principal is empty');
  if (child.name === dav('href')) {
    const href = textOf(child).trim();
    return { kind: 'href', href, path: storePathOfUri(href) };
  }
  const local = child.name.startsWith('{DAV:}') ? child.name.slice('{DAV:}'.length) : '';
  if (PSEUDO.has(local)) return { kind: local as 'all' | 'authenticated' | 'unauthenticated' | 'self' };
  if (local === 'property') return { kind: 'property', property: elements(child)[0]?.name ?? null };
  throw DavError.badRequest(`unknown principal ${child.name}`);
}

function parseAce(ace: XmlElement): RequestedAce {
  let p = firstChild(ace, dav('principal'));
  const invert = firstChild(ace, dav('invert'));
  if (!p && invert) p = firstChild(invert, dav('principal'));
  if (!p) throw DavError.badRequest('an ACE names no principal');
  const grant = firstChild(ace, dav('grant'));
  const deny = firstChild(ace, dav('deny'));
  const granting = grant ?? deny;
  if (!granting) throw DavError.badRequest('an ACE neither grants nor denies');
  const privileges = elements(granting, dav('privilege')).flatMap((priv) => elements(priv).map((e) => e.name));
  return {
    principal: parsePrincipal(p),
    invert: invert !== undefined,
    grant: grant !== undefined,
    privileges,
    protected: firstChild(ace, dav('protected')) !== undefined,
    inherited: firstChild(ace, dav('inherited')) !== undefined,
  };
}

/** RFC 3744 §8.1: the body is one DAV:acl holding the ACEs to set, in order. */
export function parseAclRequest(body: XmlElement | null): RequestedAce[] {
  if (body?.name !== dav('acl')) throw DavError.badRequest('the ACL method needs a DAV:acl body (RFC 3744 §8.1)');
  return elements(body, dav('ace')).map(parseAce);
}
