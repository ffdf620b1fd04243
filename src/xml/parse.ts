import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlElement, XmlNode } from './element.js';
import { XmlError } from './errors.js';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.js';
import { clark } from './names.js';

interface Building {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse an XML document into Clark-named elements.
 * Safe by construction: a DOCTYPE (and with it every DTD and entity declaration) is refused,
 * so no entity is ever expanded; depth, element count and size are bounded; bytes must be UTF-8.
 */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if (input.byteLength > limits.maxBytes) throw new XmlError(`XML body exceeds ${limits.maxBytes} bytes`);
    try {
      text = utf8.decode(input);
    } catch {
      throw new XmlError('XML body is not valid UTF-8');
    }
  }
  if (text.length > limits.maxBytes) throw new XmlError(`XML body exceeds ${limits.maxBytes} bytes`);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Building[] = [];
  let root: Building | undefined;
  let count = 0;
  let failure: XmlError | undefined;
  const fail = (message: string): never => {
    throw new XmlError(message);
  };

  parser.on('error', (err: Error) => {
    failure ??= new XmlError(`malformed XML: ${err.message.replace(/^.*?:\d+:\d+: /, '')}`);
    throw failure;
  });
  parser.on('doctype', () => fail('DOCTYPE declarations are not accepted'));
  parser.on('opentag', (tag: SaxesTagNS) => {
    count += 1;
    if (count > limits.maxElements) fail(`XML has more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) fail(`XML nesting deeper than ${limits.maxDepth}`);
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[clark(a.uri ?? '', a.local)] = a.value;
    }
    const node: Building = { name: clark(tag.uri ?? '', tag.local), attrs, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(`malformed XML: ${(err as Error).message}`);
  }
  if (!root) throw new XmlError('XML document has no root element');
  return root;
}
