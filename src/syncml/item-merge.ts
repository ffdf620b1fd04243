/**
 * Item-level rules of the engine: UIDs (phones drop vCard UID, digest §14), field-level merge
 * from the client's CTCap so fields a phone cannot hold stay on the server (digest §11), and
 * slow-sync duplicate detection by content (digest §7).
 */
import { randomUUID } from 'node:crypto';
import { paramValue, parseLines, unfoldLines, type Line } from '../formats/legacy/lines.js';
import type { ItemKind } from './ports.js';

const IGNORED = new Set([
  'UID',
  'REV',
  'PRODID',
  'VERSION',
  'DTSTAMP',
  'LAST-MODIFIED',
  'CREATED',
  'SEQUENCE',
  'X-EVOLUTION-FILE-AS',
]);
const MAIN = /^(VEVENT|VTODO|VJOURNAL)$/;

interface Block {
  before: string[];
  lines: string[];
  after: string[];
}

/** The main component (VCARD, VEVENT, VTODO) lines, and what surrounds them. */
function mainBlock(kind: ItemKind, text: string): Block {
  const lines = unfoldLines(text);
  const begin = lines.findIndex((l) =>
    kind === 'vcard'
      ? /^BEGIN:VCARD$/i.test(l)
      : MAIN.test(l.replace(/^BEGIN:/i, '').toUpperCase()) && /^BEGIN:/i.test(l),
  );
  if (begin < 0) return { before: lines, lines: [], after: [] };
  let depth = 0;
  let end = lines.length;
  for (let i = begin + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^BEGIN:/i.test(l)) depth++;
    else if (/^END:/i.test(l)) {
      if (depth === 0) {
        end = i;
        break;
      }
      depth--;
    }
  }
  return { before: lines.slice(0, begin + 1), lines: lines.slice(begin + 1, end), after: lines.slice(end) };
}

function join(b: Block): string {
  return [...b.before, ...b.lines, ...b.after].join('\r\n') + '\r\n';
}

const nameOf = (line: string): string => (/^([A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)/.exec(line)?.[2] ?? '').toUpperCase();

/** Set the UID of the main component (vCard: also add one when missing). */
export function withUid(kind: ItemKind, text: string, uid: string | null): { text: string; uid: string } {
  const b = mainBlock(kind, text);
  const current = b.lines.find((l) => nameOf(l) === 'UID');
  const currentUid = current ? current.slice(current.indexOf(':') + 1).trim() : '';
  const want = uid ?? (currentUid || randomUUID());
  if (current && currentUid === want) return { text: join(b), uid: want };
  b.lines = b.lines.filter((l) => nameOf(l) !== 'UID');
  b.lines.unshift(`UID:${want}`);
  // Overrides of a recurring event share the UID.
  const all = join(b)
    .split('\r\n')
    .map((l) => (nameOf(l) === 'UID' ? `UID:${want}` : l));
  return { text: all.join('\r\n'), uid: want };
}

/**
 * Field-level merge (digest §11): the client's version replaces what it can hold; properties
 * it did not send and whose names are not in its CTCap stay as the server had them.
 */
export function mergeFromClient(
  kind: ItemKind,
  server: string,
  client: string,
  ctCap: readonly string[] | null,
): string {
  if (!ctCap || ctCap.length === 0) return client;
  const caps = new Set(ctCap.map((c) => c.toUpperCase()));
  const s = mainBlock(kind, server);
  const c = mainBlock(kind, client);
  const sentNames = new Set(c.lines.map(nameOf));
  const keep = s.lines.filter((l) => {
    const n = nameOf(l);
    if (n === 'BEGIN' || n === 'END' || IGNORED.has(n)) return false;
    return !caps.has(n) && !sentNames.has(n);
  });
  if (keep.length === 0) return client;
  c.lines = [...c.lines, ...keep];
  return join(c);
}

/** A line's name and value; an ATTENDEE's with its PARTSTAT (accepting changes nothing else, RFC 6638 §3.2.2.1). */
function signature(l: Line): string {
  const partstat =
    l.name === 'ATTENDEE' ? `;PARTSTAT=${(paramValue(l, 'PARTSTAT') ?? 'NEEDS-ACTION').toUpperCase()}` : '';
  return `${l.name}${partstat}:${l.value.trim()}`;
}

function significant(kind: ItemKind, text: string): string[] {
  return parseLines(mainBlock(kind, text).lines.join('\r\n'))
    .filter((l) => !IGNORED.has(l.name) && !l.name.startsWith('X-') && l.value.replace(/[;,\s]/g, '') !== '')
    .map(signature)
    .sort();
}

/** Same content, ignoring UID, timestamps, X- properties, empty values and parameters (but an ATTENDEE's PARTSTAT). */
export function sameContent(kind: ItemKind, a: string, b: string): boolean {
  const x = significant(kind, a);
  const y = significant(kind, b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function value(kind: ItemKind, text: string, name: string): string {
  const l = parseLines(mainBlock(kind, text).lines.join('\r\n')).find((p) => p.name === name);
  return l ? l.value.trim() : '';
}

const norm = (s: string): string =>
  s
    .toLowerCase()
    .replace(/\\[,;]/g, (m) => m.slice(1))
    .replace(/[\s;]+/g, ' ')
    .trim();

/**
 * The slow-sync identity of an item (digest §7): iCalendar by UID (else SUMMARY + DTSTART),
 * vCards by content (FN, else N), because phones drop or invent vCard UIDs.
 */
export function matchKeys(kind: ItemKind, text: string): string[] {
  if (kind === 'vcard') {
    const fn = norm(value(kind, text, 'FN'));
    const n = norm(value(kind, text, 'N'));
    return [fn ? `fn:${fn}` : '', n ? `n:${n}` : ''].filter(Boolean);
  }
  const uid = value(kind, text, 'UID');
  const summary = norm(value(kind, text, 'SUMMARY'));
  const start = value(kind, text, 'DTSTART');
  return [uid ? `uid:${uid}` : '', summary ? `sd:${summary}|${start}` : ''].filter(Boolean);
}
