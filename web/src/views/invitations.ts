import { acceptProposal, answerInvitation } from '../../../src/formats/ical/invitation.js';
import type { PartStat } from '../../../src/formats/ical/participants.js';
import { invitations as invitationsApi } from '../api.js';
import type { DavObject } from '../dav/client.js';
import {
  crlf,
  targetCalendar,
  waitingInvitations,
  waitingProposals,
  type Proposed,
  type Waiting,
} from './inbox-items.js';
import { formatDate, formatDateTime, formatTime, t, tOr } from '../i18n/index.js';
import { AppState, type Source } from '../state.js';
import { showError, toast } from '../ui/dialog.js';
import { clear, h } from '../ui/dom.js';

const ICS = 'text/calendar; charset=utf-8';

/** A small button acting on one item, named with the item for screen readers; a failure is said. */
function actionButton(label: string, item: string, action: () => Promise<void>): HTMLElement {
  return h(
    'button.secondary.small',
    {
      type: 'button',
      'aria-label': `${label}: ${item}`,
      onclick: () => void action().catch((err: unknown) => void showError(err)),
    },
    label,
  );
}

/** One waiting invitation with its three answers. */
function invitationItem(w: Waiting, answer: (w: Waiting, status: PartStat) => Promise<void>): HTMLElement {
  const { invitation: inv } = w;
  const when = inv.start ? (inv.allDay ? formatDate(inv.start) : formatDateTime(inv.start)) : '';
  const from = inv.organizer ? inv.organizer.name || inv.organizer.email : '';
  const button = (label: string, status: PartStat): HTMLElement =>
    actionButton(label, inv.summary, () => answer(w, status));
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

/** One counter-proposal with the organizer's two choices. */
function proposalItem(p: Proposed, act: (p: Proposed, take: boolean) => Promise<void>): HTMLElement {
  const { proposal } = p;
  const when = proposal.start
    ? proposal.allDay
      ? formatDate(proposal.start)
      : `${formatDateTime(proposal.start)}${proposal.end ? `–${formatTime(proposal.end)}` : ''}`
    : '';
  const who = proposal.from ? proposal.from.name || proposal.from.email : '';
  const button = (label: string, take: boolean): HTMLElement => actionButton(label, p.summary, () => act(p, take));
  return h(
    'li.invitation.proposal',
    { 'data-uid': proposal.uid },
    h('span.summary', {}, p.summary || t('invitations.untitled')),
    h('span.when', {}, t('invitations.proposes', { name: who, when })),
    proposal.comment ? h('span.from', {}, `“${proposal.comment}”`) : null,
    h('span.actions', {}, button(t('invitations.takeProposal'), true), button(t('invitations.dismiss'), false)),
  );
}

/** The auto-processing setting of Almanac (http/app/invitations-api.ts); a refused change is undone and said. */
function autoCheckbox(auto: boolean, stored: (auto: boolean) => void): HTMLElement {
  const box = h('input', { type: 'checkbox', name: 'auto-invitations', checked: auto });
  box.addEventListener('change', () => {
    invitationsApi
      .set(box.checked)
      .then((r) => stored(r.auto))
      .catch((err: unknown) => {
        box.checked = !box.checked;
        void showError(err);
      });
  });
  return h('label.field.checkbox', {}, box, h('span', {}, t('invitations.auto')));
}

/**
 * RFC 6638 §4: the invitations waiting in the account's scheduling inbox — those the server did
 * not put into a calendar (the user takes invitations in by hand, or the server does not process
 * them) — with Accept / Maybe / Decline. An answer stores the event in the user's calendar with
 * their PARTSTAT (the server sends the REPLY, §3.2.2) and removes the request from the inbox.
 * Counter-proposals for the user's own meetings (RFC 5546 §3.2.7) are shown with "Take this
 * time" — the event is saved with the proposed time, so the server sends everyone the new REQUEST
 * — and Dismiss; either removes the proposal from the inbox.
 * On Almanac itself, also the setting that decides whether invitations wait here at all.
 */
export function invitationsPanel(state: AppState, source: Source): HTMLElement {
  const el = h('section.invitations', { 'aria-label': t('invitations.label'), 'data-source': source.id });
  let inbox: DavObject[] = [];
  let auto: boolean | null = null;

  const answer = async (w: Waiting, status: PartStat): Promise<void> => {
    const calendar = targetCalendar(state, source);
    if (!calendar || !source.me) return showError(new Error(t('invitations.noCalendar')));
    const data = answerInvitation(crlf(w.message.data), source.me, status, '');
    await state.save(calendar, AppState.memberHref(calendar, w.invitation.uid, '.ics'), data, null, ICS);
    for (const href of w.hrefs) await source.client.delete(href, null);
    inbox = inbox.filter((m) => !w.hrefs.includes(m.href));
    toast(t('event.rsvp.sent', { status: tOr(`event.partstat.${status.toLowerCase()}`, status.toLowerCase()) }));
    render();
  };

  const decide = async (p: Proposed, take: boolean): Promise<void> => {
    if (take)
      await state.save(
        p.collection,
        p.event.href,
        acceptProposal(crlf(p.event.data), crlf(p.message.data)),
        p.event.etag || null,
        ICS,
      );
    await source.client.delete(p.message.href, null);
    inbox = inbox.filter((m) => m.href !== p.message.href);
    if (take) toast(t('invitations.proposalTaken'));
    render();
  };

  const setting = (): HTMLElement | null =>
    source.remote || auto === null ? null : autoCheckbox(auto, (v) => (auto = v));

  function render(): void {
    clear(el);
    const waiting = waitingInvitations(state, source, inbox);
    const proposals = waitingProposals(state, source, inbox);
    const count = waiting.length + proposals.length;
    el.hidden = count === 0 && setting() === null;
    el.append(
      h('h4', {}, count > 0 ? t('invitations.waiting', { n: String(count) }) : t('invitations.label')),
      count > 0
        ? h(
            'ul.invitation-list',
            {},
            ...waiting.map((w) => invitationItem(w, answer)),
            ...proposals.map((p) => proposalItem(p, decide)),
          )
        : '',
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
