import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PRECONDITIONS, type Precondition } from './preconditions.js';

/** Where the RFC texts are (one `rfcNNNN-*.txt` per RFC); ALMANAC_SPECS_DIR overrides. */
const SPECS = process.env.ALMANAC_SPECS_DIR ?? '/work/shared/specs/rfc';
const HAVE_SPECS = existsSync(SPECS);

const rows = Object.entries(PRECONDITIONS) as [string, Precondition][];

/** Drafts (extensions/<name>/<draft>.md beside the RFC texts), cited as `draft-name §Heading`. */
const DRAFTS = join(SPECS, '..', 'extensions');
const DRAFT_CITATION = /^(draft-[a-z0-9-]+) §(\S.*)$/;

/** `RFC 4918 §16` → the RFC number and the section number. */
function parseCitation(citation: string): { rfc: string; section: string } {
  const m = /^RFC (\d+) §([\d.]+)$/.exec(citation);
  assert.ok(m || DRAFT_CITATION.test(citation), `citation "${citation}" is not "RFC n §x.y" nor "draft-name §Heading"`);
  return m ? { rfc: m[1]!, section: m[2]! } : { rfc: '', section: '' };
}

/** The text under a draft's markdown heading, to the next heading of the same or a higher level. */
function draftSectionText(draft: string, heading: string): string {
  const dir = readdirSync(DRAFTS).find((d) => existsSync(join(DRAFTS, d, `${draft}.md`)));
  assert.ok(dir, `no text of ${draft} in ${DRAFTS}`);
  const lines = readFileSync(join(DRAFTS, dir, `${draft}.md`), 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^#+ ${heading}\\s*(\\{.*\\})?$`).test(l));
  assert.ok(start >= 0, `${draft} has no heading ${heading}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const texts = new Map<string, string[]>();
function rfcLines(rfc: string): string[] {
  let lines = texts.get(rfc);
  if (!lines) {
    const file = readdirSync(SPECS).find((f) => f.toLowerCase().startsWith(`rfc${rfc}-`));
    assert.ok(file, `no text of RFC ${rfc} in ${SPECS}`);
    lines = readFileSync(join(SPECS, file), 'utf8').split('\n');
    texts.set(rfc, lines);
  }
  return lines;
}

/** The text of one section: from its heading (at the line start, not the indented contents) to the next heading. */
function sectionText(citation: string): string {
  const draft = DRAFT_CITATION.exec(citation);
  if (draft) return draftSectionText(draft[1]!, draft[2]!);
  const { rfc, section } = parseCitation(citation);
  const lines = rfcLines(rfc);
  const heading = new RegExp(`^${section.replace(/\./g, '\\.')}\\.?\\s+\\S`);
  const start = lines.findIndex((l) => heading.test(l));
  assert.ok(start >= 0, `RFC ${rfc} has no section ${section}`);
  const end = lines.findIndex((l, i) => i > start && /^\d+(\.\d+)*\.?\s+[A-Z]/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const localName = (element: string): string => element.replace(/^\{[^}]*\}/, '');

/** Why `row` disagrees with its RFC text, or null. */
function mismatch(row: Precondition): string | null {
  const defining = sectionText(row.section);
  const element = localName(row.element);
  if (!defining.includes(element)) return `${row.section} does not mention ${element}`;
  // RFC 4918 §16 lists each of its conditions with the status to use it with.
  const useWith = new RegExp(`Name:\\s+${element}\\b[^]*?Use with:\\s+(?:Typically\\s+)?(\\d{3})`).exec(defining);
  if (useWith && !row.statusSection) {
    return row.status === Number(useWith[1]) ? null : `${row.section} says use with ${useWith[1]}, not ${row.status}`;
  }
  const statusText = row.statusSection ? sectionText(row.statusSection) : defining;
  if (new RegExp(`\\b${row.status}\\b`).test(statusText)) return null;
  if (row.statusSection) return `${row.statusSection} does not give ${row.status}`;
  // RFC 4918 §16 / RFC 3253 §1.6: 403 if it will always fail, 409 if the user can resolve it.
  return row.status === 403 || row.status === 409
    ? null
    : `${row.section} gives no status and ${row.status} is not 403/409`;
}

describe('the precondition table (dav/core/preconditions.ts)', () => {
  it('every status is an HTTP error status and every citation reads "RFC n §x.y"', () => {
    for (const [name, row] of rows) {
      assert.ok(row.status >= 400 && row.status < 600, name);
      parseCitation(row.section);
      if (row.statusSection) parseCitation(row.statusSection);
    }
  });

  it(
    'every row matches its RFC text: the section defines the element and gives (or leaves to the general rule) its status',
    { skip: HAVE_SPECS ? false : `no RFC texts at ${SPECS}` },
    () => {
      const wrong: string[] = [];
      for (const [name, row] of rows) {
        const problem = mismatch(row);
        if (problem) wrong.push(`${name}: ${problem}`);
      }
      assert.deepEqual(wrong, []);
    },
  );
});
