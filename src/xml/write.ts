import { isElement, type XmlElement, type XmlNode } from './element.js';
import { NS, PREFIXES, splitClark } from './names.js';

const TEXT_SPECIALS = /[&<>]/g;
const ATTR_SPECIAL = /[&<>"\r\n\t]/;

/**
 * `s` as one flat string. V8 keeps `a + b` as a pair (a cons string) until something reads its
 * characters, and a text written piece by piece is a tree of such pairs. Reading one character
 * makes the string flat in place (one copy, which encoding it would make anyway). A multistatus
 * flattens each piece it hands over: while a long answer waits for its turns (cooperative.ts)
 * every pair would be copied by each young-generation collection until promoted. A text that is
 * kept and written again (a member fragment) is flattened once when kept, not walked as a tree
 * by every answer that copies it (issue #20: a multiget of 100 kept fragments spent a tenth of
 * its time flattening them).
 */
export function flattened(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function escapeText(s: string): string {
  // Most text (hrefs, etags, iCalendar bodies) has nothing to escape: test before replacing
  // (three indexOf scans take half the time of the regular expression's test).
  if (s.indexOf('&') < 0 && s.indexOf('<') < 0 && s.indexOf('>') < 0) return s;
  return s.replace(TEXT_SPECIALS, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  return s.replace(/[&<>"\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Which prefix each namespace is written with. A document either collects every namespace it
 * meets and declares them all on its root (`serializeXml`), or — when the root had to be written
 * before the rest was known (a streamed multistatus) — starts from the fixed prefixes declared
 * on the root and declares any other namespace on the element that first uses it.
 */
class PrefixScope {
  private generated = 0;

  private constructor(
    private readonly map: Map<string, string>,
    /** Collecting: unknown namespaces go on the root. Otherwise they are declared locally. */
    readonly collecting: boolean,
  ) {}

  static collecting(): PrefixScope {
    return new PrefixScope(new Map(), true);
  }

  /** The fixed prefixes (names.ts), all declared on an already written root. */
  static fixed(): PrefixScope {
    return new PrefixScope(new Map(PREFIXES), false);
  }

  lookup(namespace: string): string | undefined {
    return this.map.get(namespace);
  }

  /**
   * Start generated prefixes again from x0. Only for a non-collecting scope between two
   * top-level elements: their local declarations end with them, so each member of a streamed
   * document is written the same whatever came before it, and its text fits any such document.
   */
  restartGenerated(): void {
    if (!this.collecting) this.generated = 0;
  }

  /** A prefix for a namespace not in scope yet; in collecting mode it joins the root's declarations. */
  add(namespace: string): string {
    const p = (this.collecting ? PREFIXES.get(namespace) : undefined) ?? `x${this.generated++}`;
    if (this.collecting) this.map.set(namespace, p);
    return p;
  }

  declarations(): string {
    let out = '';
    for (const [ns, p] of this.map) out += ` xmlns:${p}="${escapeAttr(ns)}"`;
    return out;
  }
}

/** Namespaces declared on one element being written (non-collecting scopes only). */
type LocalDecls = Map<string, string> | null;

/** Qualified names of elements in the fixed namespaces, as every non-collecting scope writes them. */
const FIXED_QNAMES = new Map<string, string>();
const MAX_FIXED_QNAMES = 10_000;

function qname(scope: PrefixScope, local: LocalDecls[], name: string): string {
  if (!scope.collecting) {
    const known = FIXED_QNAMES.get(name);
    if (known !== undefined) return known;
  }
  const { namespace, local: localName } = splitClark(name);
  if (namespace === '') return localName;
  if (namespace === NS.XML) return `xml:${localName}`;
  const fixed = PREFIXES.get(namespace);
  if (fixed !== undefined && !scope.collecting) {
    if (FIXED_QNAMES.size >= MAX_FIXED_QNAMES) FIXED_QNAMES.clear();
    const q = `${fixed}:${localName}`;
    FIXED_QNAMES.set(name, q);
    return q;
  }
  let p = scope.lookup(namespace);
  for (let i = local.length - 1; p === undefined && i >= 0; i--) p = local[i]?.get(namespace);
  if (p === undefined) {
    p = scope.add(namespace);
    if (!scope.collecting) {
      const top = local.length - 1;
      let decls = local[top];
      if (!decls) decls = local[top] = new Map();
      decls.set(namespace, p);
    }
  }
  return `${p}:${localName}`;
}

function writeNode(scope: PrefixScope, local: LocalDecls[], node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeText(node));
    return;
  }
  if (!isElement(node)) {
    out.push(node.raw);
    return;
  }
  local.push(null);
  const tag = qname(scope, local, node.name);
  let attrs = '';
  for (const k in node.attrs) attrs += ` ${qname(scope, local, k)}="${escapeAttr(node.attrs[k] ?? '')}"`;
  const decls = local[local.length - 1];
  if (decls) for (const [ns, p] of decls) attrs += ` xmlns:${p}="${escapeAttr(ns)}"`;
  if (node.children.length === 0) out.push(`<${tag}${attrs}/>`);
  else {
    out.push(`<${tag}${attrs}>`);
    for (const c of node.children) writeNode(scope, local, c, out);
    out.push(`</${tag}>`);
  }
  local.pop();
}

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/**
 * Serialise an element with every namespace it uses declared on the root element.
 * Elements in no namespace are written unprefixed; since no default namespace is ever
 * declared, they stay in no namespace.
 */
export function serializeXml(root: XmlElement, declaration = true): string {
  const scope = PrefixScope.collecting();
  const body: string[] = [];
  writeNode(scope, [], root, body);
  // The root's start tag is body[0] (or the self-closed element); splice declarations into it.
  const first = body[0] ?? '';
  const close = first.endsWith('/>') ? first.length - 2 : first.length - 1;
  body[0] = first.slice(0, close) + scope.declarations() + first.slice(close);
  return (declaration ? XML_DECLARATION : '') + body.join('');
}

/**
 * Writes a document piece by piece: `open` gives the root's start tag declaring the fixed
 * prefixes, `write` serialises one child at a time (other namespaces are declared where they are
 * used), `close` ends the root. Used to stream large answers without holding them whole.
 */
export class StreamingXmlWriter {
  private readonly scope = PrefixScope.fixed();
  private readonly rootTag: string;

  constructor(root: string) {
    this.rootTag = qname(this.scope, [null], root);
  }

  open(): string {
    return `${XML_DECLARATION}<${this.rootTag}${this.scope.declarations()}>`;
  }

  write(node: XmlNode): string {
    this.scope.restartGenerated();
    return this.piece(node);
  }

  /**
   * A top-level element written in pieces rather than as one tree (a DAV:response assembled as
   * text): `begin` starts it, `piece` writes a node inside it — with the same prefixes `write`
   * would give it there, when every element around it is in a fixed namespace (see `tag`).
   */
  begin(): void {
    this.scope.restartGenerated();
  }

  piece(node: XmlNode): string {
    const out: string[] = [];
    writeNode(this.scope, [], node, out);
    return out.join('');
  }

  /** The qualified name an element in a fixed namespace is written with (`D:response`). */
  tag(name: string): string {
    const q = qname(this.scope, [null], name);
    if (!FIXED_QNAMES.has(name)) throw new Error(`${name} is not in a fixed namespace`);
    return q;
  }

  close(): string {
    return `</${this.rootTag}>`;
  }
}
