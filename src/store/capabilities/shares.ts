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
  readonly access: ShareAccess;
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

/** What the sharer sets for one sharee (§5.3.2 CS:set). */
export interface NewShare {
  readonly collectionId: number;
  readonly shareeId: number;
  readonly access: ShareAccess;
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

/** Shares, read. */
export interface SharesReader {
  /** Every sharee of a collection, in the order they were invited. */
  sharesOf(collectionId: number): Promise<Share[]>;
  /** Every share naming the user as sharee. */
  sharesFor(shareeId: number): Promise<Share[]>;
  /** The accepted share whose instance is at `instancePath`; null when none. */
  shareByInstance(instancePath: string): Promise<Share | null>;
  shareByInvite(inviteUid: string): Promise<Share | null>;
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
}
