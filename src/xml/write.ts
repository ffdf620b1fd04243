import { isElement, type XmlElement, type XmlNode } from './element.js';
import { PREFIXES, splitClark } from './names.js';

export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeAttr(s: string): string {
  return s.replace(/[&<>"\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Collects the namespaces a tree uses, assigning the fixed prefixes or generated ones. */
class PrefixScope {
  private readonly map = new Map<string, string>();
  private generated = 0;

  prefixFor(namespace: string): string {
    let p = this.map.get(namespace);
    if (p === undefined) {
      p = PREFIXES.get(namespace) ?? `x${this.generated++}`;
      this.map.set(namespace, p);
    }
    return p;
  }

  declarations(): string {
    let out = '';
    for (const [ns, p] of this.map) out += ` xmlns:${p}="${escapeAttr(ns)}"`;
    return out;
  }
}

function qname(scope: PrefixScope, name: string, isAttr: boolean): string {
  const { namespace, local } = splitClark(name);
  if (namespace === '') return local;
  if (namespace === 'http://www.w3.org/XML/1998/namespace') return `xml:${local}`;
  if (isAttr && namespace === '') return local;
  return `${scope.prefixFor(namespace)}:${local}`;
}

function writeNode(scope: PrefixScope, node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeText(node));
    return;
  }
  if (!isElement(node)) {
    out.push(node.raw);
    return;
  }
  const tag = qname(scope, node.name, false);
  let attrs = '';
  for (const [k, v] of Object.entries(node.attrs)) attrs += ` ${qname(scope, k, true)}="${escapeAttr(v)}"`;
  if (node.children.length === 0) {
    out.push(`<${tag}${attrs}/>`);
    return;
  }
  out.push(`<${tag}${attrs}>`);
  for (const c of node.children) writeNode(scope, c, out);
  out.push(`</${tag}>`);
}

/**
 * Serialise an element with every namespace it uses declared on the root element.
 * Elements in no namespace are written unprefixed; since no default namespace is ever
 * declared, they stay in no namespace.
 */
export function serializeXml(root: XmlElement, declaration = true): string {
  const scope = new PrefixScope();
  const body: string[] = [];
  writeNode(scope, root, body);
  // The root's start tag is body[0] (or the self-closed element); splice declarations into it.
  const first = body[0] ?? '';
  const close = first.endsWith('/>') ? first.length - 2 : first.length - 1;
  body[0] = first.slice(0, close) + scope.declarations() + first.slice(close);
  return (declaration ? '<?xml version="1.0" encoding="utf-8"?>\n' : '') + body.join('');
}
