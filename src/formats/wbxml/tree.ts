/**
 * The document tree shared by the XML and WBXML encodings of SyncML: an element is a namespace,
 * a local name and children. Text is a string; OPAQUE data (WBXML, WAP-192 §5.8.4.6) is bytes.
 * SyncML uses no attributes, so the tree has none (xmlns is carried by `ns`).
 */
export interface Element {
  readonly ns: string;
  readonly name: string;
  readonly children: Node[];
}

export type Node = Element | string | Uint8Array;

export function isElement(n: Node | undefined): n is Element {
  return typeof n === 'object' && n !== null && !(n instanceof Uint8Array);
}

export function el(ns: string, name: string, ...children: (Node | null | undefined | false)[]): Element {
  return { ns, name, children: children.filter((c): c is Node => c !== null && c !== undefined && c !== false) };
}

/** Child elements with a local name (any namespace: clients are sloppy about Meta namespaces). */
export function childrenNamed(e: Element, name: string): Element[] {
  return e.children.filter((c): c is Element => isElement(c) && c.name === name);
}

export function child(e: Element | undefined, name: string): Element | undefined {
  if (!e) return undefined;
  for (const c of e.children) if (isElement(c) && c.name === name) return c;
  return undefined;
}

const utf8 = new TextDecoder('utf-8');

/** The text content of an element (strings and opaque bytes decoded as UTF-8), untrimmed. */
export function textOf(e: Element | undefined): string | undefined {
  if (!e) return undefined;
  let s = '';
  for (const c of e.children) {
    if (typeof c === 'string') s += c;
    else if (c instanceof Uint8Array) s += utf8.decode(c);
  }
  return s;
}

export function trimmedText(e: Element | undefined): string | undefined {
  const t = textOf(e);
  return t === undefined ? undefined : t.trim();
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}
