/**
 * WBXML 1.2/1.3 (WAP-192-WBXML) decoder and encoder over the element tree of `tree.ts`.
 * Only what SyncML needs is produced (no attributes, no string table on output); the decoder
 * accepts string tables, STR_T, ENTITY and skips attributes and PIs. Decoding is bounded by a
 * `DocumentBudget` (limits.ts): elements, depth, and bytes after expansion, string-table
 * references included; malformed input of any kind is a `WbxmlError`, never another exception.
 */
import { DocumentBudget } from './limits.js';
import { LANGUAGES, type WbxmlLanguage } from './tables.js';
import { concatBytes, type Element, type Node } from './tree.js';

export class WbxmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WbxmlError';
  }
}

// Global tokens (WAP-192 §7.1).
const SWITCH_PAGE = 0x00;
const END = 0x01;
const ENTITY = 0x02;
const STR_I = 0x03;
const LITERAL = 0x04;
const PI = 0x43;
const STR_T = 0x83;
const OPAQUE = 0xc3;
const EXT_I = [0x40, 0x41, 0x42];
const EXT_T = [0x80, 0x81, 0x82];
const EXT = [0xc0, 0xc1, 0xc2];
/** Largest Unicode scalar value (an ENTITY names a character, WAP-192 §5.8.4.3). */
const MAX_CODE_POINT = 0x10ffff;

/** mb_u_int32 (WAP-192 §5.1): 7 bits per byte, most significant first, high bit = more. */
export function encodeMbUint32(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new WbxmlError(`mb_u_int32 out of range: ${n}`);
  const out = [n & 0x7f];
  let v = Math.floor(n / 128);
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new WbxmlError('unexpected end of WBXML data');
    return this.b[this.pos++] as number;
  }
  peek(): number | undefined {
    return this.b[this.pos];
  }
  /** mb_u_int32 (WAP-192 §5.1): at most 5 bytes and at most 32 bits. */
  mbUint32(): number {
    let v = 0;
    for (let i = 0; i < 5; i++) {
      const c = this.byte();
      v = v * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) {
        if (v > 0xffffffff) throw new WbxmlError(`mb_u_int32 larger than 32 bits: ${v}`);
        return v;
      }
    }
    throw new WbxmlError('mb_u_int32 longer than 5 bytes');
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.b.length) throw new WbxmlError('OPAQUE/string table runs past the end');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  cstring(): Uint8Array {
    const start = this.pos;
    while (this.pos < this.b.length && this.b[this.pos] !== 0) this.pos++;
    if (this.pos >= this.b.length) throw new WbxmlError('unterminated inline string');
    const out = this.b.subarray(start, this.pos);
    this.pos++;
    return out;
  }
}

export interface WbxmlDocument {
  readonly version: number;
  readonly language: WbxmlLanguage;
  readonly charset: number;
  readonly root: Element;
}

const utf8 = new TextDecoder('utf-8');

/** The string table (WAP-192 §5.7): a reference is the offset of a NUL-terminated string. */
class StringTable {
  /** Offset → end of its string, so that repeated references do not scan again. */
  private readonly ends = new Map<number, number>();
  constructor(readonly bytes: Uint8Array) {}

  at(offset: number): Uint8Array {
    if (offset >= this.bytes.length) throw new WbxmlError(`string table offset ${offset} out of range`);
    let end = this.ends.get(offset);
    if (end === undefined) {
      end = this.bytes.indexOf(0, offset);
      if (end < 0) end = this.bytes.length;
      this.ends.set(offset, end);
    }
    return this.bytes.subarray(offset, end);
  }
}

/** The UTF-8 bytes of the character an ENTITY names; a value that is not one is malformed. */
function entityBytes(cp: number): Uint8Array {
  if (cp > MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff))
    throw new WbxmlError(`ENTITY ${cp} is not a Unicode character`);
  return new TextEncoder().encode(String.fromCodePoint(cp));
}

/**
 * Decode a WBXML document; the language is picked by its public identifier. `budget` bounds the
 * work (elements, depth, bytes after expansion) and may be shared with nested documents.
 */
export function decodeWbxml(
  bytes: Uint8Array,
  languages: readonly WbxmlLanguage[] = LANGUAGES,
  budget = new DocumentBudget(),
): WbxmlDocument {
  const r = new Reader(bytes);
  const { version, language, charset, strtbl } = readHeader(r, languages);
  // §5.6: strings are in the document's charset; ISO-8859-1 (MIBenum 4) is not UTF-8.
  const text = charset === 4 ? new TextDecoder('iso-8859-1') : utf8;
  const root = new BodyDecoder(r, language, strtbl, budget, text).document();
  return { version, language, charset, root };
}

/** The header (WAP-192 §5.4–5.7): version, public identifier, charset, string table. */
function readHeader(
  r: Reader,
  languages: readonly WbxmlLanguage[],
): { version: number; language: WbxmlLanguage; charset: number; strtbl: StringTable } {
  const version = r.byte();
  if (version > 0x03) throw new WbxmlError(`unsupported WBXML version 0x${version.toString(16)}`);
  const publicId = r.mbUint32();
  let publicIndex = -1;
  if (publicId === 0) publicIndex = r.mbUint32();
  const charset = r.mbUint32();
  if (charset !== 106 && charset !== 0 && charset !== 3 && charset !== 4) {
    throw new WbxmlError(`unsupported charset MIBenum ${charset} (UTF-8 expected)`);
  }
  const strtbl = new StringTable(r.bytes(r.mbUint32()));
  const publicName = publicIndex >= 0 ? utf8.decode(strtbl.at(publicIndex)) : null;
  const language =
    publicName !== null
      ? languages.find((l) => l.publicIdString === publicName)
      : languages.find((l) => l.publicId === publicId);
  if (!language) throw new WbxmlError(`unknown WBXML public identifier ${publicName ?? `0x${publicId.toString(16)}`}`);
  return { version, language, charset, strtbl };
}

