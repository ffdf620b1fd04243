import { DavError } from './errors.js';
import { storePathOfUri } from './paths.js';

/** RFC 4918 §10.4: one condition of a list. */
interface IfCondition {
  readonly not: boolean;
  readonly token?: string;
  readonly etag?: string;
}

export interface IfList {
  /** Store path of the Resource-Tag, or null for a No-tag-list (the request URI). */
  readonly resource: string | null;
  readonly conditions: readonly IfCondition[];
}

/** Parse an If header into its lists. Malformed → 400. */
export function parseIfHeader(value: string): IfList[] {
  const lists: IfList[] = [];
  let i = 0;
  let tag: string | null = null;
  const skipWs = (): void => {
    while (i < value.length && /\s/.test(value[i] ?? '')) i++;
  };
  const readUntil = (close: string): string => {
    const end = value.indexOf(close, i);
    if (end < 0) throw DavError.badRequest(`malformed If header: missing '${close}'`);
    const s = value.slice(i, end);
    i = end + 1;
    return s;
  };
  for (skipWs(); i < value.length; skipWs()) {
    const c = value[i];
    if (c === '<') {
      i++;
      const uri = readUntil('>');
      tag = storePathOfUri(uri) ?? `\u0000unmapped:${uri}`;
      continue;
    }
    if (c !== '(') throw DavError.badRequest('malformed If header: expected a list');
    i++;
    const conditions: IfCondition[] = [];
    for (skipWs(); value[i] !== ')'; skipWs()) {
      if (i >= value.length) throw DavError.badRequest("malformed If header: missing ')'");
      let not = false;
      if (value.slice(i, i + 3).toLowerCase() === 'not' && /[\s<[]/.test(value[i + 3] ?? '')) {
        not = true;
        i += 3;
        skipWs();
      }
      if (value[i] === '<') {
        i++;
        conditions.push({ not, token: readUntil('>') });
      } else if (value[i] === '[') {
        i++;
        conditions.push({ not, etag: readUntil(']') });
      } else {
        throw DavError.badRequest('malformed If header: expected a state token or an entity tag');
      }
    }
    i++;
    if (conditions.length === 0) throw DavError.badRequest('malformed If header: empty list');
    lists.push({ resource: tag, conditions });
  }
  if (lists.length === 0) throw DavError.badRequest('malformed If header: no list');
  return lists;
}

/** Lock tokens submitted by the If header (RFC 4918 §10.4.1): every state token named in it. */
export function submittedTokens(lists: readonly IfList[]): Set<string> {
  const out = new Set<string>();
  for (const l of lists) for (const c of l.conditions) if (c.token !== undefined && !c.not) out.add(c.token);
  return out;
}

/** What the evaluator needs to know about a resource an If-list names. */
export interface IfResourceState {
  readonly etag: string | null;
  /** Tokens of the locks that currently cover the resource. */
  readonly lockTokens: ReadonlySet<string>;
}

function weakless(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/**
 * Evaluate the If header (RFC 4918 §10.4.3): true when any list's conditions all hold.
 * `state(path)` describes the resource a list applies to.
 */
export async function evaluateIf(
  lists: readonly IfList[],
  requestPath: string,
  state: (path: string) => Promise<IfResourceState>,
): Promise<boolean> {
  for (const list of lists) {
    const path = list.resource ?? requestPath;
    const s = await state(path);
    let ok = true;
    for (const c of list.conditions) {
      let holds: boolean;
      if (c.token !== undefined) holds = s.lockTokens.has(c.token);
      else holds = s.etag !== null && weakless(s.etag) === weakless(c.etag ?? '');
      if (holds === c.not) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}
