import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { searchEntries } from '../../formats/vcard/search-index.js';
import { unicodeFold } from '../../formats/vcard/text.js';
import { AddressDataError, validateAddressData } from '../../formats/vcard/validate.js';
import { MEDIA_JCARD } from '../../formats/vcard/model.js';
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
  collectionType: 'addressbook',
  async prepare(ctx, reader, parent, path, body, existing) {
    if (body.byteLength > maxCardSize(ctx)) {
      throw DavError.condition('carddav:max-resource-size', `the card is larger than ${maxCardSize(ctx)} octets`);
    }
    let valid;
    try {
      valid = validateAddressData(body, header(ctx, 'content-type'));
    } catch (err) {
      if (!(err instanceof AddressDataError)) throw err;
      throw DavError.condition(err.kind === 'unsupported' ? 'carddav:supported-address-data' : 'carddav:valid-address-data', err.message);
    }
    if (existing && existing.uid !== null && existing.uid !== valid.uid) {
      throw DavError.condition('carddav:no-uid-conflict', `this card has UID ${existing.uid}; a PUT cannot change it`,
        [el(dav('href'), {}, hrefOf(existing.path, false))]);
    }
    const sameUid = await reader.searchObjects(parent.id, 'UID', { kind: 'equals', folded: unicodeFold(valid.uid) }, 50);
    const clash = sameUid.find((r) => r.uid === valid.uid && r.path !== path);
    if (clash) {
      throw DavError.condition('carddav:no-uid-conflict', `UID ${valid.uid} is already used in this address book`,
        [el(dav('href'), {}, hrefOf(clash.path, false))]);
    }
    return {
      body,
      contentType: valid.format === 'jcard' ? `${MEDIA_JCARD}; charset=utf-8` : 'text/vcard; charset=utf-8',
      index: { uid: valid.uid, component: 'VCARD', search: searchEntries(valid.card) },
    };
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
