/**
 * A reader for the dead-property XML the store keeps (`DeadProperty.xml`): one self-contained
 * element, as src/xml/write.ts serialises it (namespaces declared with prefixes, attributes and
 * text escaped, no DOCTYPE). `domain` may not import src/xml, so the few collection settings
 * every writer needs (RFC 4791 §5.2) are read with this. Anything it does not understand
 * (a DOCTYPE, an unknown entity, unbalanced tags) is an error, never a guess.
 */

export interface PropElement {
  /** Clark name `{ns}local`. */
  readonly name: string;
  /** Attributes by Clark name (`{}name` for unprefixed ones). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly (PropElement | string)[];
}

export class PropertyXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyXmlError';
  }
}

const MAX_DEPTH = 64;
const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!([^>]*)>|<(\/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/gy;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new PropertyXmlError('stray & in property XML');
    if (ref === 'amp') return '&';
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    const cp = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!Number.isFinite(cp) || cp > 0x10ffff) throw new PropertyXmlError(`bad character reference ${m}`);
    return String.fromCodePoint(cp);
  });
}

const eol = (s: string): string => s.replace(/\r\n?/g, '\n');

interface Open {
  readonly qname: string;
  readonly rawAttrs: [string, string][];
  readonly scope: Map<string, string>;
  readonly children: (PropElement | string)[];
}

function resolveName(qname: string, scope: Map<string, string>, isAttr: boolean): string {
  const colon = qname.indexOf(':');
  if (colon < 0) return isAttr ? `{}${qname}` : `{${scope.get('') ?? ''}}${qname}`;
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (prefix === 'xml') return `{http://www.w3.org/XML/1998/namespace}${local}`;
  const ns = scope.get(prefix);
  if (ns === undefined) throw new PropertyXmlError(`undeclared prefix ${prefix}`);
  return `{${ns}}${local}`;
}

/** Parse one stored property element. */
export function parsePropertyXml(text: string): PropElement {
  const stack: Open[] = [];
  let root: PropElement | undefined;
  TOKEN.lastIndex = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let m: RegExpExecArray | null;
  const top = (): Open | undefined => stack[stack.length - 1];
  const close = (o: Open): PropElement => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of o.rawAttrs) if (k !== 'xmlns' && !k.startsWith('xmlns:')) attrs[resolveName(k, o.scope, true)] = v;
    return { name: resolveName(o.qname, o.scope, false), attrs, children: o.children };
  };
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) {
    const [whole, cdata, decl, slash, qname, attrText, selfClose, chars, stray] = m;
    if (stray !== undefined) throw new PropertyXmlError('malformed markup in property XML');
    if (decl !== undefined) throw new PropertyXmlError('DOCTYPE and declarations are not accepted');
    if (whole.startsWith('<?') || whole.startsWith('<!--')) continue;
    if (cdata !== undefined || chars !== undefined) {
      // XML 1.0 §2.11: line ends read as \n before anything else (as src/xml's parser does).
      const s = cdata !== undefined ? eol(cdata) : decode(eol(chars ?? ''));
      const t = top();
      if (t) t.children.push(s);
      else if (s.trim() !== '') throw new PropertyXmlError('text outside the element');
      continue;
    }
    if (qname === undefined) continue;
    if (slash === '/') {
      const o = stack.pop();
      if (!o || o.qname !== qname) throw new PropertyXmlError(`unbalanced </${qname}>`);
      const done = close(o);
      const parent = top();
      if (parent) parent.children.push(done);
      else root = done;
      continue;
    }
    if (root) throw new PropertyXmlError('more than one root element');
    if (stack.length >= MAX_DEPTH) throw new PropertyXmlError('property XML nested too deep');
    const rawAttrs: [string, string][] = [];
    const scope = new Map(top()?.scope ?? []);
    for (const a of (attrText ?? '').matchAll(ATTR)) {
      const k = a[1] as string;
      // XML 1.0 §3.3.3: literal whitespace in an attribute value reads as a space.
      const v = decode(eol(a[2] ?? a[3] ?? '').replace(/[\t\n]/g, ' '));
      rawAttrs.push([k, v]);
      if (k === 'xmlns') scope.set('', v);
      else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
    }
    const o: Open = { qname, rawAttrs, scope, children: [] };
    if (selfClose === '/') {
      const done = close(o);
      const parent = top();
      if (parent) parent.children.push(done);
      else root = done;
    } else stack.push(o);
  }
  if (stack.length > 0 || !root) throw new PropertyXmlError('incomplete property XML');
  return root;
}

export const childElements = (e: PropElement, name?: string): PropElement[] =>
  e.children.filter((c): c is PropElement => typeof c !== 'string' && (name === undefined || c.name === name));

/** All text below an element, in document order. */
export function propertyText(e: PropElement): string {
  return e.children.map((c) => (typeof c === 'string' ? c : propertyText(c))).join('');
}
