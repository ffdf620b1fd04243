import { el, type XmlElement } from '../../xml/element.js';
import { clark, dav, NS } from '../../xml/names.js';
import { DavError } from '../core/errors.js';
import { hrefOf } from '../core/paths.js';
import { areaOwnerName, type DavResource } from '../core/resource.js';
import { privilegesOf, type Principal, type Privilege } from '../../domain/objects/privileges.js';
import { covers } from '../../domain/acl/grants.js';
import { SCHEDULE_DELIVER, SCHEDULE_SEND } from '../../domain/acl/privilege.js';

// Who holds which privilege is a domain rule (domain/objects/privileges.ts): DAV and SyncML
// writes meet the same one. This module renders it as RFC 3744 XML and DAV errors.
export { privilegesOf, type Privilege } from '../../domain/objects/privileges.js';

/** Privileges outside the DAV: namespace (RFC 4791 §6.1.1 CALDAV:read-free-busy, RFC 6638 §6). */
const PRIVILEGE_NAMESPACE: Partial<Record<Privilege, string>> = {
  'read-free-busy': NS.CALDAV,
  ...Object.fromEntries([...SCHEDULE_DELIVER, ...SCHEDULE_SEND].map((p) => [p, NS.CALDAV])),
};

/** The XML element name of a privilege. */
export function privilegeName(p: Privilege): string {
  return clark(PRIVILEGE_NAMESPACE[p] ?? NS.DAV, p);
}

interface PrivilegeNode {
  readonly name: Privilege;
  readonly abstract: boolean;
  readonly description: string;
  readonly children: readonly PrivilegeNode[];
}

const leaf = (name: Privilege, description: string): PrivilegeNode => ({
  name,
  abstract: false,
  description,
  children: [],
});

/** The supported privilege tree (RFC 3744 §5.3). */
export const PRIVILEGE_TREE: PrivilegeNode = {
  name: 'all',
  abstract: false,
  description: 'Any operation',
  children: [
    {
      name: 'read',
      abstract: false,
      description: 'Read resource content and properties',
      children: [leaf('read-free-busy', 'Read free-busy information (RFC 4791 §6.1.1)')],
    },
    {
      name: 'write',
      abstract: false,
      description: 'Write any object',
      children: [
        leaf('write-properties', 'Write properties'),
        leaf('write-content', 'Write resource content'),
        leaf('bind', 'Add members to a collection'),
        leaf('unbind', 'Remove members from a collection'),
      ],
    },
    leaf('unlock', 'Remove locks'),
    leaf('read-acl', 'Read the access control list'),
    leaf('read-current-user-privilege-set', 'Read the current user privilege set'),
    leaf('write-acl', 'Write the access control list'),
  ],
};

/** RFC 6638 §6.1: the inbox's privileges, under DAV:all on a scheduling inbox. */
const DELIVER_NODE: PrivilegeNode = {
  name: 'schedule-deliver',
  abstract: false,
  description: 'Deliver scheduling messages to this inbox (RFC 6638 §6.1.1)',
  children: [
    leaf('schedule-deliver-invite', 'Deliver messages from organizers (RFC 6638 §6.1.2)'),
    leaf('schedule-deliver-reply', 'Deliver messages from attendees (RFC 6638 §6.1.3)'),
    leaf('schedule-query-freebusy', "Query the owner's free-busy (RFC 6638 §6.1.4)"),
  ],
};

/** RFC 6638 §6.2: the outbox's privileges, under DAV:all on a scheduling outbox. */
const SEND_NODE: PrivilegeNode = {
  name: 'schedule-send',
  abstract: false,
  description: "Send scheduling messages as the outbox's owner (RFC 6638 §6.2.1)",
  children: [
    leaf('schedule-send-invite', 'Send messages as organizer (RFC 6638 §6.2.2)'),
    leaf('schedule-send-reply', 'Send messages as attendee (RFC 6638 §6.2.3)'),
    leaf('schedule-send-freebusy', 'Ask for free-busy time (RFC 6638 §6.2.4)'),
  ],
};

