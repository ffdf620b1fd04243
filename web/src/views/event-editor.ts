import { AppState, type Collection, type StoredObject } from '../state.js';
import { parseCalendar } from '../../../src/formats/ical/edit-time.js';
import {
  createEvent,
  deleteEvent,
  editEvent,
  readEvent,
  respondToEvent,
  type EventForm,
  type Scope,
} from '../../../src/formats/ical/event-form.js';
import type { Me, Participant, PartStat } from '../../../src/formats/ical/participants.js';
import { allZones } from '../../../src/formats/ical/intl-zones.js';
import type { Occurrence } from '../../../src/formats/ical/occurrences.js';
import { confirmDialog, modal, scopeDialog, showError, toast } from '../ui/dialog.js';
import { t, tOr, type MessageKey } from '../i18n/index.js';
import { field, h } from '../ui/dom.js';
import { displayZone } from './display-zone.js';
import { between, dayAfter, lastDayOf, lastDayOfTimed, shifted } from './editor-times.js';
import { recurrenceEditor } from './recurrence-editor.js';
import { attendeesEditor } from './attendees-editor.js';
import { suggestAddresses } from './address-suggestions.js';
import { freeBusyGrid, type FreeBusyGrid } from './free-busy-grid.js';

/** The reminder choices, in minutes before the start (a VALARM TRIGGER, RFC 5545 §3.8.6.3). */
const REMINDERS = [0, 5, 10, 15, 30, 60, 120, 1440, 10080];

/** "At start", "15 minutes before", "1 day before"… in the UI language, in the largest whole unit. */
function reminderLabel(minutes: number): string {
  if (minutes === 0) return t('event.atStart');
  if (minutes % 10080 === 0) return t('event.weeksBefore', { count: minutes / 10080 });
  if (minutes % 1440 === 0) return t('event.daysBefore', { count: minutes / 1440 });
  if (minutes % 60 === 0) return t('event.hoursBefore', { count: minutes / 60 });
  return t('event.minutesBefore', { count: minutes });
}

export interface EditTarget {
  readonly collection: Collection;
  readonly href: string;
  readonly occurrence: Occurrence | null;
}

function reminderRow(minutes: number, onRemove: (row: HTMLElement) => void): HTMLElement {
  const select = h(
    'select',
    { 'aria-label': t('event.reminder'), class: 'reminder' },
    ...REMINDERS.map((m) => h('option', { value: m }, reminderLabel(m))),
  );
  if (!REMINDERS.includes(minutes)) select.append(h('option', { value: minutes }, reminderLabel(minutes)));
  select.value = String(minutes);
  const row = h(
    'div.row',
    {},
    select,
    h(
      'button.link',
      { type: 'button', 'aria-label': t('event.removeReminder'), onclick: () => onRemove(row) },
      t('common.remove'),
    ),
  );
  return row;
}

