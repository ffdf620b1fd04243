import { h } from '../ui/dom.js';
import { setLanguage, t } from './i18n.js';
import { LANGUAGES, isLanguage, storedLanguage } from './language.js';

/**
 * The language menu (top bar and login page): "Browser language" or one of the catalogs, each
 * named in its own language. Choosing stores the choice and calls `rerender` (the views are
 * built with their text; main.ts reloads, as Nextcloud does on a language change).
 */
export function languagePicker(rerender: () => void): HTMLSelectElement {
  const current = storedLanguage() ?? '';
  const select = h(
    'select.language',
    { 'aria-label': t('language.label'), title: t('language.label'), 'data-testid': 'language' },
    h('option', { value: '' }, t('language.auto')),
    ...Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, lang: code }, name)),
  );
  select.value = current;
  select.addEventListener('change', () => {
    const v = select.value;
    void setLanguage(isLanguage(v) ? v : null).then(rerender);
  });
  return select;
}
