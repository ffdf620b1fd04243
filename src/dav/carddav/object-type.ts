import { contentTypeOf, negotiate, representCard } from '../../formats/vcard/represent.js';
import { header } from '../core/context.js';
import type { ObjectTypeDef } from '../core/object-types.js';

/**
 * Address object resources (RFC 6352 §6.3.2). What a PUT may store (one vCard 3.0/4.0 or jCard
 * within max-resource-size, no UID conflict) is the domain's rule (domain/objects/prepare-object.ts,
 * domain/contacts/object.ts); here, how a GET answers one.
 */
export const addressbookObjectType: ObjectTypeDef = {
  /** RFC 6352 §5.1.1: the vCard version or jCard the Accept header asks for (vCard 3.0 by default). */
  represent(ctx, stored, body) {
    const rep = negotiate(header(ctx, 'accept'));
    try {
      return {
        body: representCard(new TextDecoder().decode(body), stored.contentType, rep),
        contentType: contentTypeOf(rep),
      };
    } catch {
      // Data stored before validation existed, or not a card: answer it as it is.
      return { body, contentType: stored.contentType ?? 'application/octet-stream' };
    }
  },
};
