import { instant, parseCalendar } from '../../../src/formats/ical/edit-time.js';
import { ICAL, type IcalComponent } from '../../../src/formats/ical/ical.js';
import { expand, type Occurrence } from '../../../src/formats/ical/occurrences.js';
import { foldText, queryWords, searchCalendarObject, type TextHit } from '../../../src/formats/ical/text-search.js';
import { formatDate, t } from '../i18n/index.js';
import type { AppState, Collection } from '../state.js';
import { clear, h } from '../ui/dom.js';
import { openTask } from './calendar-tasks.js';
import { openEventEditor } from './event-editor.js';
import './search.css';

/** Most results listed. */
const MAX_RESULTS = 30;
const YEAR = 366 * 86400000;

interface Result {
  col: Collection;
  href: string;
  hit: TextHit;
  occurrence: Occurrence | null;
}

/** The folded, unfolded, unescaped text of each object (a cheap first test before parsing). */
const texts = new Map<string, { etag: string; text: string }>();

function roughText(key: string, etag: string, data: string): string {
  const hit = texts.get(key);
  if (hit && hit.etag === etag) return hit.text;
  const text = foldText(data.replace(/\r?\n[ \t]/g, '').replace(/\\(.)/g, '$1'));
  texts.set(key, { etag, text });
  return text;
}

/** The occurrence a hit stands for: the next one from now, else the latest before, else its first. */
function occurrenceOf(vcal: IcalComponent, hit: TextHit, now: number): Occurrence | null {
  const mine = (o: Occurrence): boolean =>
    o.uid === hit.uid && (hit.recurrenceId === null || o.recurrenceId === hit.recurrenceId);
  const around = expand(vcal, new Date(now - YEAR), new Date(now + YEAR))
    .filter(mine)
    .sort((a, b) => +a.start - +b.start);
  const next = around.find((o) => o.end.getTime() >= now) ?? around[around.length - 1];
  if (next) return next;
  const start = vcal
    .getAllSubcomponents('vevent')
    .find((c) => String(c.getFirstPropertyValue('uid')) === hit.uid)
    ?.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return null;
  const at = instant(start).getTime();
  return expand(vcal, new Date(at - 2 * 86400000), new Date(at + 2 * 86400000)).filter(mine)[0] ?? null;
}

function find(state: AppState, query: string): Result[] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const out: Result[] = [];
  const now = Date.now();
  const seen = new Set<string>();
  for (const col of state.calendars()) {
    for (const obj of col.objects.values()) {
      const key = `${col.key}|${obj.href}`;
      if (seen.has(key)) continue; // a collection listed as both calendar and task list
      seen.add(key);
      const text = roughText(key, obj.etag, obj.data);
      if (!words.every((w) => text.includes(w))) continue;
      let vcal: IcalComponent;
      try {
        vcal = parseCalendar(obj.data);
      } catch {
        continue;
      }
      for (const hit of searchCalendarObject(vcal, words)) {
        out.push({ col, href: obj.href, hit, occurrence: hit.kind === 'event' ? occurrenceOf(vcal, hit, now) : null });
        if (out.length >= MAX_RESULTS) return out;
      }
    }
  }
  return out;
}

/**
 * The search box of the top bar: events (title, location, description) and tasks (title,
 * description, categories) of every calendar; choosing one jumps to it (the calendar at the
 * event's date with its editor open, or the task in the task list).
 */
export function searchBox(state: AppState, gotoDate: (d: Date) => void): HTMLElement {
  const input = h('input', {
    type: 'search',
    name: 'search',
    placeholder: t('search.label'),
    'aria-label': t('search.label'),
    autocomplete: 'off',
  });
  const results = h('ul.search-results', { role: 'listbox', 'aria-label': t('search.results'), hidden: true });
  const box = h('div.search-box', { role: 'search' }, input, results);
  const close = (): void => {
    results.hidden = true;
  };
  const choose = (r: Result): void => {
    close();
    if (r.hit.kind === 'task') return openTask(r.col.key, r.href);
    if (location.hash !== '#calendar') location.hash = '#calendar';
    if (r.occurrence) gotoDate(r.occurrence.start);
    void openEventEditor(state, { collection: r.col, href: r.href, occurrence: r.occurrence }, {});
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (): void => {
    clear(results);
    const found = find(state, input.value);
    results.hidden = input.value.trim() === '';
    if (found.length === 0) results.append(h('li.empty', {}, t('search.none')));
    for (const r of found) {
      const when = r.occurrence ? formatDate(r.occurrence.start) : r.hit.kind === 'task' ? t('search.task') : '';
      results.append(
        h(
          'li',
          { role: 'option' },
          h(
            'button.link',
            { type: 'button', 'data-testid': 'search-result', 'data-kind': r.hit.kind, onclick: () => choose(r) },
            h('span.swatch', { style: `background:${r.col.color}` }),
            h('span.title', {}, r.hit.title || t('common.untitled')),
            h('span.when', {}, when),
          ),
        ),
      );
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
    if (e.key === 'Enter') {
      clearTimeout(timer);
      run();
      results.querySelector<HTMLButtonElement>('button')?.focus();
    }
  });
  document.addEventListener('click', (e) => {
    if (!box.contains(e.target as Node)) close();
  });
  return box;
}
