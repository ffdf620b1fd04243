/** Shared helpers for the RFC 6352 end-to-end tests: requests and a multistatus reader. */
import assert from 'node:assert/strict';
import { elements, firstChild, isElement, textOf, type XmlElement } from '../../../src/xml/element.js';
import { parseXml } from '../../../src/xml/parse.js';
import type { davFetch } from '../../helpers/server.js';

export type Dav = ReturnType<typeof davFetch>;

export const D = 'DAV:';
export const CR = 'urn:ietf:params:xml:ns:carddav';
export const BOOK = '/dav/addressbooks/alice/default/';

export function card(lines: string[]): string {
  return `${['BEGIN:VCARD', ...lines, 'END:VCARD'].join('\r\n')}\r\n`;
}

interface PropResult {
  readonly status: number;
  readonly el: XmlElement;
  readonly text: string;
}

export interface MsResponse {
  readonly href: string;
  /** Status of a response without propstats. */
  readonly status: number | null;
  readonly props: Map<string, PropResult>;
  readonly error: XmlElement | undefined;
}

function statusCode(e: XmlElement | undefined): number | null {
  if (!e) return null;
  const m = /HTTP\/1\.[01] (\d{3})/.exec(textOf(e));
  return m ? Number(m[1]) : null;
}

/** Parse a 207 body into responses keyed by href, properties keyed by Clark name. */
export function parseMultistatus(xml: string): MsResponse[] {
  const root = parseXml(xml);
  assert.equal(root.name, `{${D}}multistatus`);
  return elements(root, `{${D}}response`).map((r) => {
    const props = new Map<string, PropResult>();
    for (const ps of elements(r, `{${D}}propstat`)) {
      const status = statusCode(firstChild(ps, `{${D}}status`)) ?? 0;
      const prop = firstChild(ps, `{${D}}prop`);
      for (const p of prop ? prop.children.filter(isElement) : [])
        props.set(p.name, { status, el: p, text: textOf(p) });
    }
    return {
      href: textOf(firstChild(r, `{${D}}href`) as XmlElement),
      status: statusCode(firstChild(r, `{${D}}status`)),
      props,
      error: firstChild(r, `{${D}}error`),
    };
  });
}

export async function report(dav: Dav, path: string, body: string, depth = '1'): Promise<MsResponse[]> {
  const res = await dav(path, {
    method: 'REPORT',
    headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8' },
    body,
  });
  const text = await res.text();
  assert.equal(res.status, 207, text);
  return parseMultistatus(text);
}

export async function propfind(dav: Dav, path: string, props: string, depth = '0'): Promise<MsResponse[]> {
  const body = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:CR="${CR}" xmlns:CS="http://calendarserver.org/ns/"><D:prop>${props}</D:prop></D:propfind>`;
  const res = await dav(path, {
    method: 'PROPFIND',
    headers: { Depth: depth, 'Content-Type': 'application/xml' },
    body,
  });
  const text = await res.text();
  assert.equal(res.status, 207, text);
  return parseMultistatus(text);
}

export async function putCard(
  dav: Dav,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return dav(path, { method: 'PUT', headers: { 'Content-Type': 'text/vcard; charset=utf-8', ...headers }, body });
}

/** The precondition element named in a `<D:error>` body. */
export function errorElement(xml: string): string {
  const root = parseXml(xml);
  assert.equal(root.name, `{${D}}error`);
  const first = root.children.filter(isElement)[0];
  return first?.name ?? '';
}

/** Unfolded content lines of address data returned inside XML (CR may be dropped, §10.4). */
export function cardLines(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n')
    .filter((l) => l !== '');
}
