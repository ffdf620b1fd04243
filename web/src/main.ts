import './styles.css';
import { ApiError, currentSession, lastSession, login, logout, type SessionInfo } from './api.js';
import * as dates from './i18n/dates.js';
import { keepAppShell } from './sync/app-shell.js';
import { applyDocumentLanguage, t } from './i18n/i18n.js';
import { languagePicker } from './i18n/language-picker.js';
import { startLive } from './live.js';
import { AppState } from './state.js';
import { showError } from './ui/dialog.js';
import { clear, h } from './ui/dom.js';
import { CalendarView } from './views/calendar-view.js';
import { ContactsView } from './views/contacts-view.js';
import { exportDialog, importDialog } from './views/import-export.js';
import { startReminders } from './notify/reminders.js';
import { searchBox } from './views/search.js';
import { sidebar } from './views/sidebar.js';
import { TasksView } from './views/tasks-view.js';
import { accountDialog } from './views/account-dialog.js';
import { ssoLogin } from './views/sso-login.js';

import { adminView } from './views/admin-view.js';

const root = document.getElementById('app')!;
applyDocumentLanguage();

/** The views hold their text: a language change renders the app anew (the session cookie and the IndexedDB cache make that quick). */
const rerender = (): void => location.reload();

/** Why a login failed, in the user's language; a 401 asking for the code shows the code field. */
function loginError(err: Error, codeShown: boolean): string {
  if (err instanceof ApiError && err.totp) return codeShown ? t('login.wrongCode') : t('login.codeNeeded');
  if (err instanceof ApiError && err.status === 401) return t('login.failed');
  if (err instanceof ApiError && err.status === 503) return t('login.unavailable');
  return err.message;
}

