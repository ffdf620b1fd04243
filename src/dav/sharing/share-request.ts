/**
 * The bodies of a POST that shares (typed once, DESIGN convention 2): CS:share (caldav-sharing
 * §5.3.2, §6.26–6.28), DAV:share-resource (draft-pot-webdav-resource-sharing §5.4, as sabre/dav
 * takes it) and CS:invite-reply (caldav-sharing §5.4.1, §6.22).
 */
import { elements, firstChild, textOf, type XmlElement } from '../../xml/element.js';
import { cs, dav } from '../../xml/names.js';
import type { ShareAccess } from '../../store/capabilities/shares.js';
import { DavError } from '../core/errors.js';

/** One sharee instruction, the sharee still named by its href. */
export type ShareInstruction =
  | {
      readonly kind: 'set';
      readonly href: string;
      readonly access: ShareAccess;
      readonly summary: string | null;
      readonly commonName: string | null;
    }
  | { readonly kind: 'remove'; readonly href: string };

export interface InviteReply {
  readonly accept: boolean;
  readonly inviteUid: string;
}

export type SharingPost =
  | { readonly kind: 'share'; readonly instructions: ShareInstruction[] }
  | { readonly kind: 'invite-reply'; readonly reply: InviteReply };

function text(parent: XmlElement, name: string): string | null {
  const c = firstChild(parent, name);
  const t = c ? textOf(c).trim() : '';
  return t === '' ? null : t;
}

function hrefIn(parent: XmlElement): string {
  const href = text(parent, dav('href'));
  if (href === null) throw DavError.badRequest('each sharee needs a DAV:href');
  return href;
}

function parseCsShare(root: XmlElement): ShareInstruction[] {
  const out: ShareInstruction[] = [];
  for (const set of elements(root, cs('set'))) {
    const access: ShareAccess = firstChild(set, cs('read-write')) ? 'read-write' : 'read';
    const summary = text(set, cs('summary'));
    out.push({ kind: 'set', href: hrefIn(set), access, summary, commonName: text(set, cs('common-name')) });
  }
  for (const remove of elements(root, cs('remove'))) out.push({ kind: 'remove', href: hrefIn(remove) });
  return out;
}

/** draft-pot §5.4: DAV:sharee elements with DAV:share-access read, read-write or no-access (= remove). */
function parseShareResource(root: XmlElement): ShareInstruction[] {
  return elements(root, dav('sharee')).map((sharee) => {
    const access = firstChild(sharee, dav('share-access'));
    const href = hrefIn(sharee);
    if (!access || firstChild(access, dav('no-access'))) return { kind: 'remove', href };
    return {
      kind: 'set',
      href,
      access: firstChild(access, dav('read-write')) ? 'read-write' : 'read',
      summary: text(sharee, dav('comment')),
      commonName: firstChild(sharee, dav('prop')) ? text(firstChild(sharee, dav('prop'))!, dav('displayname')) : null,
    };
  });
}

function parseInviteReply(root: XmlElement): InviteReply {
  const inviteUid = text(root, cs('in-reply-to'));
  if (inviteUid === null) throw DavError.badRequest('CS:invite-reply needs CS:in-reply-to');
  const accept = firstChild(root, cs('invite-accepted')) !== undefined;
  if (!accept && !firstChild(root, cs('invite-declined')))
    throw DavError.badRequest('CS:invite-reply needs CS:invite-accepted or CS:invite-declined');
  return { accept, inviteUid };
}

/** The typed request of a sharing POST body; 400 for any other body. */
export function parseSharingPost(root: XmlElement | null): SharingPost {
  if (root?.name === cs('share')) return { kind: 'share', instructions: parseCsShare(root) };
  if (root?.name === dav('share-resource')) return { kind: 'share', instructions: parseShareResource(root) };
  if (root?.name === cs('invite-reply')) return { kind: 'invite-reply', reply: parseInviteReply(root) };
  throw DavError.badRequest('the body must be CS:share, DAV:share-resource or CS:invite-reply');
}