/** The body (WAP-192 §5.8): elements on the current code page, their text, opaque data and children. */
class BodyDecoder {
  private page = 0;

  constructor(
    private readonly r: Reader,
    private readonly lang: WbxmlLanguage,
    private readonly strtbl: StringTable,
    private readonly budget: DocumentBudget,
    private readonly text: { decode(b: Uint8Array): string },
  ) {}

  document(): Element {
    const { r } = this;
    while (r.peek() === SWITCH_PAGE || r.peek() === PI) {
      if (r.byte() === SWITCH_PAGE) this.page = r.byte();
      else this.skipAttributes();
    }
    return this.element(r.byte(), 0);
  }

  private tagName(token: number): { ns: string; name: string } {
    const p = this.lang.pages.get(this.page);
    const name = p?.tags[token & 0x3f];
    if (!p || !name) throw new WbxmlError(`unknown tag 0x${(token & 0x3f).toString(16)} on code page ${this.page}`);
    return { ns: p.ns, name };
  }

  private skipAttributes(): void {
    const { r } = this;
    for (;;) {
      const t = r.byte();
      if (t === END) return;
      if (t === SWITCH_PAGE) r.byte();
      else if (t === STR_I) r.cstring();
      else if (t === STR_T || EXT_T.includes(t) || t === ENTITY) r.mbUint32();
      else if (t === LITERAL) r.mbUint32();
      else if (t === OPAQUE) r.bytes(r.mbUint32());
      else if (EXT_I.includes(t)) r.cstring();
    }
  }

  private element(token: number, depth: number): Element {
    this.budget.element(depth);
    const { ns, name } = this.tagName(token);
    if (token & 0x80) this.skipAttributes();
    const children: Node[] = [];
    if ((token & 0x40) !== 0) this.content(children, depth);
    return { ns, name, children };
  }

  /** An element's content up to its END: adjacent text runs become one string. */
  private content(children: Node[], depth: number): void {
    const { r, budget } = this;
    let text: Uint8Array[] = [];
    const addText = (b: Uint8Array): void => {
      budget.output(b.byteLength);
      text.push(b);
    };
    const flush = (): void => {
      if (text.length > 0) children.push(this.text.decode(concatBytes(text)));
      text = [];
    };
    for (;;) {
      const t = r.byte();
      if (t === END) break;
      if (t === SWITCH_PAGE) this.page = r.byte();
      else if (t === STR_I) addText(r.cstring());
      else if (t === STR_T) {
        // Charged before anything is copied: the references' total output is what is bounded.
        const s = this.strtbl.at(r.mbUint32());
        budget.tableOutput(s.byteLength);
        text.push(s);
      } else if (t === ENTITY) addText(entityBytes(r.mbUint32()));
      else if (t === OPAQUE) {
        flush();
        const data = r.bytes(r.mbUint32());
        budget.output(data.byteLength);
        children.push(data.slice());
      } else if (t === PI) this.skipAttributes();
      else if (t === LITERAL || (t & 0x3f) === LITERAL) throw new WbxmlError('LITERAL tags are not supported');
      else if (EXT_I.includes(t)) r.cstring();
      else if (EXT_T.includes(t)) r.mbUint32();
      else if (EXT.includes(t)) {
        /* no value */
      } else {
        flush();
        children.push(this.element(t, depth + 1));
      }
    }
    flush();
  }
}

/** Encode a tree as WBXML 1.2 with UTF-8 and an empty string table. */
export function encodeWbxml(root: Element, language: WbxmlLanguage, version = 0x02): Uint8Array {
  const out: number[] = [];
  const chunks: Uint8Array[] = [];
  const flushOut = (): void => {
    if (out.length > 0) chunks.push(Uint8Array.from(out));
    out.length = 0;
  };
  const push = (b: Uint8Array): void => {
    flushOut();
    chunks.push(b);
  };
  out.push(version, ...encodeMbUint32(language.publicId), 106, 0);
  const index = new Map<string, { page: number; token: number }>();
  for (const [page, p] of language.pages) {
    p.tags.forEach((name, token) => {
      if (name) index.set(`${p.ns}\u0000${name}`, { page, token });
    });
  }
  let page = 0;
  const enc = new TextEncoder();

  function write(e: Element): void {
    const t = index.get(`${e.ns}\u0000${e.name}`);
    if (!t) throw new WbxmlError(`no WBXML token for ${e.name} in ${e.ns}`);
    if (t.page !== page) {
      out.push(SWITCH_PAGE, t.page);
      page = t.page;
    }
    if (e.children.length === 0) {
      out.push(t.token);
      return;
    }
    out.push(t.token | 0x40);
    for (const c of e.children) {
      if (typeof c === 'string') {
        if (c.includes('\u0000')) {
          const b = enc.encode(c);
          out.push(OPAQUE, ...encodeMbUint32(b.byteLength));
          push(b);
        } else {
          out.push(STR_I);
          push(enc.encode(c));
          out.push(0);
        }
      } else if (c instanceof Uint8Array) {
        out.push(OPAQUE, ...encodeMbUint32(c.byteLength));
        push(c);
      } else write(c);
    }
    out.push(END);
  }
  write(root);
  flushOut();
  return concatBytes(chunks);
}
