import { answerInvitation, readInvitations, type ShareInvitation } from '../dav/sharing.js';
import { t } from '../i18n/i18n.js';
import type { AppState, Source } from '../state.js';
import { showError, toast } from '../ui/dialog.js';
import { clear, h } from '../ui/dom.js';

/** What the invitation offers, in one line: "Alice shares “Team” (calendar, can edit)". */
function describe(inv: ShareInvitation): string {
  const name = inv.summary || decodeURIComponent(inv.hostUrl.replace(/\/$/, '').split('/').pop() ?? '');
  return t(inv.kind === 'addressbook' ? 'shareInvites.offerBook' : 'shareInvites.offerCalendar', {
    from: inv.from || t('shareInvites.someone'),
    name,
    access: t(inv.access === 'read-write' ? 'share.readWrite' : 'share.read'),
  });
}

/**
 * Calendars and address books others shared with the user, waiting for an answer
 * (caldav-sharing §4: CS:invite-notification in the notification collection, CS:notification-URL),
 * with Accept and Decline (§5.4.1 CS:invite-reply POSTed to the home). An accepted share appears
 * in the sidebar at once (the homes are listed again) with its owner, and read-only when the
 * access is read. Reloaded when the notice stream names the notification collection.
 */
export function shareInvitationsPanel(state: AppState, source: Source): HTMLElement {
  const el = h('section.invitations.share-invitations', {
    'aria-label': t('shareInvites.label'),
    'data-source': source.id,
    hidden: true,
  });
  let waiting: ShareInvitation[] = [];

  const render = (): void => {
    clear(el);
    el.hidden = waiting.length === 0;
    el.append(
      h('h4', {}, t('shareInvites.waiting', { n: String(waiting.length) })),
      h(
        'ul.invitation-list',
        {},
        ...waiting.map((inv) =>
          h(
            'li.invitation.share-invitation',
            { 'data-uid': inv.uid },
            h('span.summary', {}, describe(inv)),
            h(
              'span.actions',
              {},
              h(
                'button.secondary.small',
                { type: 'button', onclick: () => void answer(inv, true) },
                t('shareInvites.accept'),
              ),
              h(
                'button.secondary.small',
                { type: 'button', onclick: () => void answer(inv, false) },
                t('shareInvites.decline'),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const load = async (): Promise<void> => {
    if (!source.notifications) return;
    const all = await readInvitations(source.client, source.notifications);
    waiting = all.filter((i) => i.status === 'pending');
    render();
  };

  const answer = async (inv: ShareInvitation, accept: boolean): Promise<void> => {
    const home = inv.kind === 'addressbook' ? source.addressbookHome : source.calendarHome;
    const me = source.me?.emails[0] ? `mailto:${source.me.emails[0]}` : source.principal;
    if (!home || !me) return;
    try {
      await answerInvitation(source.client, home, me, inv, accept);
      waiting = waiting.filter((w) => w.uid !== inv.uid);
      render();
      toast(t(accept ? 'shareInvites.accepted' : 'shareInvites.declined'));
      if (accept) await state.discover(source);
    } catch (err) {
      await showError(err);
    }
  };

  state.on((c) => {
    if (c.kind !== 'notifications' || c.source !== source) return;
    // An invitation came or went; a withdrawn share also takes its calendar away.
    void load()
      .then(() => state.discover(source))
      .catch((err: unknown) => console.error(err));
  });
  // The notification collection is known once discovery ran (once per page load).
  if (source.notifications) {
    void load().catch((err: unknown) => console.error(err));
    return el;
  }
  const first = state.on((c) => {
    if (c.kind === 'collections' && source.notifications) {
      first();
      void load().catch((err: unknown) => console.error(err));
    }
  });
  return el;
}
