/**
 * One user in the Admin section: admin flag, quota, new password, two-factor off, the user's
 * devices (app passwords, SyncML devices, WebDAV-Push subscriptions; each removable) and
 * deletion after a confirmation. Each action is also an `almanac` command (docs/DEPLOY.md).
 */
import { admin, type AdminDevices, type AdminUser } from '../admin-api.js';
import { formatDateTime } from '../i18n/dates.js';
import { t } from '../i18n/i18n.js';
import { confirmDialog, modal, showError, toast } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';

const when = (ms: number | null): string => (ms === null ? t('admin.never') : formatDateTime(new Date(ms), 'short'));

function deviceList(
  label: string,
  items: { id: string; name: string; detail: string }[],
  remove: (id: string) => Promise<unknown>,
  removeLabel: string,
): HTMLElement {
  const list = h('ul', { 'aria-label': label });
  for (const item of items) {
    const button = h(
      'button.secondary.danger.small',
      { type: 'button', 'aria-label': `${removeLabel}: ${item.name}` },
      removeLabel,
    );
    button.addEventListener('click', () => {
      button.disabled = true;
      remove(item.id).then(
        () => button.closest('li')?.remove(),
        (err: unknown) => {
          button.disabled = false;
          void showError(err);
        },
      );
    });
    list.append(
      h('li', { 'data-id': item.id }, h('span.name', {}, item.name), h('span.muted', {}, item.detail), button),
    );
  }
  if (items.length === 0) list.append(h('li.muted', {}, t('admin.none')));
  return h('div', {}, h('h3', {}, label), list);
}

function devicesSection(name: string, d: AdminDevices): HTMLElement {
  return h(
    'div.admin-devices',
    {},
    deviceList(
      t('admin.appPasswords'),
      d.appPasswords.map((p) => ({
        id: p.id,
        name: p.name,
        detail: t('admin.lastUsed', { when: when(p.lastUsedAt) }),
      })),
      (id) => admin.removeDevice(name, 'app-passwords', id),
      t('admin.revoke'),
    ),
    deviceList(
      t('admin.syncmlDevices'),
      d.syncml.map((s) => ({
        id: s.id,
        name: s.model ?? s.id,
        detail: t('admin.lastSync', { when: when(s.lastSyncAt) }),
      })),
      (id) => admin.removeDevice(name, 'syncml', id),
      t('admin.reset'),
    ),
    deviceList(
      t('admin.pushSubscriptions'),
      d.push.map((p) => ({ id: p.id, name: p.collection, detail: p.pushService })),
      (id) => admin.removeDevice(name, 'push', id),
      t('admin.remove'),
    ),
  );
}

function settingsSection(u: AdminUser, changed: () => void): HTMLElement {
  const isAdmin = h('input', { type: 'checkbox', name: 'admin', checked: u.admin });
  isAdmin.addEventListener('change', () => {
    admin.update(u.name, { admin: isAdmin.checked }).then(changed, (err: unknown) => {
      isAdmin.checked = !isAdmin.checked;
      void showError(err);
    });
  });
  const quota = h('input', {
    type: 'text',
    name: 'quota',
    value: u.quota === null ? '' : String(u.quota),
    placeholder: t('admin.quotaDefault'),
    size: 10,
  });
  const saveQuota = h('button.secondary', { type: 'button' }, t('admin.setQuota'));
  saveQuota.addEventListener('click', () => {
    admin.update(u.name, { quota: quota.value.trim() === '' ? null : quota.value.trim() }).then(
      () => {
        toast(t('admin.saved'));
        changed();
      },
      (err: unknown) => void showError(err),
    );
  });
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password' });
  const savePassword = h('button.secondary', { type: 'button' }, t('admin.setPassword'));
  savePassword.addEventListener('click', () => {
    if (!password.value) return password.focus();
    admin.setPassword(u.name, password.value).then(
      () => {
        password.value = '';
        toast(t('admin.saved'));
      },
      (err: unknown) => void showError(err),
    );
  });
  const totp = u.totp ? h('button.secondary', { type: 'button' }, t('admin.totpOff')) : null;
  totp?.addEventListener(
    'click',
    () =>
      void admin.totpOff(u.name).then(
        () => {
          totp.remove();
          changed();
        },
        (err: unknown) => void showError(err),
      ),
  );
  return h(
    'div',
    {},
    h('label.field.checkbox', {}, isAdmin, ' ', t('admin.isAdmin')),
    h('div.form-row', {}, field(t('admin.quota'), quota), saveQuota),
    h('p.muted', {}, t('admin.quotaHint')),
    u.directory
      ? h('p.muted', {}, t('admin.fromDirectory', { directory: u.directory }))
      : h('div.form-row', {}, field(t('admin.newPassword'), password), savePassword),
    totp,
  );
}

export function adminUserDialog(u: AdminUser, changed: () => void): void {
  const devices = h('div', { role: 'status' }, t('admin.loading'));
  const remove = h('button.danger', { type: 'button' }, t('admin.deleteUser'));
  const body = h(
    'div.admin-user',
    {},
    settingsSection(u, changed),
    devices,
    h('h3', {}, t('admin.dangerZone')),
    remove,
  );
  const { el } = modal(t('admin.userTitle', { name: u.name }), body, [{ label: t('dialog.close'), value: 'cancel' }], {
    wide: true,
  });
  remove.addEventListener('click', () => {
    void confirmDialog(
      t('admin.deleteUser'),
      t('admin.deleteConfirm', { name: u.name }),
      t('admin.deleteUser'),
      true,
    ).then((ok) => {
      if (!ok) return;
      admin.remove(u.name).then(
        () => {
          el.close();
          changed();
        },
        (err: unknown) => void showError(err),
      );
    });
  });
  admin.devices(u.name).then(
    (d) => {
      clear(devices);
      devices.append(devicesSection(u.name, d));
    },
    (err: unknown) => void showError(err),
  );
}
