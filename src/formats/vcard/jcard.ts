import { convertVcard } from './convert.js';
import { param, prop, type VCard, type VParam, type VProperty } from './model.js';
import { MAX_PARAMETERS_PER_PROPERTY, MAX_PARAMETER_VALUES_PER_PROPERTY, MAX_PROPERTIES_PER_CARD } from './parse.js';
import { escapeText, splitRaw, unescapeText } from './text.js';

/**
 * jCard (RFC 7095) ⇄ vCard 4.0. A jCard is always vCard 4 semantics, so other versions are
 * converted to 4.0 first. Every property carries an explicit value type in jCard; properties
 * of unknown type keep their raw vCard text ("unknown", RFC 7095 §5).
 */

type JcardProperty = [string, Record<string, string | string[]>, string, ...unknown[]];
export type Jcard = ['vcard', JcardProperty[]];

/** Default value type per property (RFC 6350 §6). */
const DEFAULT_TYPE: Record<string, string> = {
  VERSION: 'text',
  FN: 'text',
  N: 'text',
  NICKNAME: 'text',
  PHOTO: 'uri',
  BDAY: 'date-and-or-time',
  ANNIVERSARY: 'date-and-or-time',
  GENDER: 'text',
  ADR: 'text',
  TEL: 'text',
  EMAIL: 'text',
  IMPP: 'uri',
  LANG: 'language-tag',
  TZ: 'text',
  GEO: 'uri',
  TITLE: 'text',
  ROLE: 'text',
  LOGO: 'uri',
  ORG: 'text',
  MEMBER: 'uri',
  RELATED: 'uri',
  CATEGORIES: 'text',
  NOTE: 'text',
  PRODID: 'text',
  REV: 'timestamp',
  SOUND: 'uri',
  UID: 'text',
  CLIENTPIDMAP: 'text',
  URL: 'uri',
  KEY: 'uri',
  FBURL: 'uri',
  CALADRURI: 'uri',
  CALURI: 'uri',
  SOURCE: 'uri',
  KIND: 'text',
  XML: 'text',
};
/** Structured values (`;` components), RFC 7095 §3.3.1.3. */
const STRUCTURED = new Set(['N', 'ADR', 'ORG', 'GENDER', 'CLIENTPIDMAP']);
/** Multi-valued text (`,` separated), RFC 7095 §3.3.1.2. */
const MULTI = new Set(['NICKNAME', 'CATEGORIES']);

function dateToJson(v: string): string {
  // 19900102 → 1990-01-02, --0102 → --01-02, 20200101T120000Z → 2020-01-01T12:00:00Z
  const m = /^(\d{4}|--)(\d{2})?(\d{2})?(?:T(\d{2})(\d{2})?(\d{2})?(Z|[+-]\d{2}(?:\d{2})?)?)?$/.exec(v);
  if (!m) return v;
  const [, y, mo, d, hh, mi, ss, zone] = m;
  let out = y === '--' ? `--${mo ?? ''}${d ? `-${d}` : ''}` : [y, mo, d].filter(Boolean).join('-');
  if (hh)
    out += `T${[hh, mi, ss].filter(Boolean).join(':')}${zone && zone !== 'Z' && zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : (zone ?? '')}`;
  return out;
}

function dateFromJson(v: string): string {
  if (v.startsWith('--')) return `--${v.slice(2).replace(/-/g, '')}`;
  return v.replace(/(\d)-(?=\d)/g, '$1').replace(/(\d):(?=\d)/g, '$1');
}

function valueType(p: VProperty): string {
  const explicit = param(p, 'VALUE')?.values[0]?.toLowerCase();
  if (explicit) return explicit;
  return DEFAULT_TYPE[p.name] ?? 'unknown';
}

function jsonValues(p: VProperty, type: string): unknown[] {
  if (type === 'unknown') return [p.value];
  if (STRUCTURED.has(p.name) && type === 'text') {
    const parts = splitRaw(p.value, ';').map((c) => {
      const vals = splitRaw(c, ',').map(unescapeText);
      return vals.length > 1 ? vals : (vals[0] ?? '');
    });
    return [parts.length === 1 ? parts[0] : parts];
  }
  if (MULTI.has(p.name) && type === 'text') return splitRaw(p.value, ',').map(unescapeText);
  if (type === 'text') return [unescapeText(p.value)];
  if (['date', 'time', 'date-time', 'date-and-or-time', 'timestamp'].includes(type)) return [dateToJson(p.value)];
  if (type === 'integer') return [Number(p.value)];
  if (type === 'float') return [Number(p.value)];
  if (type === 'boolean') return [p.value.toUpperCase() === 'TRUE'];
  return [p.value];
}

