import { t } from '../i18n/index.js';
import { h } from './dom.js';

/** The mark of an object changed here offline and waiting in the outbox (tasks, contacts; events use a class). */
export function pendingMark(): HTMLElement {
  return h(
    'span.pending-mark',
    { 'data-testid': 'pending', role: 'img', title: t('common.pending'), 'aria-label': t('common.pending') },
    '⏳',
  );
}
