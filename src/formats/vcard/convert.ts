import {
  param,
  prop,
  versionOf,
  withoutParam,
  type VCard,
  type VParam,
  type VProperty,
  type VcardVersion,
} from './model.js';
import { escapeText, splitRaw } from './text.js';

/**
 * vCard 3.0 ⇄ 4.0 conversion (RFC 6350 Appendix A), property by property, without dropping
 * anything: what one version cannot express is carried in an X- property or parameter and
 * restored on the way back.
 *
 * Groups: vCard 4 writes a group as KIND:group with MEMBER lines; Apple (macOS/iOS Contacts)
 * writes the same in vCard 3 as X-ADDRESSBOOKSERVER-KIND / X-ADDRESSBOOKSERVER-MEMBER, which
 * DAVx5 also reads and writes in 3.0 mode. Mapping one onto the other lets a group made on either
 * side appear on the other.
 */

/** Property renames from 3.0 to 4.0; the reverse map is used for 4.0 to 3.0. */
const V3_TO_V4: ReadonlyMap<string, string> = new Map([
  ['X-ADDRESSBOOKSERVER-KIND', 'KIND'],
  ['X-ADDRESSBOOKSERVER-MEMBER', 'MEMBER'],
  ['X-ANNIVERSARY', 'ANNIVERSARY'],
  ['X-GENDER', 'GENDER'],
  // vCard 3 properties vCard 4 removed (RFC 6350 Appendix A.2): kept as extensions.
  ['NAME', 'X-NAME'],
  ['MAILER', 'X-MAILER'],
  ['LABEL', 'X-LABEL'],
  ['CLASS', 'X-CLASS'],
  ['SORT-STRING', 'X-SORT-STRING'],
  ['AGENT', 'X-AGENT'],
  ['PROFILE', 'X-PROFILE'],
]);
const V4_TO_V3: ReadonlyMap<string, string> = new Map([...V3_TO_V4].map(([a, b]) => [b, a]));

const BINARY_PROPS = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
/** Apple's year placeholder for a birthday without a year (vCard 3 cannot express `--MMDD`). */
const OMIT_YEAR = '1604';

const MEDIA_PREFIX: Record<string, string> = { PHOTO: 'image', LOGO: 'image', SOUND: 'audio', KEY: 'application' };

function mediaType(propName: string, type: string | undefined): string {
  if (!type)
    return MEDIA_PREFIX[propName] === 'application'
      ? 'application/octet-stream'
      : `${MEDIA_PREFIX[propName] ?? 'application'}/*`;
  if (type.includes('/')) return type.toLowerCase();
  const t = type.toLowerCase();
  if (propName === 'KEY')
    return t === 'pgp' ? 'application/pgp-keys' : t === 'x509' ? 'application/x-x509-ca-cert' : `application/${t}`;
  return `${MEDIA_PREFIX[propName] ?? 'application'}/${t === 'jpg' ? 'jpeg' : t}`;
}

function typeFromMedia(media: string): string {
  const sub = media.split('/')[1] ?? media;
  if (media === 'application/pgp-keys') return 'PGP';
  if (media === 'application/x-x509-ca-cert') return 'X509';
  return sub === '*' ? '' : sub.toUpperCase();
}

function set(params: readonly VParam[], name: string, values: string[]): VParam[] {
  const out = params.filter((p) => p.name !== name);
  if (values.length > 0) out.push({ name, values });
  return out;
}

function renamed(p: VProperty, map: ReadonlyMap<string, string>): VProperty {
  const to = map.get(p.name);
  return to ? { ...p, name: to } : p;
}

/** TYPE=pref (3.0) ⇄ PREF=1 (4.0), RFC 6350 §5.3. */
function prefTo4(params: readonly VParam[]): VParam[] {
  const type = params.find((p) => p.name === 'TYPE');
  if (!type || !type.values.some((v) => v.toLowerCase() === 'pref')) return [...params];
  const rest = type.values.filter((v) => v.toLowerCase() !== 'pref');
  const out = set(params, 'TYPE', rest);
  return params.some((p) => p.name === 'PREF') ? out : [...out, { name: 'PREF', values: ['1'] }];
}

function prefTo3(params: readonly VParam[]): VParam[] {
  const pref = params.find((p) => p.name === 'PREF');
  if (!pref || pref.values[0] !== '1') return [...params];
  const type = params.find((p) => p.name === 'TYPE')?.values ?? [];
  return set(
    params.filter((p) => p.name !== 'PREF'),
    'TYPE',
    [...type, 'pref'],
  );
}

