/** What a file to import holds, by its first BEGIN line (BOM and blank lines skipped). */
export type DataKind = 'icalendar' | 'vcard';

export function dataKind(text: string): DataKind | null {
  const m = /^\s*BEGIN:(VCALENDAR|VCARD)\b/i.exec(text.replace(/^\uFEFF/, ''));
  if (!m) return null;
  return m[1]!.toUpperCase() === 'VCARD' ? 'vcard' : 'icalendar';
}

/**
 * Why a file cannot go into a collection of the other kind, in the same words on the command
 * line and in the web app: "this file holds contacts (vCard); choose an address book".
 */
export function wrongTargetReason(kind: DataKind): string {
  return kind === 'vcard'
    ? 'this file holds contacts (vCard); choose an address book'
    : 'this file holds events and tasks (iCalendar); choose a calendar';
}
