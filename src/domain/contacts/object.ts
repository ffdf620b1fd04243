import { MEDIA_JCARD } from '../../formats/vcard/model.js';
import { searchEntries } from '../../formats/vcard/search-index.js';
import { AddressDataError, validateAddressData } from '../../formats/vcard/validate.js';
import type { ObjectsReader } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';

/** Why a card is refused; each maps to an RFC 6352 §6.3.2.1 precondition. */
export type CardRejection = 'max-resource-size' | 'supported-address-data' | 'valid-address-data' | 'no-uid-conflict';

export class CardRejected extends Error {
  constructor(
    readonly reason: CardRejection,
    message: string,
    readonly conflictPath: string | null = null,
  ) {
    super(message);
    this.name = 'CardRejected';
  }
}

/**
 * Largest address object accepted, in octets: enough for a card with a large photo, and never
 * more than the server's upload limit (`maxUploadBytes`, which configures it downwards).
 */
const CARD_SIZE_LIMIT = 10 * 1024 * 1024;

/** The card size limit under the server's upload limit (RFC 6352 §6.2.3 max-resource-size). */
export function cardSizeLimit(maxUploadBytes: number): number {
  return Math.min(CARD_SIZE_LIMIT, maxUploadBytes);
}

export interface PreparedCard {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly index: ObjectIndex;
  readonly uid: string;
}

/**
 * The one rule for writing a card into an address book, whoever writes it (CardDAV PUT, COPY,
 * SyncML, import): one vCard 3.0/4.0 or jCard, no larger than `maxSize`, a UID no other card of
 * the book uses (that a replaced card keeps its UID is domain/objects/prepare-object.ts
 * `refuseUidChange`, one rule for cards and calendar objects). The body is kept as sent; its
 * searchable properties are indexed.
 */
export async function prepareCard(
  reader: ObjectsReader,
  book: Resource,
  path: string,
  body: Uint8Array,
  contentType: string | undefined,
  maxSize: number,
): Promise<PreparedCard> {
  if (body.byteLength > maxSize)
    throw new CardRejected('max-resource-size', `the card is larger than ${maxSize} octets`);
  let valid;
  try {
    valid = validateAddressData(body, contentType);
  } catch (err) {
    if (!(err instanceof AddressDataError)) throw err;
    throw new CardRejected(err.kind === 'unsupported' ? 'supported-address-data' : 'valid-address-data', err.message);
  }
  // resources_uid(parent_id, uid): an index lookup, exact (UIDs compare as octets), O(1) in the book's size.
  const clash = (await reader.queryObjects(book.id, { uid: valid.uid })).find((r) => r.path !== path);
  if (clash)
    throw new CardRejected('no-uid-conflict', `UID ${valid.uid} is already used in this address book`, clash.path);
  return {
    body,
    uid: valid.uid,
    contentType: valid.format === 'jcard' ? `${MEDIA_JCARD}; charset=utf-8` : 'text/vcard; charset=utf-8',
    index: { uid: valid.uid, component: 'VCARD', search: searchEntries(valid.card) },
  };
}
