/**
 * The free/busy grid of the event editor: one row per person (the organizer and the invited)
 * over the meeting's day, 07:00–21:00 in the editor's time zone, with their busy blocks and the
 * meeting's own slot, so the organizer can pick a time everyone has free. Busy time comes from
 * the server (RFC 6638 §5: a VFREEBUSY request POSTed to the user's outbox); people the server
 * does not know show "unknown".
 */
import { busyBlocks, freeBusyRequest, type BusyBlock } from '../../../src/formats/ical/free-busy-lookup.js';
import { parseInput } from '../../../src/formats/ical/edit-time.js';
import { wallToUtc } from '../../../src/formats/ical/intl-zones.js';
import type { Person } from '../../../src/formats/ical/participants.js';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import type { Source } from '../state.js';

const FIRST_HOUR = 7;
const LAST_HOUR = 21;

/** What the grid shows: the people, and the meeting's slot as `YYYY-MM-DDTHH:mm` in `tz`. */
export interface GridInput {
  readonly people: readonly Person[];
  readonly start: string;
  readonly end: string;
  readonly tz: string;
}

export interface FreeBusyGrid {
  readonly el: HTMLElement;
  /** Ask again (the people or the time changed); quiet while nothing changed. */
  refresh(): void;
}

function windowOf(input: GridInput): { from: Date; to: Date } {
  const day = parseInput(input.start.slice(0, 10));
  return {
    from: wallToUtc({ ...day, hour: FIRST_HOUR, minute: 0, second: 0 }, input.tz),
    to: wallToUtc({ ...day, hour: LAST_HOUR, minute: 0, second: 0 }, input.tz),
  };
}

/** A block placed on the row as a share of the window. */
function bar(from: Date, to: Date, start: Date, end: Date, cls: string, title: string): HTMLElement | null {
  const whole = +to - +from;
  const left = Math.max(0, (+start - +from) / whole);
  const right = Math.min(1, (+end - +from) / whole);
  if (right <= left) return null;
  // Placed through CSSOM: the page's CSP refuses style attributes written as markup.
  const span = h('span', { class: cls, title });
  span.style.left = `${(left * 100).toFixed(2)}%`;
  span.style.width = `${((right - left) * 100).toFixed(2)}%`;
  return span;
}

function hours(): HTMLElement {
  const marks = [];
  for (let hour = FIRST_HOUR; hour < LAST_HOUR; hour += 2) {
    const mark = h('span', {}, `${hour}:00`);
    mark.style.left = `${(((hour - FIRST_HOUR) / (LAST_HOUR - FIRST_HOUR)) * 100).toFixed(2)}%`;
    marks.push(mark);
  }
  return h('div.fb-hours', { 'aria-hidden': 'true' }, ...marks);
}

export function freeBusyGrid(source: Source, input: () => GridInput | null): FreeBusyGrid {
  const rows = h('div.fb-rows');
  const el = h('fieldset.free-busy', { hidden: true }, h('legend', {}, t('event.freeBusy')), hours(), rows);
  let asked = '';
  const render = (now: GridInput, answers: Map<string, { status: string; blocks: BusyBlock[] }>): void => {
    const { from, to } = windowOf(now);
    const slotStart = wallToUtc(parseInput(now.start), now.tz);
    const slotEnd = wallToUtc(parseInput(now.end), now.tz);
    rows.replaceChildren(
      ...now.people.map((p) => {
        const a = answers.get(p.email.toLowerCase());
        const known = a?.status.startsWith('2.');
        const track = h(
          'div.fb-track',
          {},
          bar(from, to, slotStart, slotEnd, 'fb-slot', t('event.freeBusySlot')),
          ...(known
            ? a!.blocks.map((b) =>
                bar(from, to, b.start, b.end, `fb-busy ${b.type.toLowerCase()}`, t('event.freeBusyBusy')),
              )
            : []),
        );
        return h(
          'div.fb-row',
          { 'data-email': p.email },
          h('span.fb-who', { title: p.email }, p.name || p.email),
          known ? track : h('span.fb-unknown', {}, t('event.freeBusyUnknown')),
        );
      }),
    );
  };
  const refresh = (): void => {
    const now = input();
    const me = source.me?.emails[0];
    if (!now || !source.outbox || !me || now.people.length < 2 || now.start.length < 16 || now.end.length < 16) {
      el.hidden = true;
      return;
    }
    const key = JSON.stringify(now);
    if (key === asked) return;
    asked = key;
    el.hidden = false;
    const { from, to } = windowOf(now);
    void source.client
      .freeBusy(
        source.outbox,
        freeBusyRequest(
          me,
          now.people.map((p) => p.email),
          from,
          to,
        ),
      )
      .then((got) => {
        if (asked !== key) return;
        const answers = new Map(
          [...got].map(([email, r]) => [email, { status: r.status, blocks: busyBlocks(r.data) }]),
        );
        render(now, answers);
      })
      .catch((err: unknown) => {
        console.error('free/busy lookup failed', err);
        if (asked === key) el.hidden = true;
      });
  };
  return { el, refresh };
}
