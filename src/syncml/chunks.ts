/**
 * Large objects received in chunks (RepPro 1.2 §6.6.9 MoreData, DS Protocol §7; digest §9):
 * each non-final chunk is buffered in the session (status 213), the last completes the object,
 * which must have the announced Meta Size (else 424).
 */
import { parseDevInf, type DevInf } from '../formats/syncml/devinf.js';
import { STATUS, type Item, type ItemData, type StatusCode } from '../formats/syncml/model.js';
import { parseSyncmlXml } from '../formats/syncml/xml.js';
import { decodeWbxml } from '../formats/wbxml/codec.js';
import { concatBytes, isElement } from '../formats/wbxml/tree.js';
import type { SessionState } from './session.js';

export type Assembled =
  | { readonly kind: 'partial' }
  | { readonly kind: 'error'; readonly status: StatusCode }
  | { readonly kind: 'done'; readonly data: ItemData };

const enc = new TextEncoder();

function bytesOf(d: ItemData | undefined): Uint8Array | null {
  if (d === undefined) return new Uint8Array(0);
  if (typeof d === 'string') return enc.encode(d);
  if (d instanceof Uint8Array) return d;
  return null;
}

/**
 * Add one item (or chunk) to what was received. `limit` is the largest object the server takes
 * (its MaxObjSize): a larger announced Size is refused with 416 before any byte is kept, a
 * larger object (whole, or chunks adding up beyond it) with 413 (RepPro 1.2 §10; digest §9).
 */
export function assemble(s: SessionState, key: string, item: Item, cmdSize?: number, limit?: number): Assembled {
  if (s.chunk?.refused !== undefined && s.chunk.key === key) {
    const status = s.chunk.refused;
    if (!item.moreData) s.chunk = null;
    return { kind: 'error', status };
  }
  const refuse = (status: typeof STATUS.TOO_LARGE | typeof STATUS.SIZE_TOO_BIG): Assembled => {
    s.chunk = item.moreData ? { key, size: null, data: '', refused: status } : null;
    return { kind: 'error', status };
  };
  const announced = item.meta?.size ?? cmdSize;
  const starts = !s.chunk || s.chunk.key !== key;
  if (limit !== undefined && starts && announced !== undefined && announced > limit) return refuse(STATUS.SIZE_TOO_BIG);
  if (!item.moreData && starts) {
    if (s.chunk && s.chunk.key !== key) s.chunk = null; // the unfinished object is abandoned
    const whole = bytesOf(item.data);
    if (limit !== undefined && whole && whole.byteLength > limit) return refuse(STATUS.TOO_LARGE);
    return { kind: 'done', data: item.data ?? '' };
  }
  const piece = bytesOf(item.data);
  if (!piece) return { kind: 'error', status: STATUS.BAD_REQUEST };
  if (!s.chunk || s.chunk.key !== key) {
    if (limit !== undefined && piece.byteLength > limit) return refuse(STATUS.TOO_LARGE);
    const size = announced ?? null;
    s.chunk = { key, size, data: Buffer.from(piece).toString('base64') };
    return { kind: 'partial' };
  }
  const all = concatBytes([Buffer.from(s.chunk.data, 'base64'), piece]);
  if (limit !== undefined && all.byteLength > limit) return refuse(STATUS.TOO_LARGE);
  if (item.moreData) {
    s.chunk.data = Buffer.from(all).toString('base64');
    return { kind: 'partial' };
  }
  const size = s.chunk.size;
  s.chunk = null;
  if (size !== null && all.byteLength !== size) return { kind: 'error', status: STATUS.SIZE_MISMATCH };
  return { kind: 'done', data: all };
}

/** DevInf from item data: an embedded tree, a WBXML document, or XML text. */
export function devinfOf(data: ItemData): DevInf {
  if (isElement(data as never)) return parseDevInf(data as never);
  if (data instanceof Uint8Array && data.length > 0 && (data[0] as number) <= 3)
    return parseDevInf(decodeWbxml(data).root);
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array);
  return parseDevInf(parseSyncmlXml(text));
}
