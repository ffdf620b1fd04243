/**
 * The event editor's attendee list (RFC 6638: the organizer's copy names the attendees and the
 * server invites them): who is invited with their answer, an input that suggests addresses from
 * the user's contacts, and a summary of the replies for the organizer.
 */
import { personOf, type Participant, type Person } from '../../../src/formats/ical/participants.js';
import { t, tOr } from '../i18n/index.js';
import { h } from '../ui/dom.js';

export interface AttendeesEditor {
  readonly el: HTMLElement;
  /** The invited, as the organizer left the list (without the organizer). */
  read(): Participant[];
}

const label = (p: Person): string => (p.name ? `${p.name} <${p.email}>` : p.email);

function statusBadge(status: string): HTMLElement {
  const s = status.toLowerCase();
  return h('span', { class: `partstat ${s}` }, tOr(`event.partstat.${s}`, s.replace('-', ' ')));
}

/** "2 accepted · 1 declined · 3 no answer yet" over the invited. */
function repliesLine(list: readonly Participant[]): string {
  const counts = new Map<string, number>();
  for (const a of list) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return ['ACCEPTED', 'TENTATIVE', 'DECLINED', 'DELEGATED', 'NEEDS-ACTION']
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${tOr(`event.partstat.${s.toLowerCase()}`, s.toLowerCase())}`)
    .join(' · ');
}

/**
 * `organizer` null: a plain event until someone is invited. `editable` false: the user is an
 * attendee of someone else's meeting and sees the list only. `suggest` returns contacts whose
 * name or address contains the text typed.
 */
export function attendeesEditor(
  initial: readonly Participant[],
  organizer: Person | null,
  editable: boolean,
  suggest: (q: string) => Person[],
  onChange: () => void = () => {},
): AttendeesEditor {
  const isOrganizer = (p: Person): boolean => !!organizer && p.email.toLowerCase() === organizer.email.toLowerCase();
  let list: Participant[] = initial.filter((a) => !isOrganizer(a));
  const rows = h('ul.attendee-list');
  const replies = h('p.replies');
  const render = (): void => {
    rows.replaceChildren(
      ...list.map((a) =>
        h(
          'li',
          {},
          h('span.who', { title: a.email }, a.name || a.email),
          ' ',
          statusBadge(a.status),
          a.comment ? h('span.reply-comment', {}, ` “${a.comment}”`) : null,
          editable
            ? h(
                'button.link',
                {
                  type: 'button',
                  'aria-label': t('event.removeAttendee', { name: a.name || a.email }),
                  onclick: () => {
                    list = list.filter((x) => x !== a);
                    render();
                  },
                },
                '×',
              )
            : null,
        ),
      ),
    );
    replies.textContent = list.length ? `${t('event.replies')}: ${repliesLine(list)}` : '';
    onChange();
  };
  const options = h('datalist#attendee-suggestions');
  const input = h('input', {
    type: 'text',
    name: 'attendee',
    list: 'attendee-suggestions',
    autocomplete: 'off',
    placeholder: t('event.addAttendee'),
    'aria-label': t('event.addAttendee'),
  });
  const add = (): void => {
    const typed = personOf(input.value);
    // A bare address that a contact has gets the contact's name.
    const p =
      typed && !typed.name
        ? (suggest(typed.email).find((s) => s.email.toLowerCase() === typed.email.toLowerCase()) ?? typed)
        : typed;
    if (!p) {
      input.setCustomValidity(t('event.badAddress'));
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    if (!isOrganizer(p) && !list.some((a) => a.email.toLowerCase() === p.email.toLowerCase())) {
      list = [...list, { ...p, status: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT', comment: '' }];
      render();
    }
    input.value = '';
  };
  input.addEventListener('input', () => {
    input.setCustomValidity('');
    const q = input.value.trim();
    options.replaceChildren(
      ...(q.length >= 2
        ? suggest(q)
            .slice(0, 8)
            .map((p) => h('option', { value: label(p) }))
        : []),
    );
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    add();
  });
  render();
  const adder = editable
    ? h('div.row.attendee-add', {}, input, options, h('button.link', { type: 'button', onclick: add }, t('event.add')))
    : null;
  const el = h(
    'fieldset.attendees',
    {},
    h('legend', {}, t('event.attendees')),
    organizer
      ? h(
          'p.organizer',
          {},
          `${t('event.organizer')}: `,
          h('span.who', { title: organizer.email }, organizer.name || organizer.email),
        )
      : null,
    rows,
    replies,
    adder,
  );
  return { el, read: () => list };
}
