import type { StoreReader } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';
import type { DavContext } from './context.js';

/** A body ready to store: possibly normalised, with its index columns. */
export interface PreparedObject {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly index: ObjectIndex;
}

/**
 * What a collection type does with the bodies PUT into it (CalDAV validates iCalendar, CardDAV
 * vCard), part of its CollectionTypeDef. Plain WebDAV collections store any body as it is.
 */
export interface ObjectTypeDef {
  /** Validate a body for `path` inside `parent`; throw a DavError naming the precondition. */
  prepare(ctx: DavContext, reader: StoreReader, parent: Resource, path: string, body: Buffer,
    existing: Resource | null): Promise<PreparedObject>;
  /**
   * The body a GET answers with, chosen by the request (content negotiation, e.g. the vCard
   * version in Accept); absent = the stored body as it is.
   */
  represent?(ctx: DavContext, stored: Resource, body: Uint8Array): { body: Uint8Array | string; contentType: string };
}
