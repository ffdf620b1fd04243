import { el, isElement, type XmlElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { escapeText, flattened, serializeXml, StreamingXmlWriter } from '../../xml/write.js';
import type { DavResponse } from './context.js';
import { sliceDueAfter, yieldIfDue } from '../../domain/cooperative.js';

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  423: 'Locked',
  424: 'Failed Dependency',
  507: 'Insufficient Storage',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

const STATUS_LINES = new Map<number, string>();

function statusLine(status: number): string {
  let line = STATUS_LINES.get(status);
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd();
    STATUS_LINES.set(status, line);
  }
  return line;
}

/** A propstat: properties grouped under one status. */
export function propstat(status: number, props: readonly XmlNode[], error?: XmlElement): XmlElement {
  return el(
    dav('propstat'),
    {},
    el(dav('prop'), {}, ...props),
    el(dav('status'), {}, statusLine(status)),
    error ? el(dav('error'), {}, error) : null,
  );
}

export function responseWithPropstats(href: string, propstats: readonly XmlElement[]): XmlElement {
  return el(dav('response'), {}, el(dav('href'), {}, href), ...propstats);
}

/** Properties under one status, not yet made into a DAV:propstat. */
export interface PropGroup {
  readonly status: number;
  readonly props: readonly XmlNode[];
}

/** Writes DAV:response text; a fixed-prefix writer keeps no state between two responses. */
const RESPONSE_WRITER = new StreamingXmlWriter(dav('multistatus'));
const T = {
  response: RESPONSE_WRITER.tag(dav('response')),
  href: RESPONSE_WRITER.tag(dav('href')),
  propstat: RESPONSE_WRITER.tag(dav('propstat')),
  prop: RESPONSE_WRITER.tag(dav('prop')),
  status: RESPONSE_WRITER.tag(dav('status')),
};

/**
 * The text of `responseWithPropstats(href, groups as propstats)` written directly, without a
 * tree for the response and its propstats: the same bytes (the values are written as the tree
 * writer writes them, in the same order, so namespaces declared on them get the same prefixes).
 */
export function responseText(href: string, groups: readonly PropGroup[]): XmlNode {
  RESPONSE_WRITER.begin();
  return responseOfText(
    href,
    groups.map((g) => {
      let text = '';
      for (const p of g.props) text += RESPONSE_WRITER.piece(p);
      return { status: g.status, text };
    }),
  );
}

/**
 * A DAV:response from its propstats' properties already written as text ('' = none), each
 * group under its status. Every element of the text must be in a fixed namespace or declare
 * its own (StreamingXmlWriter `piece`), so it reads the same in any multistatus.
 */
function responseOfText(href: string, groups: readonly { status: number; text: string }[]): XmlNode {
  let s = responseHead(href);
  for (const g of groups) s += propstatText(g.status, g.text);
  return { raw: s + RESPONSE_END };
}

/**
 * A property's element as text in a DAV:response (what `responseText` writes for it): an element
 * in a fixed namespace with no attributes and text alone (calendar-data) without a copy of the
 * text, anything else by the writer.
 */
export function propText(node: XmlElement): string {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  const tag = typeof only === 'string' && Object.keys(node.attrs).length === 0 ? fixedTag(node.name) : null;
  if (tag !== null) return `<${tag}>${escapeText(only as string)}</${tag}>`;
  RESPONSE_WRITER.begin();
  return RESPONSE_WRITER.piece(node);
}

/** The start of a DAV:response: its element and its href; `propstatText`s and RESPONSE_END follow. */
export function responseHead(href: string): string {
  return `<${T.response}><${T.href}>${escapeText(href)}</${T.href}>`;
}

/** A DAV:propstat of properties already written as text ('' = none) under `status`. */
export function propstatText(status: number, text: string): string {
  const prop = text === '' ? `<${T.prop}/>` : `<${T.prop}>${text}</${T.prop}>`;
  return `<${T.propstat}>${prop}<${T.status}>${statusLine(status)}</${T.status}></${T.propstat}>`;
}

/**
 * The rest of a DAV:response after `responseHead` whose properties, written as text, are all
 * found (200): three pieces, for the string the multistatus joins and flattens.
 */
export function foundRestText(text: string): string {
  return text === '' ? EMPTY_OK_END : OK_OPEN + text + OK_END;
}

export const RESPONSE_END = `</${T.response}>`;
const OK_OPEN = `<${T.propstat}><${T.prop}>`;
const OK_END = `</${T.prop}><${T.status}>${statusLine(200)}</${T.status}></${T.propstat}>${RESPONSE_END}`;
const EMPTY_OK_END = propstatText(200, '') + RESPONSE_END;

/** The qualified name the responses of a multistatus give an element in a fixed namespace; null for any other. */
export function fixedTag(name: string): string | null {
  try {
    return RESPONSE_WRITER.tag(name);
  } catch {
    return null;
  }
}

export function responseWithStatus(href: string, status: number, error?: XmlElement): XmlElement {
  return el(
    dav('response'),
    {},
    el(dav('href'), {}, href),
    el(dav('status'), {}, statusLine(status)),
    error ? el(dav('error'), {}, error) : null,
  );
}

const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** Serialised responses are handed to the HTTP layer in pieces of about this many characters. */
const CHUNK_CHARS = 32 * 1024;

/**
 * The members of a multistatus: known up front, or produced as they are read — one by one, or a
 * batch (an array) at a time, which is written without waiting between its members.
 */
export type MultistatusMembers = readonly XmlNode[] | AsyncIterable<XmlNode | readonly XmlNode[]>;

async function* multistatusText(responses: MultistatusMembers, extra: readonly XmlNode[]): AsyncGenerator<string> {
  const writer = new StreamingXmlWriter(dav('multistatus'));
  let pending = writer.open();
  const batches: AsyncIterable<XmlNode | readonly XmlNode[]> | [readonly XmlNode[]] = Array.isArray(responses)
    ? [responses as readonly XmlNode[]]
    : (responses as AsyncIterable<XmlNode | readonly XmlNode[]>);
  let n = 0;
  for await (const item of batches) {
    for (const r of Array.isArray(item) ? (item as readonly XmlNode[]) : [item as XmlNode]) {
      // A response written as text already (most are) is appended as it is.
      pending += typeof r === 'object' && !isElement(r) ? r.raw : writer.write(r);
      if (sliceDueAfter(++n)) await yieldIfDue(); // a long answer shares the event loop (domain/cooperative.ts)
      if (pending.length >= CHUNK_CHARS) {
        yield flattened(pending);
        pending = '';
      }
    }
  }
  for (const x of extra) pending += writer.write(x);
  yield flattened(pending + writer.close());
}

/**
 * A 207 Multi-Status response (RFC 4918 §13). Each DAV:response is serialised as it is
 * produced and the text is handed over in pieces, so the answer is never held whole as a tree;
 * the HTTP layer sends a small answer with Content-Length and a large one chunked, as fast as
 * the client reads it. `extra` follows the responses (e.g. RFC 6578's DAV:sync-token).
 */
export function multistatus(responses: MultistatusMembers, extra: readonly XmlNode[] = []): DavResponse {
  return { status: 207, headers: { 'Content-Type': XML_CONTENT_TYPE }, body: multistatusText(responses, extra) };
}

export function xmlResponse(status: number, root: XmlElement, headers: Record<string, string> = {}): DavResponse {
  return { status, headers: { 'Content-Type': XML_CONTENT_TYPE, ...headers }, body: serializeXml(root) };
}