const withUnderAll = (node: PrivilegeNode): PrivilegeNode => ({
  ...PRIVILEGE_TREE,
  children: [...PRIVILEGE_TREE.children, node],
});
const INBOX_TREE = withUnderAll(DELIVER_NODE);
const OUTBOX_TREE = withUnderAll(SEND_NODE);
/** Every privilege: RFC 6638 §6.3, DAV:all contains schedule-deliver and schedule-send. */
const FULL_TREE: PrivilegeNode = { ...PRIVILEGE_TREE, children: [...PRIVILEGE_TREE.children, DELIVER_NODE, SEND_NODE] };

/**
 * The privilege tree of `r` (RFC 3744 §5.3): the scheduling privileges appear on the
 * scheduling inbox and outbox they are defined on (RFC 6638 §6), nowhere else.
 */
export function privilegeTreeFor(r: DavResource): PrivilegeNode {
  const type = r.stored?.isCollection ? r.stored.collectionType : '';
  return type === 'schedule-inbox' ? INBOX_TREE : type === 'schedule-outbox' ? OUTBOX_TREE : PRIVILEGE_TREE;
}

function expand(node: PrivilegeNode, out: Set<Privilege>): void {
  out.add(node.name);
  for (const c of node.children) expand(c, out);
}

function find(node: PrivilegeNode, name: Privilege): PrivilegeNode | undefined {
  if (node.name === name) return node;
  for (const c of node.children) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

/** 403 DAV:need-privileges (RFC 3744 §7.1.1): `privilege` is lacking on the resource at `href`. */
export function needPrivileges(href: string, privilege: Privilege): DavError {
  return DavError.condition('need-privileges', `${privilege} privilege required on ${href}`, [
    el(dav('resource'), {}, el(dav('href'), {}, href), el(dav('privilege'), {}, el(privilegeName(privilege)))),
  ]);
}

/** Throw 403 DAV:need-privileges unless `user` holds `privilege` on `r` (RFC 3744 §7.1.1). */
export function requirePrivilege(user: Principal, r: DavResource, privilege: Privilege): void {
  if (privilegesOf(user, r).has(privilege)) return;
  throw needPrivileges(hrefOf(r.path, r.isCollection), privilege);
}

/**
 * Whether `path` lies in another user's data area (`/files/bob/…`, `/calendars/bob/…`) where
 * `user` holds no privilege on anything, stored there or not: no stored ACE granting them
 * something reaches it (RFC 3744 §5.5; a grant on a collection reaches its members).
 * Principals and the virtual containers are no one's area: every user may read them.
 */
export function inForeignArea(user: Principal, path: string): boolean {
  const owner = areaOwnerName(path);
  if (owner === null || owner === user.name) return false;
  return !(user.grants ?? []).some((g) => covers(g.path, path));
}

/**
 * Refuse a path in another user's area with 403 DAV:need-privileges (RFC 3744 §7.1.1) before
 * anything there is looked up, so the answer is the same whether a resource exists at it or
 * not (docs/ARCHITECTURE.md "The URL space"). `href` is the path as the request named it and
 * `privilege` the one the request needs on it: the error tells nothing the client did not send.
 */
export function requireAreaAccess(user: Principal, path: string, href: string, privilege: Privilege): void {
  if (inForeignArea(user, path)) throw needPrivileges(href, privilege);
}

/** Every privilege that `name` aggregates, itself included. */
export function aggregated(name: Privilege): Set<Privilege> {
  const out = new Set<Privilege>();
  const node = find(FULL_TREE, name);
  if (node) expand(node, out);
  return out;
}

export function supportedPrivilegeXml(node: PrivilegeNode = PRIVILEGE_TREE): XmlElement {
  return el(
    dav('supported-privilege'),
    {},
    el(dav('privilege'), {}, el(privilegeName(node.name))),
    node.abstract ? el(dav('abstract')) : null,
    el(dav('description'), { '{http://www.w3.org/XML/1998/namespace}lang': 'en' }, node.description),
    ...node.children.map((c) => supportedPrivilegeXml(c)),
  );
}
