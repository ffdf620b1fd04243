import { controlCharacterProblem } from '../control-characters.js';
import { fromJcard, JcardError } from './jcard.js';
import { first, type VCard } from './model.js';
import { parseVcard, VcardSyntaxError } from './parse.js';
import { uidOfCard } from './uid.js';

/** Why a body is not acceptable address data; `unsupported` = not a media type we store. */
export class AddressDataError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'unsupported',
  ) {
    super(message);
    this.name = 'AddressDataError';
  }
}

export interface ValidCard {
  readonly card: VCard;
  readonly uid: string;
  readonly version: '3.0' | '4.0';
  readonly format: 'vcard' | 'jcard';
  readonly text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Which stored format a Content-Type names; null when it is none we accept. */
function formatOfMediaType(contentType: string | undefined | null, body: string): 'vcard' | 'jcard' | null {
  const mt = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mt === 'application/vcard+json') return 'jcard';
  if (mt === 'text/vcard' || mt === 'text/x-vcard' || mt === 'text/directory') return 'vcard';
  if (mt === '' || mt === 'application/octet-stream' || mt === 'text/plain') {
    // Clients that send no (or a generic) type: decide by the content.
    return body.trimStart().startsWith('[') ? 'jcard' : 'vcard';
  }
  return null;
}

/**
 * Check a body is one vCard 3.0 or 4.0 (or a jCard) that CardDAV can store (RFC 6352 §5.1,
 * §6.3.2.1): valid UTF-8, exactly one card, a VERSION we support, FN and a UID.
 */
export function validateAddressData(body: Uint8Array, contentType: string | undefined | null): ValidCard {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new AddressDataError('address data must be UTF-8', 'invalid');
  }
  const format = formatOfMediaType(contentType, text);
  if (!format) throw new AddressDataError(`media type ${contentType ?? ''} is not vCard`, 'unsupported');
  let card: VCard;
  try {
    card = format === 'jcard' ? fromJcard(text) : parseVcard(text);
  } catch (err) {
    if (err instanceof VcardSyntaxError || err instanceof JcardError)
      throw new AddressDataError(err.message, 'invalid');
    throw err;
  }
  // RFC 6350 §3.3: no control characters but HTAB in a value (escapes such as \n are text).
  for (const p of card.properties) {
    const problem = controlCharacterProblem(p.value, p.name);
    if (problem) throw new AddressDataError(problem, 'invalid');
  }
  const version = first(card, 'VERSION')?.value.trim();
  if (version === undefined) throw new AddressDataError('VERSION is missing', 'invalid');
  if (version !== '3.0' && version !== '4.0')
    throw new AddressDataError(`vCard ${version} is not supported (3.0 and 4.0 are)`, 'unsupported');
  if (!first(card, 'FN')) throw new AddressDataError('FN is required (RFC 6350 §6.2.1, RFC 2426 §3.1.1)', 'invalid');
  const uid = uidOfCard(card);
  if (uid === undefined) throw new AddressDataError('UID is required (RFC 6352 §5.1)', 'invalid');
  return { card, uid, version, format, text };
}