function loginView(message = ''): void {
  clear(root);
  const user = h('input', { type: 'text', name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  // Two-factor login (RFC 6238): shown once the server says the account needs a code.
  const code = h('input', { type: 'text', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' });
  const codeField = h('label.field', { hidden: true }, h('span.label', {}, t('login.code')), code);
  const error = h('p.error', { role: 'alert' }, message);
  const button = h('button.primary', { type: 'submit' }, t('login.submit'));
  const form = h(
    'form.login',
    { 'aria-label': t('login.title') },
    h('div.brand', {}, h('span.logo', { 'aria-hidden': 'true' }, 'A'), h('h1', {}, t('app.name'))),
    h('p.hint', {}, t('login.hint')),
    h('label.field', {}, h('span.label', {}, t('login.user')), user),
    h('label.field', {}, h('span.label', {}, t('login.password')), password),
    codeField,
    error,
    button,
    ssoLogin(error),
    h('div.login-language', {}, languagePicker(rerender)),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    const codeShown = !codeField.hidden;
    login(user.value.trim(), password.value, codeShown ? code.value.trim() : undefined)
      .then((s) => start(s))
      .catch((err: Error) => {
        error.textContent = loginError(err, codeShown);
        button.disabled = false;
        if (err instanceof ApiError && err.totp) {
          codeField.hidden = false;
          code.value = '';
          code.focus();
        } else password.select();
      });
  });
  root.append(h('main.login-page', {}, form));
  user.focus();
}

type Tab = 'calendar' | 'tasks' | 'contacts' | 'admin';

async function start(session: SessionInfo): Promise<void> {
  clear(root);
  root.append(h('div.loading', { role: 'status' }, t('app.loading')));
  const state = await AppState.open(session.user);
  const calendar = new CalendarView(state);
  const tasks = new TasksView(state);
  const contacts = new ContactsView(state);
  const reminders = startReminders(state);
  const views: Partial<Record<Tab, HTMLElement>> = { calendar: calendar.el, tasks: tasks.el, contacts: contacts.el };
  // The Admin tab (issue #19 item 6) for admins only; the server checks every call again.
  if (session.admin) views.admin = adminView();
  const main = h('main.content', { id: 'main', tabindex: -1 });
  const tabs = h('nav.tabs', { 'aria-label': t('topbar.sections'), role: 'tablist' });
  const live = h('span.live', { title: t('topbar.live'), role: 'img', 'aria-label': t('topbar.live') }, '●');
  const side = sidebar(state);
  const shell = h(
    'div.shell',
    {},
    // WCAG 2.4.1: the first Tab stop skips the top bar and the calendar list.
    h(
      'a.skip-link',
      {
        href: '#main',
        onclick: (e) => {
          e.preventDefault();
          main.focus();
        },
      },
      t('app.skipToContent'),
    ),
    h(
      'header.topbar',
      {},
      h(
        'button.icon.menu',
        {
          type: 'button',
          'aria-label': t('topbar.menu'),
          'aria-expanded': 'false',
          onclick: (e) => {
            const open = shell.classList.toggle('side-open');
            (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
          },
        },
        '☰',
      ),
      h('h1.brand', {}, h('span.logo', { 'aria-hidden': 'true' }, 'A'), h('span', {}, t('app.name'))),
      tabs,
      searchBox(state, (d) => calendar.gotoDate(d)),
      h('span.spacer'),
      h('button.secondary', { type: 'button', onclick: () => void importDialog(state) }, t('topbar.import')),
      h('button.secondary', { type: 'button', onclick: () => void exportDialog(state) }, t('topbar.export')),
      languagePicker(rerender),
      reminders.bell,
      live,
      h(
        'button.link.user',
        { type: 'button', title: t('topbar.account'), 'aria-haspopup': 'dialog', onclick: () => accountDialog() },
        session.displayName ?? session.user,
      ),
      h(
        'button.secondary',
        {
          type: 'button',
          onclick: () =>
            void logout()
              .then(() => {
                stopLive();
                location.hash = '';
                loginView(t('app.loggedOut'));
              })
              .catch((err: unknown) => void showError(err)),
        },
        t('topbar.logout'),
      ),
    ),
    h('div.body', {}, side, main),
  );
  const show = (tab: Tab): void => {
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    const view = views[tab];
    if (!view) return;
    clear(main);
    main.append(view);
    if (tab === 'calendar') calendar.mount();
    if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  };
  for (const [tab, label] of [
    ['calendar', t('topbar.calendar')],
    ['tasks', t('topbar.tasks')],
    ['contacts', t('topbar.contacts')],
    ['admin', t('topbar.admin')],
  ] as [Tab, string][]) {
    if (views[tab])
      tabs.append(h('button', { type: 'button', role: 'tab', 'data-tab': tab, onclick: () => show(tab) }, label));
  }
  clear(root);
  root.append(shell);
  const initial = (location.hash.slice(1) as Tab) || 'calendar';
  show(initial in views ? initial : 'calendar');
  window.addEventListener('hashchange', () => {
    const t = location.hash.slice(1) as Tab;
    if (t in views) show(t);
  });
  // The dot is true: on only while the notice stream is open and the browser online; offline it
  // says how many changes wait in the outbox.
  const stopLive = startLive(state, ({ live: on, waiting }) => {
    live.classList.toggle('on', on);
    live.classList.toggle('waiting', waiting > 0);
    live.title = !navigator.onLine
      ? t('topbar.offline', { count: waiting })
      : waiting > 0
        ? t('topbar.sending', { count: waiting })
        : on
          ? t('topbar.liveOn')
          : t('topbar.liveOff');
    live.setAttribute('aria-label', live.title);
    document.body.dataset.live = String(on);
    document.body.dataset.waiting = String(waiting);
  });
  state.onReplayRefused = (err, _entry, reload) => void showError(err, reload);
  (window as unknown as { almanac: unknown }).almanac = { state, calendar, dates };
  await state.load();
  void reminders.scheduler.plan();
  document.body.dataset.ready = 'true';
}

// Offline, the app opens as the user of the last session, from the cache and the outbox.
currentSession()
  .then((s) => (s ? start(s) : loginView()))
  .catch(() => {
    const last = lastSession();
    return last ? start(last) : loginView(t('app.unreachable'));
  });
keepAppShell();