/** The event dialog: create, edit (this / following / all) and delete. */
export async function openEventEditor(
  state: AppState,
  target: EditTarget | null,
  initial: Partial<EventForm> & { calendar?: Collection },
): Promise<void> {
  const calendars = state.eventCalendars().filter((c) => !c.dav.readOnly);
  const existing = target ? target.collection.objects.get(target.href) : undefined;
  if (target && !existing) return showError(new Error(t('event.gone')));
  const base: EventForm = existing
    ? readEvent(parseCalendar(existing.data), target!.occurrence)
    : {
        title: '',
        location: '',
        description: '',
        allDay: false,
        start: '',
        end: '',
        tz: displayZone(),
        reminders: [],
        organizer: null,
        attendees: [],
        rule: null,
        ...initial,
      };
  const me: Me = (target?.collection.source ?? state.ownSource())?.me ?? { emails: [], name: '' };
  const mine = attendeeMode(base, me);

  const title = h('input', {
    type: 'text',
    name: 'title',
    value: base.title,
    placeholder: t('event.titlePlaceholder'),
    required: true,
    autocomplete: 'off',
    class: 'title-input',
  });
  const calendar = h(
    'select',
    { name: 'calendar', disabled: !!target },
    ...(target ? [target.collection] : calendars).map((c) =>
      h('option', { value: c.key }, `${c.dav.displayName}${c.source.remote ? ` (${c.source.label})` : ''}`),
    ),
  );
  if (initial.calendar) calendar.value = initial.calendar.key;
  const allDay = h('input', { type: 'checkbox', name: 'allDay', checked: base.allDay });
  const start = h('input', {
    type: base.allDay ? 'date' : 'datetime-local',
    name: 'start',
    value: base.start,
    required: true,
  });
  // All-day: the form shows the last day, DTEND stays exclusive (RFC 5545 §3.6.1).
  const end = h('input', {
    type: base.allDay ? 'date' : 'datetime-local',
    name: 'end',
    value: base.allDay && base.end ? lastDayOf(base.end, base.start) : base.end,
    required: true,
  });
  const tz = h('input', {
    type: 'text',
    name: 'tz',
    value: base.tz,
    list: 'tz-list',
    'aria-label': t('event.timeZone'),
  });
  const tzList = h('datalist#tz-list', {}, ...allZones().map((z) => h('option', { value: z })));
  const location = h('input', {
    type: 'text',
    name: 'location',
    value: base.location,
    placeholder: t('event.location'),
  });
  const description = h(
    'textarea',
    { name: 'description', rows: 3, placeholder: t('common.description') },
    base.description,
  );
  const reminders = h('div.reminders');
  const addReminder = (m: number): void => void reminders.append(reminderRow(m, (row) => row.remove()));
  base.reminders.forEach(addReminder);
  const recurrence = recurrenceEditor(target?.occurrence && !target.occurrence.recurring ? base.rule : base.rule, () =>
    start.value.slice(0, 10),
  );
  const isOverride = !!target?.occurrence?.recurring;

  // Switching all-day keeps the start day. Unticking gives a timed default on that day (the
  // times the event had before it was ticked, else 09:00–10:00), never the whole span as hours.
  let timed: { start: string; end: string } | null = base.allDay ? null : { start: start.value, end: end.value };
  let lastStart = start.value;
  allDay.addEventListener('change', () => {
    const toDate = allDay.checked;
    if (toDate) {
      if (start.value) timed = { start: start.value, end: end.value };
      const day = start.value.slice(0, 10);
      const last = lastDayOfTimed(start.value, end.value);
      start.type = end.type = 'date';
      start.value = day;
      end.value = last;
    } else {
      const day = start.value;
      start.type = end.type = 'datetime-local';
      if (timed && timed.start.slice(0, 10) === day) {
        start.value = timed.start;
        end.value = timed.end;
      } else if (day) {
        start.value = `${day}T09:00`;
        end.value = shifted(start.value, 3600000);
      }
    }
    lastStart = start.value;
    tzRow.hidden = toDate;
  });
  // Moving the start keeps the length (Nextcloud and most calendar apps do the same).
  start.addEventListener('change', () => {
    if (start.value && lastStart && end.value) end.value = shifted(end.value, between(lastStart, start.value));
    if (end.value && end.value < start.value) end.value = start.value;
    lastStart = start.value;
  });
  const tzRow = field(t('event.timeZone'), tz);
  tzRow.hidden = base.allDay;

  const source = target?.collection.source ?? state.ownSource();
  const organizer = base.organizer ?? (me.emails[0] ? { email: me.emails[0], name: me.name } : null);
  // RFC 6638 §5: the invited's busy time on the meeting's day, for the organizer to pick a time.
  let grid: FreeBusyGrid | null = null;
  const attendees = attendeesEditor(
    base.attendees,
    base.organizer,
    !mine,
    (q) => suggestAddresses(state, q),
    () => grid?.refresh(),
  );
  grid =
    source && organizer && !mine
      ? freeBusyGrid(source, () =>
          allDay.checked
            ? null
            : {
                people: [organizer, ...attendees.read()],
                start: start.value,
                end: end.value,
                tz: tz.value.trim() || displayZone(),
              },
        )
      : null;
  for (const input of [start, end, tz, allDay]) input.addEventListener('change', () => grid?.refresh());
  const reply = mine ? rsvpFields(mine) : null;

  const body = h(
    'div.editor',
    {},
    title,
    h('div.grid2', {}, field(t('common.calendar'), calendar), h('label.check', {}, allDay, ` ${t('event.allDay')}`)),
    h('div.grid2', {}, field(t('event.starts'), start), field(t('event.ends'), end)),
    tzRow,
    tzList,
    field(t('event.location'), location),
    field(t('common.description'), description),
    h(
      'fieldset',
      {},
      h('legend', {}, t('event.reminders')),
      reminders,
      h('button.link', { type: 'button', onclick: () => addReminder(15) }, t('event.addReminder')),
    ),
    attendees.el,
    grid?.el,
    reply?.el,
    recurrence.el,
  );
  // A calendar the user may only read (a subscription, a calendar shared with read access): shown, not editable.
  const locked = !!target?.collection.dav.readOnly;
  // An attendee's copy of someone else's meeting: the details are the organizer's; the answer is theirs.
  if (mine || locked)
    for (const c of body.querySelectorAll<HTMLInputElement>(
      locked
        ? 'input, select, textarea, fieldset button'
        : 'input:not([name=comment]), select, textarea:not([name=comment])',
    ))
      c.disabled = true;
  const buttons: { label: string; value: string; kind?: string }[] = [{ label: t('dialog.cancel'), value: 'cancel' }];
  if (target && !locked) buttons.push({ label: t('common.delete'), value: 'delete', kind: 'danger' });
  if (locked) buttons[0] = { label: t('dialog.close'), value: 'cancel', kind: 'primary' };
  else if (mine)
    buttons.push(
      ...RSVP.map(([value, key]) => ({ label: t(key), value, kind: value === mine.status ? 'primary' : '' })),
    );
  else buttons.push({ label: t('common.save'), value: 'save', kind: 'primary' });
  const { el, result } = modal(target ? t('event.edit') : t('calendar.newEvent'), body, buttons, { wide: true });
  grid?.refresh();
  el.querySelector('button[value=save]')?.addEventListener('click', (e) => {
    if (!title.value.trim() || !start.value || !end.value) {
      e.preventDefault();
      (title.value.trim() ? start : title).reportValidity();
    }
  });
  const action = await result;
  const form: EventForm = {
    ...base,
    title: title.value,
    location: location.value,
    description: description.value,
    allDay: allDay.checked,
    start: start.value,
    end: allDay.checked && end.value ? dayAfter(end.value) : end.value,
    tz: tz.value.trim() || displayZone(),
    reminders: Array.from(reminders.querySelectorAll<HTMLSelectElement>('select')).map((s) => Number(s.value)),
    rule: recurrence.read(),
    attendees: attendees.read(),
  };
  if (form.attendees.length > 0 && !form.organizer) {
    if (!me.emails[0]) return showError(new Error(t('event.noAddress')));
    form.organizer = { email: me.emails[0], name: me.name };
  }
  const reopen = async (): Promise<void> => {
    if (target) {
      await state.sync(target.collection);
      await openEventEditor(state, target, {});
    }
  };
  try {
    if (mine && target && existing && RSVP.some(([value]) => value === action)) {
      await answer(state, target, existing, me, action as PartStat, reply?.comment() ?? '', isOverride);
      return;
    }
    if (action === 'save') {
      if (!target) {
        const col = calendars.find((c) => c.key === calendar.value) ?? calendars[0];
        if (!col) throw new Error(t('event.noCalendar'));
        const { uid, data } = createEvent(form);
        await state.save(col, AppState.memberHref(col, uid, '.ics'), data, null, 'text/calendar; charset=utf-8');
        return;
      }
      const scope: Scope | null = isOverride ? await scopeDialog('change') : 'all';
      if (!scope) return;
      // Against the version the editor showed: if it changed meanwhile (a live update may already
      // have brought the new one in), If-Match fails with 412 and the user is offered a reload,
      // instead of silently writing this form over the other change.
      await saveEdit(state, target, form, scope, existing);
    } else if (action === 'delete' && target) {
      // Ask first (which occurrences, for a repeating event), then offer Undo.
      const scope: Scope | null = isOverride
        ? await scopeDialog('delete')
        : (await confirmDialog(
              t('event.deleteTitle'),
              t('event.deleteQuestion', { title: base.title || t('common.untitled') }),
              t('common.delete'),
              true,
            ))
          ? 'all'
          : null;
      if (!scope) return;
      const undo = await deleteWithScope(state, target, scope, existing);
      if (undo)
        toast(t('event.deleted', { title: base.title || t('common.untitled') }), 'info', {
          label: t('common.undo'),
          run: () => void undo().catch((err: unknown) => showError(err)),
        });
    }
  } catch (err) {
    await showError(err, reopen);
  }
}

