/**
 * Deterministic mutators for the request fuzzer. Every choice comes from a seeded PRNG, so a
 * failure is reproduced from (seed, case number) alone. The operators aim at what broke parsers
 * and expanders before: repeated lines and parameters, nesting, extreme numbers, impossible
 * recurrence rules, splices of two samples, namespace floods and WBXML tokens with hostile
 * lengths. Output is capped at `MAX_CASE_BYTES` so one case stays cheap to send.
 */
import { encodeMbUint32 } from '../../src/formats/wbxml/codec.js';

const MAX_CASE_BYTES = 256 * 1024;

/** mulberry32: small, fast, good enough to drive mutations reproducibly. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)] as T;
  }
  /** Mostly small counts, sometimes large ones (1..max, log-uniform). */
  count(max: number): number {
    return Math.max(1, Math.floor(Math.exp(this.next() * Math.log(max))));
  }
}

const EXTREME_NUMBERS = [
  '0',
  '-1',
  '1',
  '2147483647',
  '-2147483648',
  '4294967296',
  '99999999999999999999',
  '1e308',
  'NaN',
  '00',
  '366',
  '-366',
  '53',
  '-53',
  '60',
  '9999',
];
const NASTY_TEXT = [
  '',
  '\u0000',
  '\u0001',
  '\t',
  '\\',
  '\\\\;',
  ';;;',
  ',,,',
  ':',
  '"',
  "'",
  '%E0%A4%A',
  '\uD800',
  '\uFFFF',
  '💥',
  '&amp;',
  '&#0;',
  ']]>',
  '<',
  '>',
  'A'.repeat(5000),
];

function capped(s: string): string {
  return s.length > MAX_CASE_BYTES ? s.slice(0, MAX_CASE_BYTES) : s;
}

/** Line-oriented formats (iCalendar, vCard) share one mutator with a format dictionary. */
export function mutateLines(rng: Rng, input: string, dictionary: readonly string[], others: readonly string[]): string {
  const eol = input.includes('\r\n') ? '\r\n' : '\n';
  let lines = input.split(/\r?\n/);
  const rounds = rng.count(4);
  for (let r = 0; r < rounds; r++) {
    const i = rng.int(Math.max(1, lines.length));
    switch (rng.int(11)) {
      case 0: {
        // repeat one line many times
        const n = rng.count(5000);
        lines.splice(i, 0, ...Array<string>(n).fill(lines[i] ?? ''));
        break;
      }
      case 1:
        lines.splice(i, 1);
        break;
      case 2:
        lines.splice(i, 0, rng.pick(dictionary));
        break;
      case 3: {
        // replace a number in a line
        const line = lines[i] ?? '';
        lines[i] = line.replace(/-?\d+/, () => rng.pick(EXTREME_NUMBERS));
        break;
      }
      case 4: {
        // flood a property with parameters
        const line = lines[i] ?? '';
        const colon = line.indexOf(':');
        if (colon > 0) lines[i] = line.slice(0, colon) + ';X-P=v'.repeat(rng.count(20_000)) + line.slice(colon);
        break;
      }
      case 5: {
        // nest a component deeply
        const n = rng.count(12_000);
        lines.splice(i, 0, ...Array<string>(n).fill('BEGIN:VEVENT'), ...Array<string>(n).fill('END:VEVENT'));
        break;
      }
      case 6: {
        // splice with another sample
        const other = rng.pick(others).split(/\r?\n/);
        lines = [...lines.slice(0, i), ...other.slice(rng.int(Math.max(1, other.length)))];
        break;
      }
      case 7: {
        // swap two lines
        const j = rng.int(Math.max(1, lines.length));
        const a = lines[i] ?? '';
        lines[i] = lines[j] ?? '';
        lines[j] = a;
        break;
      }
      case 8: {
        // nasty text into a value
        const line = lines[i] ?? '';
        const colon = line.indexOf(':');
        lines[i] = colon >= 0 ? line.slice(0, colon + 1) + rng.pick(NASTY_TEXT) : line + rng.pick(NASTY_TEXT);
        break;
      }
      case 9: {
        // fold a line at a random place, sometimes badly
        const line = lines[i] ?? '';
        const at = rng.int(line.length + 1);
        lines[i] = `${line.slice(0, at)}${eol}${rng.pick([' ', '\t', ''])}${line.slice(at)}`;
        break;
      }
      default:
        return capped(mutateBytes(rng, lines.join(eol)));
    }
  }
  return capped(lines.join(eol));
}

/** Byte-level damage for any text: flips, inserts, deletions, duplicated ranges. */
export function mutateBytes(rng: Rng, input: string): string {
  const chars = [...input];
  const rounds = rng.count(8);
  for (let r = 0; r < rounds; r++) {
    const i = rng.int(chars.length + 1);
    switch (rng.int(4)) {
      case 0:
        chars[i] = String.fromCharCode(rng.int(256));
        break;
      case 1:
        chars.splice(i, 0, String.fromCharCode(rng.int(0x3000)));
        break;
      case 2:
        chars.splice(i, rng.count(64));
        break;
      default: {
        const len = rng.count(200);
        const copy = chars.slice(i, i + len);
        const times = rng.count(200);
        for (let t = 0; t < times; t++) chars.splice(i, 0, ...copy);
      }
    }
  }
  return capped(chars.join(''));
}

