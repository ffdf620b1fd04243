/**
 * Large objects received in chunks (RepPro 1.2 §6.6.9 MoreData, DS Protocol §7; digest §9):
 * each non-final chunk is buffered in the session (status 213), the last completes the object,
 * which must have the announced Meta Size (else 424).
 */
import { parseDevInf, type DevInf } from '../formats/syncml/devinf.js';
import type { Item, ItemData } from '../formats/syncml/model.js';
import { parseSyncmlXml } from '../formats/syncml/xml.js';
import { decodeWbxml } from '../formats/wbxml/codec.js';
import { concatBytes, isElement } from '../formats/wbxml/tree.js';
import type { SessionState } from './session.js';

export type Assembled =
  | { readonly kind: 'partial' }
  | { readonly kind: 'error'; readonly status: number }
  | { readonly kind: 'done'; readonly data: ItemData };

const enc = new TextEncoder();

function bytesOf(d: ItemData | undefined): Uint8Array | null {
  if (d === undefined) return new Uint8Array(0);
  if (typeof d === 'string') return enc.encode(d);
  if (d instanceof Uint8Array) return d;
  return null;
}

export function assemble(s: SessionState, key: string, item: Item, cmdSize?: number): Assembled {
  if (!item.moreData && (!s.chunk || s.chunk.key !== key)) {
    if (s.chunk && s.chunk.key !== key) s.chunk = null; // the unfinished object is abandoned
    return { kind: 'done', data: item.data ?? '' };
  }
  const piece = bytesOf(item.data);
  if (!piece) return { kind: 'error', status: 400 };
  if (!s.chunk || s.chunk.key !== key) {
    const size = item.meta?.size ?? cmdSize ?? null;
    s.chunk = { key, size, data: Buffer.from(piece).toString('base64') };
    return { kind: 'partial' };
  }
  const all = concatBytes([Buffer.from(s.chunk.data, 'base64'), piece]);
  if (item.moreData) {
    s.chunk.data = Buffer.from(all).toString('base64');
    return { kind: 'partial' };
  }
  const size = s.chunk.size;
  s.chunk = null;
  if (size !== null && all.byteLength !== size) return { kind: 'error', status: 424 };
  return { kind: 'done', data: all };
}

/** DevInf from item data: an embedded tree, a WBXML document, or XML text. */
export function devinfOf(data: ItemData): DevInf {
  if (isElement(data as never)) return parseDevInf(data as never);
  if (data instanceof Uint8Array && data.length > 0 && (data[0] as number) <= 3) return parseDevInf(decodeWbxml(data).root);
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array);
  return parseDevInf(parseSyncmlXml(text));
}
