import { unescapeText } from './text.js';

/**
 * The UID of one card's text without parsing the whole card (import splits files of
 * thousands): the first unfolded `UID` line, its escapes undone; undefined when there is none.
 */
export function uidOf(text: string): string | undefined {
  const m = /(?:^|\n)UID(?:;[^:\r\n]*)?:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/i.exec(text);
  if (!m) return undefined;
  const uid = unescapeText((m[1] ?? '').replace(/\r?\n[ \t]/g, '')).trim();
  return uid === '' ? undefined : uid;
}
