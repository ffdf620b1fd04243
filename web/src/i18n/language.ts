/**
 * Which language the app speaks and which locale its dates use: the user's choice (stored in
 * localStorage) or else the browser's (navigator.languages), limited to the catalogs we ship.
 */

/** The languages with a catalog, by their endonym (shown in the picker untranslated). */
export const LANGUAGES = { en: 'English', de: 'Deutsch', fr: 'Français', es: 'Español' } as const;
export type Language = keyof typeof LANGUAGES;

const STORAGE_KEY = 'almanac.language';

export function isLanguage(code: string): code is Language {
  return Object.hasOwn(LANGUAGES, code);
}

/** `de-AT` → `de`. */
const baseOf = (tag: string): string => tag.split(/[-_]/)[0]!.toLowerCase();

/** The browser's preferred locales, best first (tests pass their own). */
export function browserLocales(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language].filter(Boolean);
}

/** The language the user picked in the app, or null for "follow the browser". */
export function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v && isLanguage(v) ? v : null;
  } catch {
    return null; // storage disabled
  }
}

export function storeLanguage(lang: Language | null): void {
  try {
    if (lang) localStorage.setItem(STORAGE_KEY, lang);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** The UI language: the stored choice, else the first browser locale we have a catalog for, else English. */
export function resolveLanguage(
  stored: Language | null = storedLanguage(),
  locales: readonly string[] = browserLocales(),
): Language {
  if (stored) return stored;
  for (const tag of locales) {
    const base = baseOf(tag);
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/**
 * The BCP 47 locale for Intl (dates, times, first day of the week): the browser's own tag for the
 * UI language when it has one (`en-GB` keeps day-month order and Monday first, `de-AT` its month
 * names), else the bare language (`de` when an en-GB browser's user picked German).
 */
export function resolveLocale(language: Language, locales: readonly string[] = browserLocales()): string {
  for (const tag of locales) {
    if (baseOf(tag) !== language) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? language;
    } catch {
      // a malformed tag from the browser: try the next one
    }
  }
  return language;
}
