import { answerInvitation, readInvitation, type Invitation } from '../../../src/formats/ical/invitation.js';
import type { PartStat } from '../../../src/formats/ical/participants.js';
import { invitations as invitationsApi } from '../api.js';
import type { DavObject } from '../dav/client.js';
import { formatDate, formatDateTime, t, tOr } from '../i18n/index.js';
import { AppState, type Collection, type Source } from '../state.js';
import { showError, toast } from '../ui/dialog.js';
import { clear, h } from '../ui/dom.js';

interface Waiting {
  readonly invitation: Invitation;
  /** The request to answer: the newest the organizer sent (highest SEQUENCE). */
  readonly message: DavObject;
  /** Every inbox message of this UID (answered together). */
  readonly hrefs: string[];
}

const ICS = 'text/calendar; charset=utf-8';

/** The REQUESTs in the inbox, one per UID, the newest kept. */
function requests(messages: readonly DavObject[]): Waiting[] {
  const byUid = new Map<string, Waiting>();
  for (const message of messages) {
    const invitation = readInvitation(message.data.replace(/\r?\n/g, '\r\n'));
    if (!invitation) continue;
    const prior = byUid.get(invitation.uid);
    const hrefs = [...(prior?.hrefs ?? []), message.href];
    const newest = !prior || invitation.sequence >= prior.invitation.sequence;
    byUid.set(invitation.uid, newest ? { invitation, message, hrefs } : { ...prior, hrefs });
  }
  return [...byUid.values()];
}

/** Whether an event of this UID is already in one of the source's calendars (taken in, or processed by the server). */
function inCalendar(state: AppState, source: Source, uid: string): boolean {
  const line = `UID:${uid}`;
  const probe = uid.slice(0, 40);
  return state
    .calendars()
    .filter((c) => c.source === source)
    .some((c) =>
      [...c.objects.values()].some((o) => o.data.includes(probe) && o.data.replace(/\r?\n[ \t]/g, '').includes(line)),
    );
}

/** Where an answered invitation goes: the writable calendar named `default` (Almanac's), else the first writable one for events. */
function targetCalendar(state: AppState, source: Source): Collection | undefined {
  const writable = state
    .calendars()
    .filter(
      (c) =>
        c.source === source &&
        !c.dav.readOnly &&
        (c.dav.components.length === 0 || c.dav.components.includes('VEVENT')),
    );
  return writable.find((c) => /\/default\/?$/.test(c.dav.href)) ?? writable[0];
}

/** One waiting invitation with its three answers. */
function invitationItem(w: Waiting, answer: (w: Waiting, status: PartStat) => Promise<void>): HTMLElement {
  const { invitation: inv } = w;
  const when = inv.start ? (inv.allDay ? formatDate(inv.start) : formatDateTime(inv.start)) : '';
  const from = inv.organizer ? inv.organizer.name || inv.organizer.email : '';
  const button = (label: string, status: PartStat): HTMLElement =>
    h(
      'button.secondary.small',
      {
        type: 'button',
        'aria-label': `${label}: ${inv.summary}`,
        onclick: () => void answer(w, status).catch((err: unknown) => void showError(err)),
      },
      label,
    );
  return h(
    'li.invitation',
    { 'data-uid': inv.uid },
    h('span.summary', {}, inv.summary || t('invitations.untitled')),
    h('span.when', {}, when),
    from ? h('span.from', {}, t('invitations.from', { name: from })) : null,
    h(
      'span.actions',
      {},
      button(t('event.rsvp.accept'), 'ACCEPTED'),
      button(t('event.rsvp.tentative'), 'TENTATIVE'),
      button(t('event.rsvp.decline'), 'DECLINED'),
    ),
  );
}

/**
 * RFC 6638 §4: the invitations waiting in the account's scheduling inbox — those the server did
 * not put into a calendar (the user takes invitations in by hand, or the server does not process
 * them) — with Accept / Maybe / Decline. An answer stores the event in the user's calendar with
 * their PARTSTAT (the server sends the REPLY, §3.2.2) and removes the request from the inbox.
 * On Almanac itself, also the setting that decides whether invitations wait here at all.
 */
export function invitationsPanel(state: AppState, source: Source): HTMLElement {
  const el = h('section.invitations', { 'aria-label': t('invitations.label'), 'data-source': source.id });
  let inbox: DavObject[] = [];
  let auto: boolean | null = null;

  const answer = async (w: Waiting, status: PartStat): Promise<void> => {
    const calendar = targetCalendar(state, source);
    if (!calendar || !source.me) return showError(new Error(t('invitations.noCalendar')));
    const data = answerInvitation(w.message.data.replace(/\r?\n/g, '\r\n'), source.me, status, '');
    await state.save(calendar, AppState.memberHref(calendar, w.invitation.uid, '.ics'), data, null, ICS);
    for (const href of w.hrefs) await source.client.delete(href, null);
    inbox = inbox.filter((m) => !w.hrefs.includes(m.href));
    toast(t('event.rsvp.sent', { status: tOr(`event.partstat.${status.toLowerCase()}`, status.toLowerCase()) }));
    render();
  };

  const setting = (): HTMLElement | null => {
    if (source.remote || auto === null) return null;
    const box = h('input', { type: 'checkbox', name: 'auto-invitations', checked: auto });
    box.addEventListener('change', () => {
      invitationsApi
        .set(box.checked)
        .then((r) => (auto = r.auto))
        .catch((err: unknown) => {
          box.checked = !box.checked;
          void showError(err);
        });
    });
    return h('label.field.checkbox', {}, box, h('span', {}, t('invitations.auto')));
  };

  function render(): void {
    clear(el);
    const waiting = requests(inbox).filter((w) => !inCalendar(state, source, w.invitation.uid));
    el.hidden = waiting.length === 0 && setting() === null;
    el.append(
      h(
        'h4',
        {},
        waiting.length > 0 ? t('invitations.waiting', { n: String(waiting.length) }) : t('invitations.label'),
      ),
      waiting.length > 0 ? h('ul.invitation-list', {}, ...waiting.map((w) => invitationItem(w, answer))) : '',
      setting() ?? '',
    );
  }

  const load = async (): Promise<void> => {
    if (!source.inbox) return;
    const members = await source.client.listEtags(source.inbox);
    inbox = await source.client.multiget(
      source.inbox,
      'calendar',
      members.map((m) => m.href),
    );
    render();
  };

  state.on((c) => {
    if (c.kind === 'inbox' && c.source === source) void load().catch((err: unknown) => console.error(err));
    // A request whose event reached a calendar meanwhile (another client answered) is not waiting.
    else if (c.kind === 'objects' && c.collection.source === source && inbox.length > 0) render();
  });
  if (!source.remote)
    void invitationsApi
      .get()
      .then((r) => {
        auto = r.auto;
        render();
      })
      .catch((err: unknown) => console.error(err));
  void load().catch((err: unknown) => console.error(err));
  render();
  return el;
}
