import { convertVcard } from './convert.js';
import { toJcard, fromJcard } from './jcard.js';
import { MEDIA_JCARD, MEDIA_VCARD, type VCard, type VProperty } from './model.js';
import { parseVcard } from './parse.js';
import { writeVcard } from './write.js';

/** The forms address data can be returned in (RFC 6352 §5.1.1). */
export type Representation = { readonly kind: 'vcard'; readonly version: '3.0' | '4.0' } | { readonly kind: 'jcard' };

export const VCARD3: Representation = { kind: 'vcard', version: '3.0' };
export const VCARD4: Representation = { kind: 'vcard', version: '4.0' };
export const JCARD: Representation = { kind: 'jcard' };

/** The media types advertised in supported-address-data, in preference order. */
export const SUPPORTED_ADDRESS_DATA: readonly { contentType: string; version: string }[] = [
  { contentType: MEDIA_VCARD, version: '3.0' },
  { contentType: MEDIA_VCARD, version: '4.0' },
  { contentType: MEDIA_JCARD, version: '4.0' },
];

/** The representation a media type and version name (CARDDAV:address-data attributes); null = unsupported. */
export function representationFor(contentType: string, version: string | undefined): Representation | null {
  const mt = contentType.trim().toLowerCase();
  if (mt === MEDIA_JCARD) return version === undefined || version === '4.0' ? JCARD : null;
  if (mt !== MEDIA_VCARD && mt !== 'text/x-vcard') return null;
  if (version === undefined || version === '3.0') return VCARD3;
  return version === '4.0' ? VCARD4 : null;
}

/**
 * HTTP content negotiation (RFC 9110 §12.5.1) over the Accept header. Without a usable
 * preference the answer is vCard 3.0, as for address-data without a version (RFC 6352 §10.4):
 * the version every client reads.
 */
export function negotiate(accept: string | undefined): Representation {
  if (!accept) return VCARD3;
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim());
      const map = new Map(
        params.map((p) => {
          const eq = p.indexOf('=');
          return [
            p.slice(0, eq).trim().toLowerCase(),
            p
              .slice(eq + 1)
              .trim()
              .replace(/^"|"$/g, ''),
          ] as const;
        }),
      );
      const q = map.has('q') ? Number(map.get('q')) : 1;
      return { type: type.toLowerCase(), version: map.get('version'), q: Number.isNaN(q) ? 0 : q, i };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.type === MEDIA_JCARD) return JCARD;
    if (r.type === MEDIA_VCARD || r.type === 'text/x-vcard') {
      const rep = representationFor(MEDIA_VCARD, r.version);
      if (rep) return rep;
    }
    if (r.type === '*/*' || r.type === 'text/*') return VCARD3;
  }
  return VCARD3;
}

export function contentTypeOf(rep: Representation): string {
  return rep.kind === 'jcard'
    ? `${MEDIA_JCARD}; charset=utf-8`
    : `${MEDIA_VCARD}; charset=utf-8; version=${rep.version}`;
}

/** Which vCard properties to return (RFC 6352 §10.4.2); null = all. */
export interface PropSelector {
  /** Upper-case name, optionally `GROUP.NAME`. */
  readonly name: string;
  readonly novalue: boolean;
}

function selectorMatches(sel: PropSelector, p: VProperty): boolean {
  const dot = sel.name.lastIndexOf('.');
  if (dot < 0) return sel.name === p.name;
  return sel.name.slice(dot + 1) === p.name && p.group !== null && p.group.toUpperCase() === sel.name.slice(0, dot);
}

export function parseStored(text: string, contentType: string | null): VCard {
  const json = (contentType ?? '').toLowerCase().includes('json') || text.trimStart().startsWith('[');
  return json ? fromJcard(text) : parseVcard(text);
}

function storedRepresentation(text: string, contentType: string | null, card: VCard): Representation {
  const json = (contentType ?? '').toLowerCase().includes('json') || text.trimStart().startsWith('[');
  if (json) return JCARD;
  return card.properties.find((p) => p.name === 'VERSION')?.value.trim() === '4.0' ? VCARD4 : VCARD3;
}

function same(a: Representation, b: Representation): boolean {
  return a.kind === b.kind && (a.kind === 'jcard' || (b.kind === 'vcard' && a.version === b.version));
}

/**
 * Stored address data in the representation asked for, with only the selected properties.
 * Data already in that form and wanted whole is returned exactly as stored.
 */
/**
 * The VERSION of stored vCard text without parsing it: the one unfolded `VERSION:` line (names
 * are case-insensitive; a continuation line starts with white space, so it cannot match).
 * Null when it is not plain vCard text with exactly one such line.
 */
function versionLine(text: string, contentType: string | null): string | null {
  if ((contentType ?? '').toLowerCase().includes('json') || text.trimStart().startsWith('[')) return null;
  const found = [...text.matchAll(/(?:^|\n)VERSION:([^\r\n]*)/gi)];
  return found.length === 1 ? (found[0]?.[1] ?? '').trim() : null;
}

export function representCard(
  text: string,
  storedType: string | null,
  rep: Representation,
  select: readonly PropSelector[] | null = null,
): string {
  // The common case — the whole card, in the version it was stored in — needs no parse.
  if (select === null && rep.kind === 'vcard' && versionLine(text, storedType) === rep.version) return text;
  const card = parseStored(text, storedType);
  if (select === null && same(storedRepresentation(text, storedType, card), rep)) return text;
  let out = rep.kind === 'jcard' ? convertVcard(card, '4.0') : convertVcard(card, rep.version);
  let novalue: Set<VProperty> | undefined;
  if (select !== null) {
    const kept = out.properties.filter((p) => select.some((s) => selectorMatches(s, p)));
    novalue = new Set(kept.filter((p) => select.some((s) => s.novalue && selectorMatches(s, p))));
    out = { properties: kept };
  }
  if (rep.kind === 'jcard') {
    const json = toJcard(out, true);
    if (novalue)
      for (const row of json[1])
        if ([...novalue].some((p) => p.name.toLowerCase() === row[0])) row.splice(3, row.length - 3, '');
    return JSON.stringify(json);
  }
  return writeVcard(out, novalue ? { novalue } : {});
}