/** The answer buttons of an invitation, in the order shown (RFC 5545 §3.2.12 PARTSTAT). */
const RSVP: readonly (readonly [PartStat, MessageKey])[] = [
  ['DECLINED', 'event.rsvp.decline'],
  ['TENTATIVE', 'event.rsvp.tentative'],
  ['ACCEPTED', 'event.rsvp.accept'],
];

/** The user's own ATTENDEE entry when the event is someone else's meeting they are invited to. */
function attendeeMode(form: EventForm, me: Me): Participant | null {
  const mail = (e: string): boolean => me.emails.some((m) => m.toLowerCase() === e.toLowerCase());
  if (!form.organizer || mail(form.organizer.email)) return null;
  return form.attendees.find((a) => mail(a.email)) ?? null;
}

/** Who invited the user, their answer so far, and a comment for the organizer. */
function rsvpFields(mine: Participant): { el: HTMLElement; comment: () => string } {
  const comment = h('input', {
    type: 'text',
    name: 'comment',
    value: mine.comment,
    placeholder: t('event.rsvp.comment'),
    'aria-label': t('event.rsvp.comment'),
  });
  const status = tOr(`event.partstat.${mine.status.toLowerCase()}`, mine.status.toLowerCase());
  const el = h(
    'div.rsvp',
    {},
    h('p', {}, t('event.onlyOrganizer')),
    h('p.your-answer', {}, t('event.rsvp.yours', { status })),
    comment,
  );
  return { el, comment: () => comment.value };
}

