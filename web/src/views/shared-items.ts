import { t } from '../i18n/i18n.js';
import type { AppState, Collection } from '../state.js';
import { confirmDialog, showError } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { shareDialog } from './share-dialog.js';

/** "Shared by Alice" under a collection someone else shared with the user (caldav-sharing §5.2.2 CS:organizer). */
export function ownerNote(c: Collection): HTMLElement | null {
  const by = c.dav.sharing?.sharedBy;
  return by === undefined
    ? null
    : h('span.owner', {}, by ? t('share.sharedBy', { name: by }) : t('share.sharedWithYou'));
}

/** Whether the collection is someone else's, shared with the user (an instance). */
export function isSharedIn(c: Collection): boolean {
  return c.dav.sharing?.sharedBy !== undefined;
}

/** The Share button, where the server allows sharing (§5.2.3 CS:can-be-shared); it says how many share it. */
export function shareButton(state: AppState, c: Collection): HTMLElement | null {
  if (!c.dav.sharing?.canShare) return null;
  const n = c.dav.sharing.sharedWith;
  return h(
    'button.icon',
    {
      type: 'button',
      title: n > 0 ? t('share.sharedWith', { count: n }) : t('share.button'),
      'aria-label': t('share.named', { name: c.dav.displayName }),
      'data-shared': String(n),
      onclick: () => void shareDialog(state, c).catch((err: unknown) => void showError(err)),
    },
    n > 0 ? '👥' : '👤',
  );
}

/**
 * Leave a collection shared with the user: DELETE of the instance ends the share for this user
 * only (§5.4.2; the owner's data stays).
 */
export function leaveButton(state: AppState, c: Collection): HTMLElement {
  return h(
    'button.icon',
    {
      type: 'button',
      title: t('share.leave'),
      'aria-label': t('share.leaveNamed', { name: c.dav.displayName }),
      onclick: () =>
        void (async () => {
          if (
            !(await confirmDialog(
              t('share.leaveQuestion', { name: c.dav.displayName }),
              t('share.leaveExplain'),
              t('share.leave'),
            ))
          )
            return;
          await c.source.client.delete(c.dav.href, null);
          await state.cache.clear(c.key);
          await state.discover(c.source);
        })().catch((err: unknown) => void showError(err)),
    },
    '⎋',
  );
}
