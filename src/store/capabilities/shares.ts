import type { DeadProperty } from '../types.js';

/** What a sharee may do with a shared collection (CalDAV sharing §5.5.1: CS:read, CS:read-write). */
export type ShareAccess = 'read' | 'read-write';

/** Where an invitation stands (§6.6–6.9): no answer yet, accepted (an instance exists), declined. */
export type ShareStatus = 'pending' | 'accepted' | 'declined';

/**
 * One sharee of one shared collection (issue #17 item 1): the invitation, and while it is
 * accepted the sharee's *instance* — a URI in the sharee's own home that maps to the shared
 * collection, with the sharee's own dead properties (name, colour, order, transparency…).
 */
export interface Share {
  readonly id: number;
  /** The shared collection (the data collection with its own sync token and change feed). */
  readonly collectionId: number;
  /** Its current store path (the owner's), read with the share. */
  readonly collectionPath: string;
  readonly ownerId: number;
  readonly shareeId: number;
  /** What the sharee may do: the higher of `directAccess` and every group share naming them. */
  readonly access: ShareAccess;
  /** The access the sharer gave this sharee by name; null when they have it only through groups. */
  readonly directAccess: ShareAccess | null;
  readonly status: ShareStatus;
  /** The invitation's CS:uid (§6.16), answered in CS:in-reply-to (§6.23). */
  readonly inviteUid: string;
  readonly summary: string | null;
  readonly commonName: string | null;
  /** Store path of the sharee's instance while accepted (`/calendars/bob/<name>`), else null. */
  readonly instancePath: string | null;
  /** The sharee's per-user dead properties on the instance (§5.5.3). */
  readonly properties: readonly DeadProperty[];
  readonly createdAt: number;
}

/** What the sharer sets for one sharee (§5.3.2 CS:set), or a group share gives a member. */
export interface NewShare {
  readonly collectionId: number;
  readonly shareeId: number;
  readonly access: ShareAccess;
  readonly directAccess: ShareAccess | null;
  readonly inviteUid: string;
  readonly summary: string | null;
  readonly commonName: string | null;
}

/** What a sharee's answer or later action changes on their share. */
export interface ShareUpdate {
  readonly status?: ShareStatus;
  readonly instancePath?: string | null;
  readonly properties?: readonly DeadProperty[];
}

/**
 * A collection shared with a group (issue #17): shown as one sharee in CS:invite; each member
 * holds an ordinary share (their instance, per-user data) whose access this one raises.
 */
export interface GroupShare {
  readonly id: number;
  readonly collectionId: number;
  readonly collectionPath: string;
  readonly ownerId: number;
  readonly groupId: number;
  readonly groupName: string;
  readonly access: ShareAccess;
  readonly inviteUid: string;
  readonly summary: string | null;
  readonly createdAt: number;
}

export interface NewGroupShare {
  readonly collectionId: number;
  readonly groupId: number;
  readonly access: ShareAccess;
  readonly inviteUid: string;
  readonly summary: string | null;
}

/** Shares, read. */
export interface SharesReader {
  /** Every sharee of a collection, in the order they were invited. */
  sharesOf(collectionId: number): Promise<Share[]>;
  /** Every share naming the user as sharee. */
  sharesFor(shareeId: number): Promise<Share[]>;
  /** The accepted share whose instance is at `instancePath`; null when none. */
  shareByInstance(instancePath: string): Promise<Share | null>;
  shareByInvite(inviteUid: string): Promise<Share | null>;
  shareById(id: number): Promise<Share | null>;
  /** The groups a collection is shared with, in the order they were added. */
  groupSharesOf(collectionId: number): Promise<GroupShare[]>;
  /**
   * Those of `collectionIds` their owner shares with anyone: a share of any status, or a group
   * share (which has no share row while its group has no members). One statement for a whole
   * listing's collections.
   */
  sharedCollections(collectionIds: readonly number[]): Promise<Set<number>>;
  /** Every collection shared with a group. */
  groupSharesOfGroup(groupId: number): Promise<GroupShare[]>;
}

/**
 * Shares, written. Each write moves the shared collection's `meta_seq` and its parent's (its
 * resourcetype and CS:invite change, which cached report answers may hold).
 */
export interface SharesWriter {
  /**
   * Invite a sharee, or change the access, summary or name of an existing one (keeping its
   * invitation uid, status and instance); returns the share as stored.
   */
  putShare(share: NewShare): Promise<Share>;
  updateShare(id: number, update: ShareUpdate): Promise<Share>;
  deleteShare(id: number): Promise<void>;
  /** Share with a group, or change an existing group share's access or summary (keeping its uid). */
  putGroupShare(share: NewGroupShare): Promise<GroupShare>;
  deleteGroupShare(id: number): Promise<void>;
}
