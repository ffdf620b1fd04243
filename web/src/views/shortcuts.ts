import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';

/** One keyboard shortcut: the keys (as KeyboardEvent.key), what it does, and the handler. */
export interface Shortcut {
  readonly keys: readonly string[];
  readonly label: string;
  run(): void;
}

/** Typing in a field, a menu or a dialog is never a shortcut. */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  return !!document.querySelector('dialog[open]');
}

export function shortcutHelp(list: readonly Shortcut[]): void {
  const rows = list.map((s) =>
    h(
      'tr',
      {},
      h('td', {}, ...s.keys.flatMap((k, i) => [i ? ' ' : '', h('kbd', {}, k === ' ' ? t('shortcuts.space') : k)])),
      h('td', {}, s.label),
    ),
  );
  modal(
    t('shortcuts.title'),
    h(
      'table.shortcut-list',
      {},
      h('tbody', {}, ...rows, h('tr', {}, h('td', {}, h('kbd', {}, '?')), h('td', {}, t('shortcuts.help')))),
    ),
    [{ label: t('dialog.close'), value: 'close' }],
  );
}

/**
 * Listen for single-key shortcuts (no Ctrl/Alt/Meta, never while typing) while `active()` is
 * true; `?` lists them. Returns the function that stops listening.
 */
export function installShortcuts(list: readonly Shortcut[], active: () => boolean): () => void {
  const byKey = new Map<string, Shortcut>();
  for (const s of list) for (const k of s.keys) byKey.set(k, s);
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || !active() || typing(e)) return;
    if (e.key === '?') {
      e.preventDefault();
      shortcutHelp(list);
      return;
    }
    const s = byKey.get(e.key);
    if (!s) return;
    e.preventDefault();
    s.run();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
