/**
 * The control characters a content line must not hold: all of U+0000–U+001F and U+007F except
 * HTAB (RFC 5545 §3.1 "CONTROL", RFC 6350 §3.3 the same set; U+0080–U+009F are ordinary
 * non-ASCII text there). Line breaks inside a value are written escaped (`\n`), so a raw CR or
 * LF inside an unfolded line is a control too.
 */
const CONTROL = /(?![\t\u0080-\u009f])\p{Cc}/u;

/** The same over a whole text of CRLF or LF lines: a CR that does not end a line is one too. */
const CONTROL_IN_TEXT = /(?![\t\r\n\u0080-\u009f])\p{Cc}|\r(?!\n)/u;

/** Whether a text may hold a refused control character (one native scan; lines are looked at only then). */
export function mayHoldControls(text: string): boolean {
  return CONTROL_IN_TEXT.test(text);
}

/** Why `line` (one unfolded content line, or one raw value) is not allowed, or null. */
export function controlCharacterProblem(line: string, where: string): string | null {
  const m = CONTROL.exec(line);
  if (!m) return null;
  return `${where} holds the control character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which content lines must not contain`;
}
