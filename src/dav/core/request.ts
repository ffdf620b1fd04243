import type { XmlElement } from '../../xml/element.js';
import { XmlError } from '../../xml/errors.js';
import { parseXml } from '../../xml/parse.js';
import { header, type DavContext } from './context.js';
import { DavError } from './errors.js';

export type Depth = '0' | '1' | 'infinity';

/** The Depth header (RFC 4918 §10.2); anything else is a 400. */
export function depthOf(ctx: DavContext, fallback: Depth): Depth {
  const v = header(ctx, 'depth')?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if (v === '0' || v === '1' || v === 'infinity') return v;
  throw DavError.badRequest(`invalid Depth header: ${v}`);
}

/** Parse the request body as XML; null when the body is empty. Refused XML is a 400 with the reason. */
export async function readXmlBody(ctx: DavContext): Promise<XmlElement | null> {
  return parseXmlBody(ctx, await ctx.readBody(ctx.settings.xml.maxBytes));
}

/** Parse a request body already read (see readXmlBody). */
export function parseXmlBody(ctx: DavContext, body: Buffer): XmlElement | null {
  if (body.length === 0 || body.toString('utf8').trim() === '') return null;
  try {
    return parseXml(body, ctx.settings.xml);
  } catch (err) {
    if (err instanceof XmlError) {
      if (/DOCTYPE/.test(err.message)) throw DavError.condition('doctype-refused', err.message);
      throw DavError.badRequest(err.message);
    }
    throw err;
  }
}

/** Transaction lock keys: the user areas (`/files/alice`) the given paths lie in (a domain rule). */
export { areaKeys } from '../../domain/objects/lock-keys.js';