/**
 * Save the user's answer in their copy (RFC 6638 §3.2.2.1): the server sends the REPLY to the
 * organizer. For a repeating meeting opened on one occurrence, the user picks that one or all.
 */
async function answer(
  state: AppState,
  target: EditTarget,
  existing: StoredObject,
  me: Me,
  status: PartStat,
  comment: string,
  isOverride: boolean,
): Promise<void> {
  const scope: Scope | null = isOverride ? await scopeDialog('change') : 'all';
  if (!scope) return;
  const data = respondToEvent(existing.data, me, status, comment, scope === 'this' ? target.occurrence : null);
  await state.save(target.collection, target.href, data, existing.etag || null, 'text/calendar; charset=utf-8');
  toast(t('event.rsvp.sent', { status: tOr(`event.partstat.${status.toLowerCase()}`, status.toLowerCase()) }));
}

/** Write an edit; `base` is the version it was made on (default: the one held now). */
export async function saveEdit(
  state: AppState,
  target: EditTarget,
  form: EventForm,
  scope: Scope,
  base?: StoredObject,
): Promise<void> {
  const obj = base ?? target.collection.objects.get(target.href);
  if (!obj) throw new Error(t('event.gone'));
  const r = editEvent(obj.data, form, target.occurrence, scope);
  // Through the state, so that an edit made offline waits in the outbox (sync/outbox.ts).
  if (r.update !== null)
    await state.save(target.collection, target.href, r.update, obj.etag || null, 'text/calendar; charset=utf-8');
  if (r.create)
    await state.save(
      target.collection,
      AppState.memberHref(target.collection, r.create.uid, '.ics'),
      r.create.data,
      null,
      'text/calendar; charset=utf-8',
    );
}

/**
 * Delete one occurrence, this and following, or the whole object. Resolves with the undo: it
 * puts the exact previous text back, with If-None-Match: * where the object went and If-Match on
 * the version the delete wrote otherwise, so an undo never overwrites a change made meanwhile
 * (RFC 7232 §3.1–3.2; the server answers 412 and the user is told).
 */
export async function deleteWithScope(
  state: AppState,
  target: EditTarget,
  scope: Scope,
  base?: StoredObject,
): Promise<(() => Promise<void>) | null> {
  const obj = base ?? target.collection.objects.get(target.href);
  if (!obj) return null;
  const { collection, href } = target;
  // The copy held came through calendar-data in XML, whose parser turns CRLF into LF (XML 1.0
  // §2.11); iCalendar lines end in CRLF (RFC 5545 §3.1), so that is what goes back.
  const previous = obj.data.replace(/\r?\n/g, '\r\n');
  const r = deleteEvent(obj.data, target.occurrence, scope);
  if (r.update === null) {
    await state.remove(collection, href, obj.etag || null);
    return () => state.save(collection, href, previous, null, 'text/calendar; charset=utf-8');
  }
  await state.save(collection, href, r.update, obj.etag || null, 'text/calendar; charset=utf-8');
  return () => {
    const now = collection.objects.get(href);
    if (!now?.etag) return Promise.reject(new Error(t('event.cannotRestore')));
    return state.save(collection, href, previous, now.etag, 'text/calendar; charset=utf-8');
  };
}
