/** Groups in the Admin section: create, delete (with confirmation), add and remove members. */
import { admin, type AdminOverview } from '../admin-api.js';
import { t } from '../i18n/i18n.js';
import { confirmDialog, showError } from '../ui/dialog.js';
import { field, h } from '../ui/dom.js';

function memberControls(group: string, members: string[], users: string[], changed: () => void): HTMLElement {
  const cell = h('td', {});
  for (const m of members) {
    const drop = h(
      'button.link.small',
      { type: 'button', 'aria-label': t('admin.removeMember', { name: m, group }) },
      '×',
    );
    drop.addEventListener(
      'click',
      () => void admin.setMember(group, m, false).then(changed, (err: unknown) => void showError(err)),
    );
    cell.append(h('span.member', {}, m, drop), ' ');
  }
  const others = users.filter((u) => !members.includes(u));
  if (others.length > 0) {
    const pick = h(
      'select',
      { 'aria-label': t('admin.addMemberTo', { group }) },
      h('option', { value: '' }, t('admin.addMember')),
      ...others.map((u) => h('option', { value: u }, u)),
    );
    pick.addEventListener('change', () => {
      if (pick.value)
        void admin.setMember(group, pick.value, true).then(changed, (err: unknown) => void showError(err));
    });
    cell.append(pick);
  }
  return cell;
}

export function groupsSection(o: AdminOverview, changed: () => void): HTMLElement {
  const users = o.users.map((u) => u.name);
  const rows = o.groups.map((g) => {
    const remove = h('button.secondary.danger.small', { type: 'button' }, t('admin.remove'));
    remove.addEventListener('click', () => {
      void confirmDialog(
        t('admin.deleteGroup'),
        t('admin.deleteGroupConfirm', { name: g.name }),
        t('admin.remove'),
        true,
      ).then((ok) => {
        if (ok) void admin.removeGroup(g.name).then(changed, (err: unknown) => void showError(err));
      });
    });
    return h(
      'tr',
      { 'data-group': g.name },
      h('th', { scope: 'row' }, g.name),
      memberControls(g.name, g.members, users, changed),
      h('td', {}, remove),
    );
  });
  const name = h('input', { type: 'text', name: 'group-name', maxlength: 64 });
  const add = h('button.secondary', { type: 'button' }, t('admin.addGroup'));
  add.addEventListener('click', () => {
    if (!name.value.trim()) return name.focus();
    void admin.addGroup(name.value.trim()).then(changed, (err: unknown) => void showError(err));
  });
  return h(
    'section',
    { 'aria-labelledby': 'admin-groups' },
    h('h2#admin-groups', {}, t('admin.groups')),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('admin.group')),
          h('th', { scope: 'col' }, t('admin.members')),
          h('th', {}),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
    h('div.form-row', {}, field(t('admin.groupName'), name), add),
  );
}
