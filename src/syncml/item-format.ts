/**
 * Wire formats ⇄ what CalDAV/CardDAV store (digest §12, §14): vCard 2.1 (`text/x-vcard`) and
 * 3.0 (`text/vcard`) ⇄ stored vCard 3.0; vCalendar 1.0 (`text/x-vcalendar`) and iCalendar 2.0
 * (`text/calendar`) ⇄ stored iCalendar 2.0. The type to send follows the client's DevInf
 * Rx-Pref, else what it sent, else the phone formats.
 */
import { icalendarToVcalendar, vcalendarToIcalendar } from '../formats/legacy/vcalendar.js';
import { vcard21ToVcard30, vcard30ToVcard21 } from '../formats/legacy/vcard21.js';
import type { ContentType } from '../formats/syncml/devinf.js';
import type { ItemKind } from './ports.js';

export const VCARD21 = 'text/x-vcard';
export const VCARD30 = 'text/vcard';
export const VCAL10 = 'text/x-vcalendar';
export const ICAL20 = 'text/calendar';

const SUPPORTED: Record<ItemKind, readonly string[]> = { vcard: [VCARD30, VCARD21], ical: [ICAL20, VCAL10] };

/**
 * Choose the type to send a datastore's items in. Without DevInf (SyncEvolution cannot send its
 * 30 kB DevInf under a small MaxMsgSize) and without items from the client, a SyncML 1.2 client
 * gets vCard 3.0 / iCalendar 2.0, an older one the phone formats.
 */
export function chooseSendType(
  kind: ItemKind,
  rxPref: ContentType | undefined,
  rx: readonly ContentType[],
  sent: string | undefined,
  version = '1.2',
): string {
  const ok = SUPPORTED[kind];
  const norm = (t: ContentType): string => (t.type === 'text/directory' ? VCARD30 : t.type);
  if (rxPref && ok.includes(norm(rxPref))) {
    // text/x-vcard with VerCT 3.0 is vCard 3.0 on the wire.
    if (rxPref.type === VCARD21 && rxPref.version === '3.0') return VCARD30;
    return norm(rxPref);
  }
  if (sent && ok.includes(sent)) return sent;
  for (const r of rx) if (ok.includes(norm(r))) return norm(r);
  if (version === '1.2') return kind === 'vcard' ? VCARD30 : ICAL20;
  return kind === 'vcard' ? VCARD21 : VCAL10;
}

/** Client data → stored text (vCard 3.0 / iCalendar 2.0). The VERSION inside wins over the type. */
export function toStorage(kind: ItemKind, data: string): string {
  if (kind === 'vcard') {
    const v = /^VERSION:\s*([0-9.]+)/im.exec(data)?.[1];
    return v === '2.1' ? vcard21ToVcard30(data) : normaliseNewlines(data);
  }
  const v = /^VERSION:\s*([0-9.]+)/im.exec(data)?.[1];
  return v === '1.0' ? vcalendarToIcalendar(data) : normaliseNewlines(data);
}

/** Stored text → the wire type chosen for the client. */
export function fromStorage(kind: ItemKind, text: string, type: string): string {
  if (kind === 'vcard') return type === VCARD21 ? vcard30ToVcard21(text) : text;
  return type === VCAL10 ? icalendarToVcalendar(text) : text;
}

function normaliseNewlines(s: string): string {
  const t = s.replace(/\r\n|\r|\n/g, '\r\n');
  return t.endsWith('\r\n') ? t : `${t}\r\n`;
}

/** The version string that goes with a type in Meta (e.g. `text/x-vcard` 2.1). */
export function versionOfType(type: string): string {
  return type === VCARD21 ? '2.1' : type === VCARD30 ? '3.0' : type === VCAL10 ? '1.0' : '2.0';
}
