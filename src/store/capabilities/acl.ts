import type { User } from '../types.js';

/**
 * Who an access control entry names (RFC 3744 §5.5.1): a user, a group, or one of the
 * pseudo-principals DAV:authenticated and DAV:all. The store keeps names and privilege names
 * as given; which privileges they grant is the domain's rule (domain/acl/).
 */
export type AcePrincipal =
  | { readonly kind: 'user'; readonly id: number }
  | { readonly kind: 'group'; readonly id: number }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'all' };

/** One granting ACE stored on a resource (RFC 3744 §5.5): grant-only, no invert. */
export interface StoredAce {
  readonly principal: AcePrincipal;
  /** Privilege names (`read`, `write`, `read-free-busy`, …). */
  readonly privileges: readonly string[];
}

/** The ACEs on one resource that apply to a user, with the path of the resource they sit on. */
export interface GrantRow {
  readonly path: string;
  readonly privileges: readonly string[];
}

/**
 * A group of users: a principal at /principals/groups/NAME, or a group a user owns (`owner`
 * set) in one of a few roles, such as their calendar-user proxy groups (caldav-proxy §5.2).
 * An owned group is named OWNER/ROLE and is deleted with its owner.
 */
export interface Group {
  readonly id: number;
  readonly name: string;
  readonly createdAt: number;
  readonly owner: { readonly id: number; readonly name: string } | null;
  readonly role: string | null;
}

/** Stored ACEs and groups, read. */
export interface AclReader {
  /** The ACEs stored on the resource at `path`, in order; none when nothing is there. */
  getAces(path: string): Promise<StoredAce[]>;
  /**
   * Every stored ACE that names the user, a group they belong to, DAV:authenticated or DAV:all,
   * with the current path of its resource: one query per request (domain/acl/grants.ts).
   */
  grantsFor(userId: number): Promise<GrantRow[]>;
  /** A group that no user owns, by name. */
  getGroupByName(name: string): Promise<Group | null>;
  getGroupById(id: number): Promise<Group | null>;
  /** The group `ownerId` owns in `role`, if it was made. */
  getOwnedGroup(ownerId: number, role: string): Promise<Group | null>;
  /** The groups no user owns, by name. */
  listGroups(): Promise<Group[]>;
  groupMembers(groupId: number): Promise<User[]>;
  /** Every group the user is a direct member of, owned ones included. */
  groupsOf(userId: number): Promise<Group[]>;
}

/** Stored ACEs and groups, written (inside a transaction). */
export interface AclWriter {
  /** Replace the ACEs on the resource with id `resourceId` (RFC 3744 §8.1: the ACL method's effect). */
  setAces(resourceId: number, aces: readonly StoredAce[]): Promise<void>;
  createGroup(name: string): Promise<Group>;
  /** Make the group `owner` owns in `role` (named OWNER/ROLE), or return it when it exists. */
  ensureOwnedGroup(owner: { readonly id: number; readonly name: string }, role: string): Promise<Group>;
  /** Deletes the group, its memberships and every ACE naming it. */
  deleteGroup(id: number): Promise<void>;
  addGroupMember(groupId: number, userId: number): Promise<void>;
  removeGroupMember(groupId: number, userId: number): Promise<void>;
}
