import { VcardSyntaxError, parseContentLine, unfold } from './parse.js';

/**
 * Split a multi-card .vcf (an export, a phone backup) into the text of each card, unchanged.
 * A card that does not parse is skipped with its position (0-based) and the reason, so an
 * import can report it and go on.
 */
export function splitVcards(text: string): { cards: string[]; skipped: { index: number; reason: string }[] } {
  const cards: string[] = [];
  const skipped: { index: number; reason: string }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let start = -1;
  let index = 0;
  const finish = (endLine: number): void => {
    const chunk = `${lines.slice(start, endLine + 1).join('\r\n')}\r\n`;
    try {
      const unfolded = unfold(chunk);
      unfolded.slice(1, -1).forEach((l) => {
        const p = parseContentLine(l.text, l.line + start);
        if (p.name === 'BEGIN' || p.name === 'END')
          throw new VcardSyntaxError(`nested ${p.name}:${p.value}`, l.line + start);
      });
      cards.push(chunk);
    } catch (err) {
      skipped.push({ index, reason: err instanceof Error ? err.message : String(err) });
    }
    index++;
    start = -1;
  };
  lines.forEach((raw, i) => {
    const l = raw.trim().toUpperCase();
    if (l === 'BEGIN:VCARD') {
      if (start >= 0) {
        skipped.push({ index, reason: `line ${i + 1}: BEGIN:VCARD before the previous card ended` });
        index++;
      }
      start = i;
    } else if (l === 'END:VCARD' && start >= 0) {
      finish(i);
    }
  });
  if (start >= 0) skipped.push({ index, reason: 'missing END:VCARD at the end of the file' });
  return { cards, skipped };
}
