/**
 * The Account dialog (issue #19), opened from the user name in the top bar: app passwords for
 * devices (made — the password shown once —, listed with their last use, revoked) and TOTP
 * two-factor login (RFC 6238): set up by scanning the QR code or typing the secret, turned on
 * and off with a code from the authenticator app.
 */
import './account-dialog.css';
import { account, ApiError, type AccountInfo, type AppPasswordInfo } from '../api.js';
import { formatDateTime } from '../i18n/dates.js';
import { t } from '../i18n/i18n.js';
import { modal, showError } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import { browserPushSection } from '../notify/web-push.js';

import { onboardingDialog } from './onboarding-dialog.js';

function scopeText(scopes: readonly string[]): string {
  if (scopes.length === 2) return t('account.scopeBoth');
  return scopes[0] === 'syncml' ? t('account.scope.syncml') : t('account.scope.dav');
}

function row(p: AppPasswordInfo, refresh: () => void): HTMLElement {
  const revoke = h('button.secondary.danger', { type: 'button' }, t('account.revoke'));
  revoke.addEventListener('click', () => {
    revoke.disabled = true;
    account.revokeAppPassword(p.id).then(refresh, (err: unknown) => void showError(err));
  });
  const used = p.lastUsedAt === null ? t('account.neverUsed') : formatDateTime(new Date(p.lastUsedAt), 'short');
  return h(
    'li.app-password',
    { 'data-id': p.id },
    h('span.name', {}, p.name),
    h('span.scope', {}, scopeText(p.scopes)),
    h('span.used', {}, t('account.lastUsed', { when: used })),
    revoke,
  );
}

function newPasswordForm(shown: HTMLElement, refresh: () => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'app-password-name', maxlength: 100 });
  const scope = h(
    'select',
    { name: 'app-password-scope' },
    h('option', { value: 'dav' }, t('account.scope.dav')),
    h('option', { value: 'syncml' }, t('account.scope.syncml')),
    h('option', { value: 'dav syncml' }, t('account.scopeBoth')),
  );
  const create = h('button.primary', { type: 'button' }, t('account.create'));
  create.addEventListener('click', () => {
    if (!name.value.trim()) return name.focus();
    account.addAppPassword(name.value.trim(), scope.value.split(' ')).then(
      (made) => {
        name.value = '';
        clear(shown);
        shown.append(h('p', {}, t('account.showOnce')), h('code.new-password', {}, made.password ?? ''));
        refresh();
      },
      (err: unknown) => void showError(err),
    );
  });
  return h('div.app-password-new', {}, field(t('account.deviceName'), name), field(t('account.scope'), scope), create);
}

/** A code field and a button that sends it; errors (a wrong code) are shown beside it. */
function codeForm(label: string, send: (code: string) => Promise<unknown>, done: () => void): HTMLElement {
  const code = h('input', {
    type: 'text',
    name: 'totp-code',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: 8,
  });
  const error = h('p.error', { role: 'alert' });
  const go = h('button.primary', { type: 'button' }, label);
  go.addEventListener('click', () => {
    send(code.value.trim()).then(done, (err: unknown) => {
      error.textContent = err instanceof ApiError && err.status === 400 ? t('account.wrongCode') : String(err);
    });
  });
  return h('div.totp-code', {}, field(t('account.code'), code), go, error);
}

function totpSection(info: AccountInfo, box: HTMLElement, refresh: () => void): void {
  if (info.totp) {
    box.append(
      h('p.totp-state', {}, t('account.totpOn')),
      codeForm(t('account.totpTurnOff'), account.totpOff, refresh),
    );
    return;
  }
  const start = h('button.secondary', { type: 'button' }, t('account.totpSetUp'));
  start.addEventListener('click', () => {
    account.totpSetup().then(
      (s) => {
        start.remove();
        box.append(
          h('p', {}, t('account.totpScan')),
          h('img.totp-qr', { src: s.qr, alt: t('account.totpQrAlt'), width: 180, height: 180 }),
          h('p', {}, t('account.totpSecret'), ' ', h('code.totp-secret', {}, s.secret)),
          h('p.totp-uri', {}, h('code', {}, s.uri)),
          codeForm(t('account.totpTurnOn'), account.totpOn, refresh),
        );
      },
      (err: unknown) => void showError(err),
    );
  });
  box.append(h('p.totp-state', {}, t('account.totpOff')), start);
}

export function accountDialog(): void {
  const list = h('ul.app-passwords', { 'aria-label': t('account.appPasswords') });
  const shown = h('div.app-password-shown', { role: 'status' });
  const totp = h('div.totp');
  const connect = h('button.secondary', { type: 'button' }, t('account.connect'));
  const render = (info: AccountInfo): void => {
    connect.onclick = () => void onboardingDialog(info.user).then(refresh);
    clear(list);
    for (const p of info.appPasswords) list.append(row(p, refresh));
    if (info.appPasswords.length === 0) list.append(h('li.empty', {}, t('account.noAppPasswords')));
    clear(totp);
    totpSection(info, totp, refresh);
  };
  const refresh = (): void => void account.get().then(render, (err: unknown) => void showError(err));
  const body = h(
    'div.account',
    {},
    h('h3', {}, t('account.appPasswords')),
    h('p.hint', {}, t('account.appPasswordsHint')),
    connect,
    list,
    newPasswordForm(shown, refresh),
    shown,
    h('h3', {}, t('account.totp')),
    h('p.hint', {}, t('account.totpHint')),
    totp,
    browserPushSection(),
  );
  modal(t('account.title'), body, [{ label: t('dialog.close'), value: 'cancel' }], { wide: true });
  refresh();
}
