import { header, type DavContext, type DavResponse } from '../core/context.js';
import { etagOf, type DavResource } from '../core/resource.js';
import { contentTypeOf, negotiate, representCard } from '../../formats/vcard/represent.js';

/**
 * GET on an address book: every card in one .vcf (or, for `Accept: application/vcard+json`, a
 * JSON array of jCards), each converted to the negotiated version. Not defined by RFC 6352;
 * the convention of sabre/dav and Radicale that users rely on for backups.
 */
export async function exportAddressbook(ctx: DavContext, r: DavResource): Promise<DavResponse> {
  const rep = negotiate(header(ctx, 'accept'));
  const parts: string[] = [];
  const decoder = new TextDecoder();
  for (const m of r.stored ? await ctx.store.listChildren(r.stored.id) : []) {
    if (m.isCollection) continue;
    const text = decoder.decode(await ctx.store.readBody(m.id));
    try {
      const out = representCard(text, m.contentType, rep);
      parts.push(rep.kind === 'vcard' && !out.endsWith('\n') ? `${out}\r\n` : out);
    } catch {
      // Not a card (left from before validation): not part of the export.
    }
  }
  const name = r.path.slice(r.path.lastIndexOf('/') + 1) || 'contacts';
  const body = rep.kind === 'jcard' ? `[${parts.join(',')}]` : parts.join('');
  return {
    status: 200,
    headers: {
      'Content-Type': contentTypeOf(rep),
      'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${rep.kind === 'jcard' ? 'json' : 'vcf'}"`,
      ETag: etagOf(r) ?? '',
      Vary: 'Accept',
    },
    body,
  };
}
