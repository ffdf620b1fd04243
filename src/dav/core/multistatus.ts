import { el, type XmlElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import type { DavResponse } from './context.js';

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  412: 'Precondition Failed', 423: 'Locked', 424: 'Failed Dependency', 507: 'Insufficient Storage',
  500: 'Internal Server Error', 502: 'Bad Gateway',
};

export function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd();
}

/** A propstat: properties grouped under one status. */
export function propstat(status: number, props: readonly XmlNode[], error?: XmlElement): XmlElement {
  return el(dav('propstat'), {}, el(dav('prop'), {}, ...props), el(dav('status'), {}, statusLine(status)),
    error ? el(dav('error'), {}, error) : null);
}

export function responseWithPropstats(href: string, propstats: readonly XmlElement[]): XmlElement {
  return el(dav('response'), {}, el(dav('href'), {}, href), ...propstats);
}

export function responseWithStatus(href: string, status: number, error?: XmlElement): XmlElement {
  return el(dav('response'), {}, el(dav('href'), {}, href), el(dav('status'), {}, statusLine(status)),
    error ? el(dav('error'), {}, error) : null);
}

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** A 207 Multi-Status response (RFC 4918 §13). */
export function multistatus(responses: readonly XmlNode[], extra: readonly XmlNode[] = []): DavResponse {
  return {
    status: 207,
    headers: { 'Content-Type': XML_CONTENT_TYPE },
    body: serializeXml(el(dav('multistatus'), {}, ...responses, ...extra)),
  };
}

export function xmlResponse(status: number, root: XmlElement, headers: Record<string, string> = {}): DavResponse {
  return { status, headers: { 'Content-Type': XML_CONTENT_TYPE, ...headers }, body: serializeXml(root) };
}
