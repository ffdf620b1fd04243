import './styles.css';
import { currentSession, login, logout, type SessionInfo } from './api.js';
import { startLive } from './live.js';
import { AppState } from './state.js';
import { showError } from './ui/dialog.js';
import { clear, h } from './ui/dom.js';
import { CalendarView } from './views/calendar-view.js';
import { ContactsView } from './views/contacts-view.js';
import { exportDialog, importDialog } from './views/import-export.js';
import { sidebar } from './views/sidebar.js';
import { TasksView } from './views/tasks-view.js';

const root = document.getElementById('app')!;

function loginView(message = ''): void {
  clear(root);
  const user = h('input', { type: 'text', name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p.error', { role: 'alert' }, message);
  const button = h('button.primary', { type: 'submit' }, 'Log in');
  const form = h('form.login', { 'aria-label': 'Log in' },
    h('div.brand', {}, h('span.logo', { 'aria-hidden': 'true' }, 'A'), h('h1', {}, 'Almanac')),
    h('p.hint', {}, 'Calendars, tasks and contacts — the same account you use in your CalDAV and CardDAV apps.'),
    h('label.field', {}, h('span.label', {}, 'User name'), user),
    h('label.field', {}, h('span.label', {}, 'Password'), password),
    error, button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    button.disabled = true;
    login(user.value.trim(), password.value)
      .then((s) => start(s))
      .catch((err: Error) => {
        error.textContent = err.message;
        button.disabled = false;
        password.select();
      });
  });
  root.append(h('main.login-page', {}, form));
  user.focus();
}

type Tab = 'calendar' | 'tasks' | 'contacts';

async function start(session: SessionInfo): Promise<void> {
  clear(root);
  root.append(h('div.loading', { role: 'status' }, 'Loading your calendars…'));
  const state = await AppState.open(session.user);
  const calendar = new CalendarView(state);
  const tasks = new TasksView(state);
  const contacts = new ContactsView(state);
  const views: Record<Tab, HTMLElement> = { calendar: calendar.el, tasks: tasks.el, contacts: contacts.el };
  const main = h('main.content', { id: 'main' });
  const tabs = h('nav.tabs', { 'aria-label': 'Sections', role: 'tablist' });
  const live = h('span.live', { title: 'Live updates' }, '●');
  const side = sidebar(state);
  const shell = h('div.shell', {},
    h('header.topbar', {},
      h('button.icon.menu', { type: 'button', 'aria-label': 'Show calendars', 'aria-expanded': 'false', onclick: (e) => {
        const open = shell.classList.toggle('side-open');
        (e.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
      } }, '☰'),
      h('span.brand', {}, h('span.logo', { 'aria-hidden': 'true' }, 'A'), h('span', {}, 'Almanac')),
      tabs,
      h('span.spacer'),
      h('button.secondary', { type: 'button', onclick: () => void importDialog(state) }, 'Import'),
      h('button.secondary', { type: 'button', onclick: () => void exportDialog(state) }, 'Export'),
      live,
      h('span.user', {}, session.displayName ?? session.user),
      h('button.secondary', { type: 'button', onclick: () => void logout().then(() => { stopLive(); location.hash = ''; loginView('You are logged out.'); }).catch((err: unknown) => void showError(err)) }, 'Log out')),
    h('div.body', {}, side, main));
  const show = (tab: Tab): void => {
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    clear(main);
    main.append(views[tab]);
    if (tab === 'calendar') calendar.mount();
    if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  };
  for (const [tab, label] of [['calendar', 'Calendar'], ['tasks', 'Tasks'], ['contacts', 'Contacts']] as [Tab, string][]) {
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
  const stopLive = startLive(state, (on) => {
    live.classList.toggle('on', on);
    live.title = on ? 'Live: changes from other apps appear at once' : 'Reconnecting…';
    document.body.dataset.live = String(on);
  });
  (window as unknown as { almanac: unknown }).almanac = { state, calendar };
  await state.load();
  document.body.dataset.ready = 'true';
}

currentSession()
  .then((s) => (s ? start(s) : loginView()))
  .catch(() => loginView('The server cannot be reached.'));
