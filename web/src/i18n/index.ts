/** The app's i18n: translations (i18next), the language choice, and locale-correct dates (Intl). */
export { applyDocumentLanguage, language, locale, setLanguage, t, tOr, type MessageKey } from './i18n.js';
export { LANGUAGES, isLanguage, storedLanguage, type Language } from './language.js';
export {
  firstDayOfWeek,
  formatDate,
  formatDateTime,
  formatDayHeading,
  formatTime,
  formatWith,
  uses12HourClock,
  weekdayNames,
  type Weekday,
} from './dates.js';
export { fullCalendarLocale } from './fullcalendar.js';