/** XML bodies: element floods, deep nesting, namespace floods, DOCTYPEs, broken structure. */
export function mutateXml(rng: Rng, input: string, dictionary: readonly string[]): string {
  let s = input;
  const rounds = rng.count(4);
  for (let r = 0; r < rounds; r++) {
    const tags = [...s.matchAll(/<([A-Za-z][\w.-]*:)?[A-Za-z][\w.-]*[^<>]*?\/?>/g)];
    const tag = tags.length > 0 ? rng.pick(tags) : undefined;
    const at = tag?.index ?? rng.int(s.length + 1);
    switch (rng.int(9)) {
      case 0: {
        // repeat an element (self-closing or an opening tag) many times
        const t = tag?.[0] ?? '<x/>';
        s = s.slice(0, at) + t.replace(/\/?>$/, '/>').repeat(rng.count(50_000)) + s.slice(at);
        break;
      }
      case 1: {
        // deep nesting
        const n = rng.count(20_000);
        s = `${s.slice(0, at)}${'<a xmlns="urn:x">'.repeat(n)}${'</a>'.repeat(n)}${s.slice(at)}`;
        break;
      }
      case 2: {
        // namespace declaration flood on one element
        if (!tag) break;
        const n = rng.count(8_000);
        let decl = '';
        for (let k = 0; k < n; k++) decl += ` xmlns:n${k}="urn:n${k}"`;
        s = s.slice(0, at) + tag[0].replace(/^(<[^\s/>]+)/, `$1${decl}`) + s.slice(at + tag[0].length);
        break;
      }
      case 3:
        s = s.slice(0, at) + rng.pick(dictionary) + s.slice(at);
        break;
      case 4:
        s = s.replace(/>([^<]{0,64})</, () => `>${rng.pick([...NASTY_TEXT, ...EXTREME_NUMBERS])}<`);
        break;
      case 5:
        s = s.slice(0, rng.int(s.length + 1));
        break; // truncated
      case 6:
        s = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "${'b'.repeat(rng.count(1000))}">]>${s.replace(/^<\?xml[^>]*>/, '')}`;
        break;
      case 7: {
        // many attributes
        if (!tag) break;
        s =
          s.slice(0, at) +
          tag[0].replace(
            /^(<[^\s/>]+)/,
            `$1${' a="1"'.repeat(rng.count(3))}${Array.from({ length: rng.count(5_000) }, (_, k) => ` z${k}="${k}"`).join('')}`,
          ) +
          s.slice(at + tag[0].length);
        break;
      }
      default:
        s = mutateBytes(rng, s);
    }
  }
  return capped(s);
}

/** WBXML: flipped bytes and hostile global tokens (ENTITY, STR_T, OPAQUE, SWITCH_PAGE, LITERAL). */
export function mutateWbxml(rng: Rng, input: Uint8Array): Uint8Array {
  const out = [...input];
  const mb = (n: number): number[] => [...encodeMbUint32(n)];
  const big = (): number =>
    rng.pick([0, 1, 0x7f, 0x80, 0xffff, 0x10ffff, 0x110000, 0xd800, 0x7fffffff, 0xffffffff, rng.int(1 << 20)]);
  const rounds = rng.count(8);
  for (let r = 0; r < rounds; r++) {
    const i = 4 + rng.int(Math.max(1, out.length - 4));
    switch (rng.int(9)) {
      case 0:
        out[i] = rng.int(256);
        break;
      case 1:
        out.splice(i, 0, 0x02, ...mb(big()));
        break; // ENTITY
      case 2:
        out.splice(i, 0, 0x83, ...mb(big()));
        break; // STR_T
      case 3:
        out.splice(i, 0, 0xc3, ...mb(big()));
        break; // OPAQUE
      case 4:
        out.splice(i, 0, 0x00, rng.int(256));
        break; // SWITCH_PAGE
      case 5:
        out.splice(i, 0, 0x04, ...mb(big()));
        break; // LITERAL
      case 6:
        out.splice(i, rng.count(32));
        break;
      case 7: {
        // a string table reference repeated many times
        const ref = [0x83, ...mb(rng.int(64))];
        const n = rng.count(50_000);
        const flood: number[] = [];
        for (let k = 0; k < n; k++) flood.push(...ref);
        out.splice(i, 0, ...flood);
        break;
      }
      default: {
        // a bigger string table length in the header
        out[3] = rng.pick([0x7f, 0x81, 0xff]);
      }
    }
  }
  return Uint8Array.from(out.slice(0, MAX_CASE_BYTES));
}
