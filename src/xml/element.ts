import type { ClarkName } from './names.js';

/** A parsed or to-be-written XML element. Attribute keys are Clark names too. */
export interface XmlElement {
  readonly name: ClarkName;
  readonly attrs: Readonly<Record<ClarkName, string>>;
  readonly children: readonly XmlNode[];
}

/** Pre-serialised, self-contained XML (e.g. a stored dead property), written verbatim. */
interface XmlRaw {
  readonly raw: string;
}

export type XmlNode = XmlElement | XmlRaw | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node === 'object' && 'name' in node;
}

/** Build an element: `el(dav('href'), {}, '/x')`. */
export function el(
  name: ClarkName,
  attrs: Record<ClarkName, string> = {},
  ...children: (XmlNode | null | undefined | false)[]
): XmlElement {
  return { name, attrs, children: children.filter((c): c is XmlNode => c !== null && c !== undefined && c !== false) };
}

export function elements(parent: XmlElement, name?: ClarkName): XmlElement[] {
  return parent.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function firstChild(parent: XmlElement, name: ClarkName): XmlElement | undefined {
  return elements(parent, name)[0];
}

/** Concatenated text content of an element and its descendants. */
export function textOf(node: XmlElement): string {
  let out = '';
  for (const c of node.children) {
    if (typeof c === 'string') out += c;
    else if (isElement(c)) out += textOf(c);
  }
  return out;
}
