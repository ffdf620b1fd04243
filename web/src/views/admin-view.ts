/**
 * The Admin section (issue #19 item 6), a tab shown to admins only: users with their source,
 * admin flag, quota and storage use (RFC 4331); a new user; the default quota; groups. A user's
 * row opens their dialog (admin-user-dialog.ts). Everything here is also an `almanac` command.
 */
import './admin.css';
import { formatBytes } from '../../../src/formats/byte-size.js';
import { admin, type AdminOverview, type AdminUser } from '../admin-api.js';
import { t } from '../i18n/i18n.js';
import { showError, toast } from '../ui/dialog.js';
import { clear, field, h } from '../ui/dom.js';
import { groupsSection } from './admin-groups.js';
import { adminUserDialog } from './admin-user-dialog.js';

function quotaText(u: AdminUser): string {
  if (u.limit === null) return t('admin.unlimited');
  return u.quota === null ? t('admin.defaultQuotaOf', { size: formatBytes(u.limit) }) : formatBytes(u.limit);
}

function usage(u: AdminUser): HTMLElement {
  const cell = h('td.num', {}, formatBytes(u.used));
  if (u.limit !== null && u.limit > 0) {
    const share = Math.min(100, Math.round((u.used / u.limit) * 100));
    cell.append(
      h('meter.usage', { min: 0, max: 100, value: share, high: 90, 'aria-label': t('admin.usedShare', { share }) }),
    );
  }
  return cell;
}

function userRow(u: AdminUser, changed: () => void): HTMLElement {
  const open = h('button.link', { type: 'button', 'aria-haspopup': 'dialog' }, u.name);
  open.addEventListener('click', () => adminUserDialog(u, changed));
  return h(
    'tr',
    { 'data-user': u.name },
    h('th', { scope: 'row' }, open),
    h('td', {}, u.displayName ?? ''),
    h('td', {}, u.directory ?? t('admin.local')),
    h('td', {}, u.admin ? t('admin.yes') : ''),
    h('td', {}, quotaText(u)),
    usage(u),
  );
}

function usersTable(o: AdminOverview, changed: () => void): HTMLElement {
  const head = [
    'admin.user',
    'admin.displayName',
    'admin.source',
    'admin.isAdmin',
    'admin.quota',
    'admin.used',
  ] as const;
  return h(
    'table.admin-users',
    { 'aria-labelledby': 'admin-users' },
    h('thead', {}, h('tr', {}, ...head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...o.users.map((u) => userRow(u, changed))),
  );
}

function newUserForm(changed: () => void): HTMLElement {
  const name = h('input', { type: 'text', name: 'new-user', maxlength: 64, autocomplete: 'off' });
  const display = h('input', { type: 'text', name: 'new-display-name', maxlength: 200 });
  const email = h('input', { type: 'email', name: 'new-email', maxlength: 320 });
  const password = h('input', {
    type: 'password',
    name: 'new-user-password',
    autocomplete: 'new-password',
    placeholder: t('admin.generated'),
  });
  const shown = h('p', { role: 'status' });
  const create = h('button.primary', { type: 'button' }, t('admin.createUser'));
  create.addEventListener('click', () => {
    if (!name.value.trim()) return name.focus();
    admin
      .addUser({
        name: name.value.trim(),
        displayName: display.value.trim(),
        email: email.value.trim(),
        password: password.value,
      })
      .then(
        (made) => {
          clear(shown);
          if (made.password)
            shown.append(
              t('admin.generatedShown', { name: made.user.name }),
              ' ',
              h('code.new-password', {}, made.password),
            );
          else toast(t('admin.saved'));
          for (const i of [name, display, email, password]) i.value = '';
          changed();
        },
        (err: unknown) => void showError(err),
      );
  });
  return h(
    'div',
    {},
    h(
      'div.form-row',
      {},
      field(t('admin.user'), name),
      field(t('admin.displayName'), display),
      field(t('admin.email'), email),
      field(t('admin.password'), password),
      create,
    ),
    shown,
  );
}

function defaultQuotaForm(o: AdminOverview, changed: () => void): HTMLElement {
  const input = h('input', {
    type: 'text',
    name: 'default-quota',
    size: 10,
    value: o.defaultQuota === null ? '' : String(o.defaultQuota),
    placeholder: t('admin.unlimited'),
  });
  const save = h('button.secondary', { type: 'button' }, t('admin.setQuota'));
  save.addEventListener('click', () => {
    void admin
      .setDefaultQuota(input.value.trim() === '' ? null : input.value.trim())
      .then(changed, (err: unknown) => void showError(err));
  });
  return h('div.form-row', {}, field(t('admin.defaultQuota'), input), save, h('span.muted', {}, t('admin.quotaHint')));
}

/** The Admin tab's element; it loads (and reloads after every change) the overview. */
export function adminView(): HTMLElement {
  // Only the parts drawn from the overview are redrawn on a refresh: the new-user form stays, so
  // neither what the admin is typing nor the password just generated (shown once) is wiped when
  // the overview comes back after a change.
  const users = h('div', {});
  const quota = h('div', {});
  const groups = h('div', {});
  const render = (o: AdminOverview): void => {
    users.replaceChildren(usersTable(o, refresh));
    quota.replaceChildren(defaultQuotaForm(o, refresh));
    groups.replaceChildren(groupsSection(o, refresh));
  };
  const refresh = (): void => void admin.overview().then(render, (err: unknown) => void showError(err));
  const el = h(
    'div.admin',
    {},
    h(
      'section',
      { 'aria-labelledby': 'admin-users' },
      h('h2#admin-users', {}, t('admin.users')),
      users,
      h('h3', {}, t('admin.newUser')),
      newUserForm(refresh),
    ),
    h('section', { 'aria-labelledby': 'admin-quota' }, h('h2#admin-quota', {}, t('admin.quotas')), quota),
    groups,
  );
  refresh();
  return el;
}
