/**
 * A small, strict XML reader and writer for SyncML messages (SyncML RepPro 1.2 §5: plain
 * namespaced elements, no attributes besides xmlns). `formats` imports nothing of ours, so this
 * does not reuse src/xml. Safety: no entity beyond the five predefined and character
 * references, a DOCTYPE is accepted only without internal subset (old phones send the public
 * one), and size, element count, depth and attributes are bounded (`../wbxml/limits.ts`, the
 * DAV XML layer's limits). Work is linear in the input: an element keeps only the namespaces it
 * declares, and a prefix is looked up through the open elements (at most `maxDepth`).
 */
import { DocumentBudget, DocumentLimitError } from '../wbxml/limits.js';
import type { Element, Node } from '../wbxml/tree.js';

export class SyncmlXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncmlXmlError';
  }
}

const NAME = /[A-Za-z_][\w.\-:]*/y;

/** An open element and the namespace declarations it carries itself (null: none). */
interface Open {
  readonly e: Element;
  readonly decls: ReadonlyMap<string, string> | null;
}

/** The namespace bound to `prefix` ('' = default) by the innermost open element declaring it. */
function lookupNs(stack: readonly Open[], own: ReadonlyMap<string, string> | null, prefix: string): string | undefined {
  const mine = own?.get(prefix);
  if (mine !== undefined) return mine;
  for (let k = stack.length - 1; k >= 0; k--) {
    const v = stack[k]?.decls?.get(prefix);
    if (v !== undefined) return v;
  }
  return undefined;
}

const PREDEFINED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);
/** Longest reference looked for after `&`: `#x` and a code point with some leading zeros. */
const MAX_REFERENCE = 16;

/** The character a reference (between `&` and `;`) stands for, or undefined. */
function referenced(ref: string): string | undefined {
  const named = PREDEFINED.get(ref);
  if (named !== undefined) return named;
  const cp = /^#x[0-9a-fA-F]+$/.test(ref)
    ? parseInt(ref.slice(2), 16)
    : /^#[0-9]+$/.test(ref)
      ? parseInt(ref.slice(1), 10)
      : NaN;
  if (Number.isNaN(cp)) return undefined;
  if (cp > 0x10ffff) throw new SyncmlXmlError(`bad character reference &${ref};`);
  return String.fromCodePoint(cp);
}

/** Replace the predefined entities and character references, in one pass (linear in `s`). */
function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  const parts: string[] = [];
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    const ch = semi > amp && semi - amp <= MAX_REFERENCE ? referenced(s.slice(amp + 1, semi)) : undefined;
    if (ch === undefined) throw new SyncmlXmlError('stray & in XML text');
    parts.push(s.slice(from, amp), ch);
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** Parse an XML document into the SyncML element tree, within `budget`'s limits. */
export function parseSyncmlXml(text: string, budget = new DocumentBudget()): Element {
  const { maxBytes } = budget.limits;
  if (text.length > maxBytes) throw new DocumentLimitError(413, `XML document larger than ${maxBytes} characters`);
  return new XmlReader(text, budget).document();
}

/** One pass over the text: `i` moves forward only, open elements on `stack`. */
class XmlReader {
  private i: number;
  private readonly stack: Open[] = [];
  private root: Element | undefined;

