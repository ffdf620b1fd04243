/**
 * A large address book in the browser app: the deterministic book and the page-side timings that
 * test/web/contacts-scale.test.ts (what the app shows) and the benchmark's web-contacts phase
 * (how fast, bench/phases/web-contacts.ts) share.
 */
import type { Page } from 'playwright-core';

export const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Zoë',
  'Ñandú',
  'Margaret',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Sophie',
  'Jürgen',
];
export const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Müller',
  'Hamilton',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Wilson',
  'Schmidt',
];
const GROUPS = ['Friends', 'Family', 'Work', 'Climbing', 'Choir'];

/** A deterministic book: name i is FIRST[i % 16] LAST[(i / 16) % 15] i. */
export function book(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const given = FIRST[i % FIRST.length]!;
    const family = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    out.push(
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        `UID:scale-${i}`,
        `FN:${given} ${family} ${i}`,
        `N:${family};${given};;;`,
        `EMAIL;TYPE=INTERNET,HOME:${given.toLowerCase()}.${i}@example.org`,
        `TEL;TYPE=CELL:+49 30 ${String(1_000_000 + i)}`,
        `ORG:Company ${i % 97}`,
        `CATEGORIES:${GROUPS[i % GROUPS.length]}`,
        'NOTE:Met at the conference\\nCall back in spring',
        'END:VCARD',
      ].join('\r\n'),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const fmt = (xs: number[]): string =>
  `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} (${xs.map((x) => x.toFixed(0)).join(', ')})`;

/** The next painted frame, in page code (the test's tsconfig has no DOM types: page code is a string). */
const FRAME = 'new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))';

/** Time from a click on the Contacts tab to the frame after the list's rows are in the page. */
export async function openContactsTab(page: Page): Promise<number> {
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    document.querySelector('button[data-tab=contacts]').click();
    await ${FRAME};
    if (document.querySelectorAll('[data-testid=contact]').length === 0) throw new Error('no rows after opening the tab');
    return performance.now() - t0;
  })()`);
}

/** Type `query` one key at a time; the time of each keystroke until its frame shows the answer, and the count shown last. */
export async function typeQuery(page: Page, query: string): Promise<{ times: number[]; status: string }> {
  return page.evaluate(`(async () => {
    const q = ${JSON.stringify(query)};
    const input = document.querySelector('.contacts-view input[type=search]');
    const times = [];
    for (let k = 1; k <= q.length; k++) {
      const t0 = performance.now();
      input.value = q.slice(0, k);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await ${FRAME};
      times.push(performance.now() - t0);
    }
    return { times, status: document.querySelector('.list-status')?.textContent ?? '' };
  })()`);
}