/** A vCard (any version; `isV4` when it is 4.0 data already, VERSION line or not) as jCard. */
export function toJcard(card: VCard, isV4 = false): Jcard {
  const v4 = isV4 ? card : convertVcard(card, '4.0');
  const out: JcardProperty[] = [];
  for (const p of v4.properties) {
    const type = valueType(p);
    const params: Record<string, string | string[]> = {};
    if (p.group) params.group = p.group;
    for (const x of p.params) {
      if (x.name === 'VALUE') continue;
      params[x.name.toLowerCase()] = x.values.length === 1 ? (x.values[0] ?? '') : [...x.values];
    }
    out.push([p.name.toLowerCase(), params, type, ...jsonValues(p, type)]);
  }
  return ['vcard', out];
}

function textOut(v: unknown): string {
  return escapeText(String(v ?? ''));
}

function rawValue(name: string, type: string, values: unknown[]): string {
  if (type === 'unknown') return String(values[0] ?? '');
  if (STRUCTURED.has(name) && type === 'text') {
    const first = values[0];
    const comps = Array.isArray(first) ? first : [first];
    return comps.map((c) => (Array.isArray(c) ? c.map(textOut).join(',') : textOut(c))).join(';');
  }
  if (type === 'text') return values.map(textOut).join(',');
  if (['date', 'time', 'date-time', 'date-and-or-time', 'timestamp'].includes(type))
    return values.map((v) => dateFromJson(String(v))).join(',');
  if (type === 'boolean') return values.map((v) => (v ? 'TRUE' : 'FALSE')).join(',');
  return values.map(String).join(',');
}

export class JcardError extends Error {}

/** Parse a jCard document (JSON text or value) into a vCard 4.0 card. */
export function fromJcard(input: string | unknown): VCard {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw new JcardError(`not JSON: ${(err as Error).message}`);
    }
  }
  if (!Array.isArray(json) || json[0] !== 'vcard' || !Array.isArray(json[1]))
    throw new JcardError('a jCard is ["vcard", [properties]]');
  const props: VProperty[] = [];
  if ((json[1] as unknown[]).length > MAX_PROPERTIES_PER_CARD)
    throw new JcardError(`more than ${MAX_PROPERTIES_PER_CARD} properties in one jCard`);
  for (const item of json[1] as unknown[]) {
    if (
      !Array.isArray(item) ||
      item.length < 4 ||
      typeof item[0] !== 'string' ||
      typeof item[2] !== 'string' ||
      item[1] === null ||
      typeof item[1] !== 'object' ||
      Array.isArray(item[1])
    ) {
      throw new JcardError(`malformed jCard property: ${JSON.stringify(item).slice(0, 80)}`);
    }
    const name = item[0].toUpperCase();
    const type = item[2].toLowerCase();
    let group: string | null = null;
    const params: VParam[] = [];
    const entries = Object.entries(item[1] as Record<string, unknown>);
    // The bounds of the vCard content-line parser (parse.ts) hold for jCard too.
    if (entries.length > MAX_PARAMETERS_PER_PROPERTY)
      throw new JcardError(`more than ${MAX_PARAMETERS_PER_PROPERTY} parameters on ${name}`);
    const values = entries.reduce((n, [, v]) => n + (Array.isArray(v) ? v.length : 1), 0);
    if (values > MAX_PARAMETER_VALUES_PER_PROPERTY)
      throw new JcardError(`more than ${MAX_PARAMETER_VALUES_PER_PROPERTY} parameter values on ${name}`);
    for (const [k, v] of entries) {
      if (k === 'group') {
        group = String(v);
        continue;
      }
      params.push({ name: k.toUpperCase(), values: Array.isArray(v) ? v.map(String) : [String(v)] });
    }
    if (type !== 'unknown' && type !== (DEFAULT_TYPE[name] ?? 'unknown'))
      params.push({ name: 'VALUE', values: [type] });
    props.push({ ...prop(name, rawValue(name, type, item.slice(3)), params), group });
  }
  return { properties: props };
}
