import { DavHttpError, DavProtocolError } from '../dav/errors.js';
import { t, tOr } from '../i18n/i18n.js';
import { h } from './dom.js';

/** A modal dialog (native <dialog>: focus is trapped, Esc closes). Resolves with the pressed button's value; Cancel closes without validating the form (an empty required title must not trap the user). */
export function modal(
  title: string,
  body: HTMLElement,
  buttons: { label: string; value: string; kind?: string }[],
  opts: { wide?: boolean } = {},
): { el: HTMLDialogElement; result: Promise<string> } {
  const form = h('form', { method: 'dialog', class: 'dialog-form' });
  const footer = h(
    'footer.dialog-buttons',
    {},
    ...buttons.map((b) =>
      h(
        'button',
        {
          value: b.value,
          class: b.kind ?? '',
          type: 'submit',
          'data-value': b.value,
          formnovalidate: b.value === 'cancel',
        },
        b.label,
      ),
    ),
  );
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

export async function confirmDialog(
  title: string,
  message: string,
  okLabel = t('dialog.ok'),
  danger = false,
): Promise<boolean> {
  const { result } = modal(title, h('p', {}, message), [
    { label: t('dialog.cancel'), value: 'cancel' },
    { label: okLabel, value: 'ok', kind: danger ? 'danger' : 'primary' },
  ]);
  return (await result) === 'ok';
}

export async function promptDialog(title: string, label: string, value = ''): Promise<string | null> {
  const input = h('input', { type: 'text', value, required: true, name: 'value' });
  const { result } = modal(title, h('label.field', {}, h('span.label', {}, label), input), [
    { label: t('dialog.cancel'), value: 'cancel' },
    { label: t('dialog.ok'), value: 'ok', kind: 'primary' },
  ]);
  return (await result) === 'ok' ? input.value.trim() : null;
}

export type ScopeAction = 'change' | 'move' | 'delete';

/**
 * Which occurrences an edit of a repeating event applies to (RFC 5545 RECURRENCE-ID / RRULE).
 * One sentence per action in the catalogs (no verb spliced into a sentence: word order differs
 * between languages).
 */
export async function scopeDialog(a: ScopeAction): Promise<'this' | 'following' | 'all' | null> {
  const { result } = modal(t(`dialog.scope.${a}.title`), h('p', {}, t(`dialog.scope.${a}.question`)), [
    { label: t('dialog.cancel'), value: 'cancel' },
    { label: t('dialog.scopeThis'), value: 'this' },
    { label: t('dialog.scopeFollowing'), value: 'following' },
    { label: t('dialog.scopeAll'), value: 'all', kind: 'primary' },
  ]);
  const v = await result;
  return v === 'this' || v === 'following' || v === 'all' ? v : null;
}

let toastBox: HTMLElement | undefined;

/** An action a toast offers (e.g. Undo); pressing it closes the toast. */
export interface ToastAction {
  readonly label: string;
  run(): void;
}

export function toast(message: string, kind: 'info' | 'error' = 'info', action?: ToastAction): void {
  toastBox ??= document.body.appendChild(h('div.toasts', { role: 'status', 'aria-live': 'polite' }));
  const el = h(
    'div',
    { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', {}, message),
    action
      ? h(
          'button.link.toast-action',
          {
            type: 'button',
            onclick: () => {
              el.remove();
              action.run();
            },
          },
          action.label,
        )
      : null,
    h('button.link', { type: 'button', 'aria-label': t('dialog.dismiss'), onclick: () => el.remove() }, '×'),
  );
  toastBox.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 12000 : action ? 8000 : 4000);
}

/**
 * Show why the server said no, in words. A 412 (someone else changed it) offers to reload;
 * resolves true when the caller should reload and retry.
 */
export async function showError(err: unknown, reload?: () => Promise<void>): Promise<void> {
  console.error(err);
  if (err instanceof DavHttpError && err.isConflict && reload) {
    const again = await confirmDialog(t('dialog.conflictTitle'), t('dialog.conflictText'), t('dialog.reload'));
    if (again) await reload();
    return;
  }
  toast(errorText(err), 'error');
}

/** An error in the UI language: a server refusal by its status (the DAV client's text is English), anything else as it says. */
export function errorText(err: unknown): string {
  if (err instanceof DavHttpError) {
    const why = tOr(`error.${err.status}`, t('error.other', { status: err.status }));
    const extra = err.detail.trim().slice(0, 300);
    return `${why} (${err.method} ${err.status})${extra ? `: ${extra}` : ''}`;
  }
  if (err instanceof DavProtocolError) return tOr(`error.protocol.${err.code}`, err.message);
  return err instanceof Error ? err.message : String(err);
}
