/**
 * The control characters a content line must not hold: all of U+0000–U+001F and U+007F except
 * HTAB (RFC 5545 §3.1 "CONTROL", RFC 6350 §3.3 the same set). Line breaks inside a value are
 * written escaped (`\n`), so a raw CR or LF inside an unfolded line is a control too.
 */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}

/** Why `line` (one unfolded content line, or one raw value) is not allowed, or null. */
export function controlCharacterProblem(line: string, where: string): string | null {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (!isControl(code)) continue;
    return `${where} holds the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which content lines must not contain`;
  }
  return null;
}
