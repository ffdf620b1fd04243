/**
 * Connect a device in one step (issue #19), opened from the Account dialog. Each way makes a new
 * app password named for the device (http/app/onboarding-api.ts):
 * - Apple: a configuration profile (.mobileconfig, unsigned) with a CalDAV and a CardDAV account;
 * - Android: a QR code of a DAVx5 setup URL holding the user name and the password;
 * - Thunderbird 128+: the server's address, from which it discovers the calendars and address
 *   books (RFC 6764 well-known URLs; the server also answers Thunderbird's autoconfig).
 */
import './onboarding-dialog.css';
import { onboarding } from '../api.js';
import { t } from '../i18n/i18n.js';
import { modal, showError } from '../ui/dialog.js';
import { clear, download, field, h } from '../ui/dom.js';

function section(title: string, hint: string, ...body: HTMLElement[]): HTMLElement {
  return h('section.onboard-way', {}, h('h3', {}, title), h('p.hint', {}, hint), ...body);
}

/** Resolves when the dialog closes (the caller lists the new app passwords). */
export function onboardingDialog(userName: string): Promise<string> {
  const name = h('input', { type: 'text', name: 'device-name', maxlength: 100, required: true });
  const error = h('p.error', { role: 'alert' });
  /** The device name, or null (and a word to the user) when there is none yet. */
  const device = (): string | null => {
    const v = name.value.trim();
    error.textContent = v ? '' : t('onboard.nameNeeded');
    if (!v) name.focus();
    return v || null;
  };

  const appleDone = h('p.onboard-done', { role: 'status' });
  const apple = h('button.secondary', { type: 'button' }, t('onboard.appleDownload'));
  apple.addEventListener('click', () => {
    const d = device();
    if (!d) return;
    apple.disabled = true;
    onboarding
      .appleProfile(d)
      .then((text) => {
        download(`${userName}.mobileconfig`, text, 'application/x-apple-aspen-config');
        appleDone.textContent = t('onboard.appleDone');
      }, showError)
      .finally(() => (apple.disabled = false));
  });

  const qrBox = h('div.onboard-qr', { role: 'status' });
  const android = h('button.secondary', { type: 'button' }, t('onboard.androidShow'));
  android.addEventListener('click', () => {
    const d = device();
    if (!d) return;
    android.disabled = true;
    onboarding
      .davx5(d)
      .then((s) => {
        clear(qrBox);
        qrBox.append(
          h('img.davx5-qr', { src: s.qr, alt: t('onboard.qrAlt'), width: 240, height: 240 }),
          h('p', {}, h('code.davx5-url', {}, s.url)),
        );
      }, showError)
      .finally(() => (android.disabled = false));
  });

  const body = h(
    'div.onboard',
    {},
    h('p.hint', {}, t('onboard.hint')),
    field(t('account.deviceName'), name),
    error,
    section(t('onboard.apple'), t('onboard.appleHint'), apple, appleDone),
    section(t('onboard.android'), t('onboard.androidHint'), android, qrBox),
    section(
      t('onboard.thunderbird'),
      t('onboard.thunderbirdHint'),
      h('p', {}, h('code.server-address', {}, location.origin)),
    ),
  );
  return modal(t('onboard.title'), body, [{ label: t('dialog.close'), value: 'cancel' }], { wide: true }).result;
}
