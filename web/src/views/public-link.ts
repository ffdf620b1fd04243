import { publicLinks, type PublicLinkInfo } from '../api.js';
import { t } from '../i18n/i18n.js';
import type { Collection } from '../state.js';
import { confirmDialog, showError, toast } from '../ui/dialog.js';
import { clear, h } from '../ui/dom.js';

/**
 * The share dialog's "Public link" part (issue #17 item 7), for the user's own calendars on
 * Almanac: a switch that publishes the calendar as one read-only .ics anyone with the link can
 * subscribe to (http/public-calendar-route.ts), the link to copy, and "New link", which ends the
 * old one. Turning the switch off ends the link at once, on every node.
 */
export function publicLinkSection(c: Collection): HTMLElement {
  const el = h('section.public-link', { 'aria-label': t('publicLink.title') });
  const box = h('input', { type: 'checkbox', name: 'public-link' });
  const body = h('div.public-link-body');
  let info: PublicLinkInfo = { published: false, path: null, createdAt: null };

  const render = (): void => {
    box.checked = info.published;
    clear(body);
    if (!info.published) return;
    if (!info.path) {
      body.append(h('p.hint', {}, t('publicLink.unreadable')));
      return;
    }
    const url = h('input', {
      type: 'text',
      readonly: true,
      name: 'public-url',
      value: new URL(info.path, location.origin).toString(),
      'aria-label': t('publicLink.url'),
      onfocus: (e) => (e.target as HTMLInputElement).select(),
    });
    const copy = (): void => {
      url.select();
      navigator.clipboard
        .writeText(url.value)
        .then(() => toast(t('publicLink.copied')))
        .catch(() => toast(t('publicLink.copyByHand')));
    };
    body.append(
      url,
      h(
        'div.public-link-actions',
        {},
        h('button.secondary.small', { type: 'button', onclick: copy }, t('publicLink.copy')),
        h('button.secondary.small', { type: 'button', onclick: () => void renew() }, t('publicLink.renew')),
      ),
    );
  };

  const change = async (published: boolean, again = false): Promise<void> => {
    box.disabled = true;
    try {
      info = await publicLinks.set(c.dav.href, published, again);
    } catch (err) {
      await showError(err);
    } finally {
      box.disabled = false;
      render();
    }
  };
  const renew = async (): Promise<void> => {
    if (await confirmDialog(t('publicLink.renewQuestion'), t('publicLink.renewExplain'), t('publicLink.renew')))
      await change(true, true);
  };
  box.addEventListener('change', () => void change(box.checked));

  el.append(
    h('h3', {}, t('publicLink.title')),
    h('label.field.checkbox', {}, box, h('span', {}, t('publicLink.toggle'))),
    h('p.hint', {}, t('publicLink.hint')),
    body,
  );
  void publicLinks
    .get(c.dav.href)
    .then((i) => {
      info = i;
      render();
    })
    .catch((err: unknown) => console.error(err));
  return el;
}
