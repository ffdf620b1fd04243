/**
 * Translations through i18next: one instance, the four catalogs bundled (no loading step, so
 * `t` works from the first line of the app), English as the fallback for any missing key, and
 * plural forms chosen by Intl.PluralRules (CLDR categories: `_one`, `_many`, `_other`, …).
 */
import i18next, { type TOptions } from 'i18next';
import { de } from './catalogs/de.js';
import { en, type CatalogKey } from './catalogs/en.js';
import { es } from './catalogs/es.js';
import { fr } from './catalogs/fr.js';
import { resolveLanguage, resolveLocale, storeLanguage, type Language } from './language.js';

/** A key as callers write it: plural keys without their `_one`/`_other` suffix (pass `count`). */
export type MessageKey = CatalogKey extends infer K ? (K extends `${infer B}_${'one' | 'other'}` ? B : K) : never;

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  lng: resolveLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'de', 'fr', 'es'],
  // Keys are flat and may contain dots and colons.
  keySeparator: false,
  nsSeparator: false,
  // The DOM helper writes text nodes, never HTML: nothing to escape here.
  interpolation: { escapeValue: false },
  returnNull: false,
  resources: { en: { translation: en }, de: { translation: de }, fr: { translation: fr }, es: { translation: es } },
});

/** The UI text for `key` in the current language (English where a catalog lacks it). */
export function t(key: MessageKey, options?: TOptions & Record<string, unknown>): string {
  return instance.t(key, options ?? {}) as string;
}

/** The text of a key built at run time (e.g. `contacts.type.${vcardType}`), or `fallback` when no catalog has it. */
export function tOr(key: string, fallback: string): string {
  return instance.exists(key) ? (instance.t(key) as string) : fallback;
}

/** The current UI language. */
export function language(): Language {
  return resolveLanguage(instance.language as Language);
}

/** The locale for Intl formatting that matches the UI language (see resolveLocale). */
export function locale(): string {
  return resolveLocale(language());
}

/** `<html lang>` follows the UI language (screen readers pick their voice from it, WCAG 3.1.1). */
export function applyDocumentLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale();
}

/**
 * Switch the language and remember the choice (null: follow the browser again). Views are built
 * with their text, so the caller re-renders (main.ts reloads the page, as Nextcloud does).
 */
export async function setLanguage(lang: Language | null): Promise<void> {
  storeLanguage(lang);
  await instance.changeLanguage(resolveLanguage(lang));
  applyDocumentLanguage();
}
