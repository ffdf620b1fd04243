/**
 * The control characters a content line must not hold: all of U+0000–U+001F and U+007F except
 * HTAB (RFC 5545 §3.1 "CONTROL", RFC 6350 §3.3 the same set). Line breaks inside a value are
 * written escaped (`\n`), so a raw CR or LF inside an unfolded line is a control too.
 */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Why `line` (one unfolded content line, or one raw value) is not allowed, or null. */
export function controlCharacterProblem(line: string, where: string): string | null {
  const m = CONTROL.exec(line);
  if (!m) return null;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `${where} holds the control character U+${code}, which content lines must not contain`;
}
