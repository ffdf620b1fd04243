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
  /** A button that, given a device name, runs `make` with it (disabled meanwhile). */
  const action = (label: string, make: (device: string) => Promise<void>): HTMLButtonElement => {
    const button = h('button.secondary', { type: 'button' }, label);
    button.addEventListener('click', () => {
      const device = name.value.trim();
      error.textContent = device ? '' : t('onboard.nameNeeded');
      if (!device) return name.focus();
      button.disabled = true;
      make(device)
        .catch(showError)
        .finally(() => (button.disabled = false));
    });
    return button;
  };

  const appleDone = h('p.onboard-done', { role: 'status' });
  const apple = action(t('onboard.appleDownload'), async (device) => {
    const text = await onboarding.appleProfile(device);
    download(`${userName}.mobileconfig`, text, 'application/x-apple-aspen-config');
    appleDone.textContent = t('onboard.appleDone');
  });

  const qrBox = h('div.onboard-qr', { role: 'status' });
  const android = action(t('onboard.androidShow'), async (device) => {
    const s = await onboarding.davx5(device);
    clear(qrBox);
    qrBox.append(
      h('img.davx5-qr', { src: s.qr, alt: t('onboard.qrAlt'), width: 240, height: 240 }),
      h('p', {}, h('code.davx5-url', {}, s.url)),
    );
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
