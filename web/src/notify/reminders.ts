import type { Reminder } from '../../../src/formats/ical/reminders.js';
import { formatDate, formatDateTime, t } from '../i18n/index.js';
import type { AppState } from '../state.js';
import { h } from '../ui/dom.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import './reminders.css';

type Permission = 'granted' | 'denied' | 'default' | 'unsupported';

function permission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function when(r: Reminder): string {
  if (r.time === null) return '';
  const d = new Date(r.time);
  return r.allDay ? formatDate(d) : formatDateTime(d);
}

function bodyOf(r: Reminder): string {
  const extra =
    r.description && r.description !== r.title && !/^(reminder|default mozilla description)$/i.test(r.description)
      ? r.description
      : '';
  return [
    r.time === null ? '' : t(r.kind === 'task' ? 'tasks.dueAt' : 'tasks.startsAt', { when: when(r) }),
    r.location,
    extra,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** AUDIO alarms (RFC 5545 §3.6.6): a short tone (the ATTACH sound is not fetched). */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.1;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    // no audio: the notification still shows
  }
}

let box: HTMLElement | null = null;

/** The in-app reminder (notifications denied or unsupported): stays until dismissed. */
function inApp(r: Reminder): void {
  box ??= document.body.appendChild(h('div.reminder-toasts', { 'aria-live': 'assertive' }));
  const el = h(
    'div.reminder-toast',
    { role: 'alert', 'data-testid': 'reminder' },
    h('span.bell', { 'aria-hidden': 'true' }, '🔔'),
    h('div', {}, h('strong', {}, r.title || t('reminders.reminder')), h('div.detail', {}, bodyOf(r))),
    h('button.link', { type: 'button', onclick: () => el.remove() }, t('dialog.dismiss')),
  );
  box.append(el);
}

function show(r: Reminder): void {
  if (r.action === 'AUDIO') beep();
  if (permission() === 'granted') {
    try {
      const n = new Notification(r.title || t('reminders.reminder'), { body: bodyOf(r), tag: r.key });
      n.onclick = () => {
        window.focus();
        n.close();
      };
      return;
    } catch {
      // some browsers allow notifications only from a service worker: fall through
    }
  }
  inApp(r);
}

/**
 * Reminders while the app is open: the scheduler (next 24 h, renewed on changes) and the top
 * bar's bell, which asks for the notification permission when pressed (a user gesture, as
 * browsers require). Without the permission, reminders show inside the app.
 */
export function startReminders(state: AppState): { bell: HTMLElement; scheduler: ReminderScheduler } {
  const scheduler = new ReminderScheduler(state, show);
  const bell = h('button.icon.reminder-bell', { type: 'button' }, '🔔');
  const label = (): void => {
    const p = permission();
    const text = t(p === 'granted' ? 'reminders.on' : p === 'default' ? 'reminders.ask' : 'reminders.inApp');
    bell.setAttribute('aria-label', text);
    bell.title = text;
    bell.classList.toggle('ask', p === 'default');
  };
  bell.addEventListener('click', () => {
    if (permission() === 'default') void Notification.requestPermission().then(label, label);
    else
      inApp({
        key: '',
        kind: 'event',
        action: 'DISPLAY',
        uid: '',
        title: bell.title,
        description: '',
        location: '',
        at: Date.now(),
        time: null,
        allDay: false,
      });
  });
  label();
  return { bell, scheduler };
}
