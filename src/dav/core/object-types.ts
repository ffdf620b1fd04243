import type { Resource } from '../../store/types.js';
import type { DavContext } from './context.js';

/**
 * How a collection type's members are answered, part of its CollectionTypeDef. What is stored
 * in them (validation, index) is the domain's write path (domain/objects/prepare-object.ts),
 * the same for every writer.
 */
export interface ObjectTypeDef {
  /**
   * The body a GET answers with, chosen by the request (content negotiation, e.g. the vCard
   * version in Accept); absent = the stored body as it is.
   */
  represent?(ctx: DavContext, stored: Resource, body: Uint8Array): { body: Uint8Array | string; contentType: string };
}