  constructor(
    private readonly text: string,
    private readonly budget: DocumentBudget,
  ) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  document(): Element {
    const { text } = this;
    while (this.i < text.length) {
      const lt = text.indexOf('<', this.i);
      if (lt < 0) {
        this.addText(decodeEntities(text.slice(this.i)));
        break;
      }
      if (lt > this.i) this.addText(decodeEntities(text.slice(this.i, lt)));
      this.i = lt;
      if (text.startsWith('</', lt)) this.closeTag();
      else if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) this.markup();
      else this.openTag();
    }
    if (this.stack.length > 0) throw new SyncmlXmlError(`unclosed <${this.stack[this.stack.length - 1]?.e.name}>`);
    if (!this.root) throw new SyncmlXmlError('no root element');
    return this.root;
  }

  private fail(msg: string): never {
    throw new SyncmlXmlError(`${msg} at offset ${this.i}`);
  }

  private name(): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.text);
    if (!m) return this.fail('name expected');
    this.i += m[0].length;
    return m[0];
  }

  private skipWs(): void {
    // XML white space (XML 1.0 §2.3 S): space, tab, CR, LF.
    const { text } = this;
    for (
      let c = text.charCodeAt(this.i);
      c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
      c = text.charCodeAt(this.i)
    )
      this.i++;
  }

  private addText(s: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (s.trim() !== '') this.fail('text outside the root element');
      return;
    }
    const kids = top.e.children;
    const last = kids[kids.length - 1];
    if (typeof last === 'string') kids[kids.length - 1] = last + s;
    else kids.push(s);
  }

  /** Where `close` next stands from the current position; a failure naming `what` without one. */
  private past(close: string, what: string): number {
    const end = this.text.indexOf(close, this.i);
    if (end < 0) this.fail(`unterminated ${what}`);
    return end;
  }

  /** A processing instruction, comment, CDATA section or DOCTYPE (only without internal subset). */
  private markup(): void {
    const { text, i } = this;
    if (text.startsWith('<?', i)) this.i = this.past('?>', 'processing instruction') + 2;
    else if (text.startsWith('<!--', i)) this.i = this.past('-->', 'comment') + 3;
    else if (text.startsWith('<![CDATA[', i)) {
      const end = this.past(']]>', 'CDATA section');
      if (this.stack.length === 0) this.fail('CDATA outside the root element');
      this.addText(text.slice(i + 9, end));
      this.i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const end = this.past('>', 'DOCTYPE');
      if (text.slice(i, end).includes('[')) this.fail('DOCTYPE with an internal subset is refused');
      this.i = end + 1;
    } else this.openTag();
  }

  private closeTag(): void {
    this.i += 2;
    const n = this.name();
    this.skipWs();
    if (this.text[this.i] !== '>') this.fail('> expected');
    this.i++;
    const top = this.stack.pop();
    if (!top) return this.fail(`unexpected </${n}>`);
    const local = n.includes(':') ? n.slice(n.indexOf(':') + 1) : n;
    if (local !== top.e.name) this.fail(`</${n}> does not close <${top.e.name}>`);
  }

  private attributes(): [string, string][] {
    const { text } = this;
    const attrs: [string, string][] = [];
    for (;;) {
      this.skipWs();
      if (text[this.i] === '>' || text.startsWith('/>', this.i)) return attrs;
      this.budget.attributes(attrs.length + 1);
      const an = this.name();
      this.skipWs();
      if (text[this.i] !== '=') this.fail('= expected');
      this.i++;
      this.skipWs();
      const q = text[this.i];
      if (q !== '"' && q !== "'") return this.fail('quoted attribute value expected');
      const end = text.indexOf(q, this.i + 1);
      if (end < 0) this.fail('unterminated attribute value');
      attrs.push([an, decodeEntities(text.slice(this.i + 1, end))]);
      this.i = end + 1;
    }
  }

  private openTag(): void {
    this.i++;
    this.budget.element(this.stack.length);
    const qname = this.name();
    const attrs = this.attributes();
    const selfClosing = this.text[this.i] === '/';
    this.i += selfClosing ? 2 : 1;
    let decls: Map<string, string> | null = null;
    for (const [an, v] of attrs) {
      if (an === 'xmlns') (decls ??= new Map()).set('', v);
      else if (an.startsWith('xmlns:')) (decls ??= new Map()).set(an.slice(6), v);
    }
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const local = colon < 0 ? qname : qname.slice(colon + 1);
    const ns = lookupNs(this.stack, decls, prefix) ?? (prefix === '' ? '' : this.fail(`undeclared prefix ${prefix}`));
    const e: Element = { ns, name: local, children: [] };
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.e.children.push(e);
    else if (this.root) this.fail('second root element');
    else this.root = e;
    if (!selfClosing) this.stack.push({ e, decls });
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

const utf8 = new TextDecoder('utf-8');

/**
 * Serialise a tree. Item `Data` text goes into CDATA (as
 * SyncEvolution sends it); `\r` elsewhere is written as `&#13;` so that CRLF survives parsers
 * that normalise line ends. Opaque bytes are written as UTF-8 text.
 */
export function writeSyncmlXml(root: Element, options: { declaration?: boolean } = {}): string {
  const parts: string[] = [];
  if (options.declaration !== false) parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  const write = (e: Element, parentNs: string, parentName: string): void => {
    const xmlns = e.ns !== parentNs ? ` xmlns="${e.ns}"` : '';
    if (e.children.length === 0) {
      parts.push(`<${e.name}${xmlns}/>`);
      return;
    }
    parts.push(`<${e.name}${xmlns}>`);
    for (const c of e.children as Node[]) {
      if (typeof c === 'string' || c instanceof Uint8Array) {
        const s = typeof c === 'string' ? c : utf8.decode(c);
        if (e.name === 'Data' && parentName === 'Item' && s.length > 0 && !s.includes(']]>'))
          parts.push(`<![CDATA[${s}]]>`);
        else parts.push(escapeText(s));
      } else write(c, e.ns, e.name);
    }
    parts.push(`</${e.name}>`);
  };
  write(root, '', '');
  return parts.join('');
}
