import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { CardRejected, prepareCard } from '../../domain/contacts/object.js';
import { contentTypeOf, negotiate, representCard } from '../../formats/vcard/represent.js';
import { header } from '../core/context.js';
import { DavError } from '../core/errors.js';
import type { ObjectTypeDef } from '../core/object-types.js';
import { hrefOf } from '../core/paths.js';
import { maxCardSize } from './properties/max-resource-size.js';

/**
 * PUT into an address book (RFC 6352 §6.3.2): the body must be one vCard 3.0/4.0 or jCard
 * (supported-address-data, valid-address-data), no larger than max-resource-size, with a UID
 * no other card of the book uses and, when replacing a card, the same UID as before
 * (no-uid-conflict). The data is stored exactly as sent; its searchable properties are indexed.
 */
export const addressbookObjectType: ObjectTypeDef = {
  async prepare(ctx, reader, parent, path, body, existing) {
    try {
      return await prepareCard(reader, parent, path, body, header(ctx, 'content-type'), existing, maxCardSize(ctx));
    } catch (err) {
      if (!(err instanceof CardRejected)) throw err;
      const content = err.conflictPath ? [el(dav('href'), {}, hrefOf(err.conflictPath, false))] : [];
      throw DavError.condition(`carddav:${err.reason}`, err.message, content);
    }
  },
  /** RFC 6352 §5.1.1: the vCard version or jCard the Accept header asks for (vCard 3.0 by default). */
  represent(ctx, stored, body) {
    const rep = negotiate(header(ctx, 'accept'));
    try {
      return { body: representCard(new TextDecoder().decode(body), stored.contentType, rep), contentType: contentTypeOf(rep) };
    } catch {
      // Data stored before validation existed, or not a card: answer it as it is.
      return { body, contentType: stored.contentType ?? 'application/octet-stream' };
    }
  },
};