function to4(p: VProperty): VProperty {
  let q = renamed(p, V3_TO_V4);
  q = { ...q, params: prefTo4(q.params) };
  if (BINARY_PROPS.has(q.name)) {
    const enc = param(q, 'ENCODING')?.values[0]?.toLowerCase();
    if (enc === 'b' || enc === 'base64') {
      const media = mediaType(q.name, param(q, 'TYPE')?.values[0]);
      const params = q.params.filter((x) => x.name !== 'ENCODING' && x.name !== 'TYPE' && x.name !== 'VALUE');
      return { ...q, params, value: `data:${media};base64,${q.value.replace(/\s+/g, '')}` };
    }
    if (param(q, 'VALUE')?.values[0]?.toLowerCase() === 'uri') return { ...q, params: withoutParam(q, 'VALUE') };
  }
  if (q.name === 'BDAY' || q.name === 'ANNIVERSARY') {
    const omit = param(q, 'X-APPLE-OMIT-YEAR')?.values[0];
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(q.value.trim());
    if (m) {
      const [, y, mo, d] = m;
      const value = omit !== undefined && omit === y ? `--${mo}${d}` : `${y}${mo}${d}`;
      const params = omit !== undefined && omit === y ? withoutParam(q, 'X-APPLE-OMIT-YEAR') : [...q.params];
      return { ...q, params, value };
    }
  }
  if (q.name === 'GEO') {
    const parts = splitRaw(q.value, ';');
    if (parts.length === 2) return { ...q, value: `geo:${parts[0]},${parts[1]}` };
  }
  if (q.name === 'KIND') return { ...q, value: q.value.toLowerCase() };
  return q;
}

function to3(p: VProperty): VProperty {
  let q = renamed(p, V4_TO_V3);
  q = { ...q, params: prefTo3(q.params) };
  if (BINARY_PROPS.has(q.name)) {
    const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(q.value);
    if (m && m[2]) {
      const type = typeFromMedia(m[1] ?? '');
      const params = [
        ...q.params.filter((x) => x.name !== 'VALUE' && x.name !== 'MEDIATYPE'),
        { name: 'ENCODING', values: ['b'] },
      ];
      if (type) params.push({ name: 'TYPE', values: [type] });
      return { ...q, params, value: m[3] ?? '' };
    }
    if (!param(q, 'VALUE') && /^[a-z][a-z0-9+.-]*:/i.test(q.value))
      return { ...q, params: [...q.params, { name: 'VALUE', values: ['uri'] }] };
  }
  if (q.name === 'TEL' && param(q, 'VALUE')?.values[0]?.toLowerCase() === 'uri' && /^tel:/i.test(q.value)) {
    return { ...q, params: withoutParam(q, 'VALUE'), value: q.value.slice(4) };
  }
  if (q.name === 'BDAY' || q.name === 'X-ANNIVERSARY') {
    const m = /^--(\d{2})-?(\d{2})$/.exec(q.value.trim());
    if (m)
      return {
        ...q,
        params: [...q.params, { name: 'X-APPLE-OMIT-YEAR', values: [OMIT_YEAR] }],
        value: `${OMIT_YEAR}-${m[1]}-${m[2]}`,
      };
  }
  if (q.name === 'GEO') {
    const m = /^geo:([^,;]+),([^,;?]+)/i.exec(q.value);
    if (m) return { ...q, params: withoutParam(q, 'VALUE'), value: `${m[1]};${m[2]}` };
  }
  return q;
}

/** Convert a card to `target`; a card already in that version is returned as it is. */
export function convertVcard(card: VCard, target: VcardVersion): VCard {
  const source = versionOf(card) === '4.0' ? '4.0' : '3.0';
  if (source === target) return card;
  const props: VProperty[] = [];
  for (const p of card.properties) {
    if (p.name === 'VERSION') props.push({ ...p, value: target });
    else props.push(target === '4.0' ? to4(p) : to3(p));
  }
  if (!props.some((p) => p.name === 'VERSION')) props.unshift(prop('VERSION', target));
  if (target === '3.0' && !props.some((p) => p.name === 'N')) {
    // N is required in 3.0 (RFC 2426 §3.1.2); a 4.0 group or organisation may lack it.
    const fn = props.findIndex((p) => p.name === 'FN');
    props.splice(fn >= 0 ? fn + 1 : props.length, 0, prop('N', ';;;;'));
  }
  if (target === '3.0' && !props.some((p) => p.name === 'FN')) props.push(prop('FN', escapeText('')));
  return { properties: props };
}
