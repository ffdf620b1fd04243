import { DavHttpError } from '../dav/errors.js';
import { h } from './dom.js';

/** A modal dialog (native <dialog>: focus is trapped, Esc closes). Resolves with the pressed button's value; Cancel closes without validating the form (an empty required title must not trap the user). */
export function modal(title: string, body: HTMLElement, buttons: { label: string; value: string; kind?: string }[], opts: { wide?: boolean } = {}): { el: HTMLDialogElement; result: Promise<string> } {
  const form = h('form', { method: 'dialog', class: 'dialog-form' });
  const footer = h('footer.dialog-buttons', {}, ...buttons.map((b) => h('button', { value: b.value, class: b.kind ?? '', type: 'submit', 'data-value': b.value, formnovalidate: b.value === 'cancel' }, b.label)));
  form.append(h('header', {}, h('h2', {}, title)), h('div.dialog-body', {}, body), footer);
  const el = h('dialog', { class: opts.wide ? 'wide' : '', 'aria-label': title }, form);
  document.body.append(el);
  const result = new Promise<string>((resolve) => {
    el.addEventListener('close', () => {
      resolve(el.returnValue || 'cancel');
      el.remove();
    });
  });
  el.showModal();
  const first = body.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
  first?.focus();
  return { el, result };
}

export async function confirmDialog(title: string, message: string, okLabel = 'OK', danger = false): Promise<boolean> {
  const { result } = modal(title, h('p', {}, message), [{ label: 'Cancel', value: 'cancel' }, { label: okLabel, value: 'ok', kind: danger ? 'danger' : 'primary' }]);
  return (await result) === 'ok';
}

export async function promptDialog(title: string, label: string, value = ''): Promise<string | null> {
  const input = h('input', { type: 'text', value, required: true, name: 'value' });
  const { result } = modal(title, h('label.field', {}, h('span.label', {}, label), input), [{ label: 'Cancel', value: 'cancel' }, { label: 'OK', value: 'ok', kind: 'primary' }]);
  return (await result) === 'ok' ? input.value.trim() : null;
}

/** Which occurrences an edit of a repeating event applies to (RFC 5545 RECURRENCE-ID / RRULE). */
export async function scopeDialog(verb: string): Promise<'this' | 'following' | 'all' | null> {
  const { result } = modal(`${verb} repeating event`, h('p', {}, `${verb} only this event, this and the following events, or all events of the series?`), [
    { label: 'Cancel', value: 'cancel' },
    { label: 'This event', value: 'this' },
    { label: 'This and following', value: 'following' },
    { label: 'All events', value: 'all', kind: 'primary' },
  ]);
  const v = await result;
  return v === 'this' || v === 'following' || v === 'all' ? v : null;
}

let toastBox: HTMLElement | undefined;

/** An action a toast offers (e.g. Undo); pressing it closes the toast. */
export interface ToastAction { readonly label: string; run(): void }

export function toast(message: string, kind: 'info' | 'error' = 'info', action?: ToastAction): void {
  toastBox ??= document.body.appendChild(h('div.toasts', { role: 'status', 'aria-live': 'polite' }));
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', {}, message),
    action ? h('button.link.toast-action', { type: 'button', onclick: () => { t.remove(); action.run(); } }, action.label) : null,
    h('button.link', { type: 'button', 'aria-label': 'Dismiss', onclick: () => t.remove() }, '×'));
  toastBox.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 12000 : action ? 8000 : 4000);
}

/**
 * Show why the server said no, in words. A 412 (someone else changed it) offers to reload;
 * resolves true when the caller should reload and retry.
 */
export async function showError(err: unknown, reload?: () => Promise<void>): Promise<void> {
  console.error(err);
  if (err instanceof DavHttpError && err.isConflict && reload) {
    const again = await confirmDialog('Changed elsewhere', 'This item was changed on the server (in another app or browser) since you opened it. Reload the current version? Your unsaved edits will be lost.', 'Reload');
    if (again) await reload();
    return;
  }
  toast(err instanceof Error ? err.message : String(err), 'error');
}
