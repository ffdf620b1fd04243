/** Bytes ⇄ typed SyncML message, in XML or WBXML (digest §1, §13). */
import { decodeWbxml, encodeWbxml } from '../wbxml/codec.js';
import { DocumentBudget, DocumentLimitError } from '../wbxml/limits.js';
import {
  DEVINF_11,
  DEVINF_12,
  DEVINF_10,
  LANGUAGES,
  NS_DEVINF,
  SYNCML_10,
  SYNCML_11,
  SYNCML_12,
} from '../wbxml/tables.js';
import { isElement, type Element, type Node } from '../wbxml/tree.js';
import { createBuilder } from './build.js';
import { MEDIA_WBXML, MEDIA_XML, type Encoding, type SyncmlMessage, type SyncmlVersion } from './model.js';
import { parseMessage } from './parse.js';
import { parseSyncmlXml, writeSyncmlXml } from './xml.js';

export function encodingOf(contentType: string | undefined): Encoding | null {
  const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (ct === MEDIA_XML) return 'xml';
  if (ct === MEDIA_WBXML) return 'wbxml';
  return null;
}

export function mediaTypeOf(encoding: Encoding): string {
  return encoding === 'xml' ? MEDIA_XML : MEDIA_WBXML;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Replace OPAQUE item data holding a WBXML DevInf document by its decoded tree (digest §13).
 * The nested decode charges the message's budget: a limit passed there refuses the message.
 */
function expandEmbedded(e: Element, budget: DocumentBudget): Element {
  const children: Node[] = e.children.map((c) => {
    if (c instanceof Uint8Array && e.name === 'Data' && c.length > 4 && c[0] !== undefined && c[0] <= 3) {
      try {
        const doc = decodeWbxml(c, LANGUAGES, budget);
        if (doc.root.ns === NS_DEVINF) return doc.root;
      } catch (err) {
        if (err instanceof DocumentLimitError) throw err;
        /* ordinary opaque data */
      }
      return c;
    }
    return isElement(c) ? expandEmbedded(c, budget) : c;
  });
  return { ...e, children };
}

function devinfLanguage(version: SyncmlVersion) {
  return version === '1.2' ? DEVINF_12 : version === '1.1' ? DEVINF_11 : DEVINF_10;
}

/** Embedded DevInf trees become OPAQUE WBXML documents (digest §13). */
function collapseEmbedded(e: Element, version: SyncmlVersion): Element {
  const children: Node[] = e.children.map((c) => {
    if (isElement(c)) {
      if (c.ns === NS_DEVINF && e.name === 'Data') return encodeWbxml(c, devinfLanguage(version));
      return collapseEmbedded(c, version);
    }
    return c;
  });
  return { ...e, children };
}

/**
 * Decode one message within the document limits (`../wbxml/limits.ts`); throws
 * `DocumentLimitError`, `WbxmlError`, `SyncmlXmlError` or `SyncmlParseError`.
 */
export function decodeMessage(body: Uint8Array, encoding: Encoding, budget = new DocumentBudget()): SyncmlMessage {
  if (body.byteLength > budget.limits.maxBytes)
    throw new DocumentLimitError(413, `message larger than ${budget.limits.maxBytes} bytes`);
  const root =
    encoding === 'wbxml'
      ? expandEmbedded(decodeWbxml(body, LANGUAGES, budget).root, budget)
      : parseSyncmlXml(utf8.decode(body), budget);
  return parseMessage(root);
}

export function messageTree(m: SyncmlMessage): Element {
  return createBuilder(m.version).message(m);
}

export function encodeTree(tree: Element, version: SyncmlVersion, encoding: Encoding): Uint8Array {
  if (encoding === 'xml') return new TextEncoder().encode(writeSyncmlXml(tree));
  const lang = version === '1.2' ? SYNCML_12 : version === '1.1' ? SYNCML_11 : SYNCML_10;
  return encodeWbxml(collapseEmbedded(tree, version), lang);
}

export function encodeMessage(m: SyncmlMessage, encoding: Encoding): Uint8Array {
  return encodeTree(messageTree(m), m.version, encoding);
}
