/**
 * FullCalendar in the app's language and locale. calendar-view.ts (and any other view that makes
 * a FullCalendar) spreads these options into its own:
 *
 *   new Calendar(el, { ...fullCalendarLocale(), plugins, initialView, … })
 *
 * and leaves out its own `locale`, `firstDay`, `buttonText`, `eventTimeFormat` and
 * `slotLabelFormat`, which this sets: FullCalendar's translations for the UI language (weekday
 * and month names, "all-day", "+N more", button hints), the Intl locale of the browser for that
 * language (`en-GB` → 12 May, Monday first; `en-US` → May 12, Sunday first), the week's first day
 * from Intl (Intl.Locale getWeekInfo, a CLDR table elsewhere) and 24-hour or 12-hour times as the
 * locale writes them.
 */
import type { CalendarOptions, LocaleInput } from '@fullcalendar/core';
import deLocale from '@fullcalendar/core/locales/de';
import esLocale from '@fullcalendar/core/locales/es';
import frLocale from '@fullcalendar/core/locales/fr';
import { firstDayOfWeek, uses12HourClock } from './dates.js';
import { language, locale, t } from './i18n.js';
import type { Language } from './language.js';

const TRANSLATIONS: Record<Language, LocaleInput> = { en: { code: 'en' }, de: deLocale, fr: frLocale, es: esLocale };

/** The locale-dependent FullCalendar options (see the module comment). */
export function fullCalendarLocale(): Pick<
  CalendarOptions,
  'locale' | 'firstDay' | 'buttonText' | 'eventTimeFormat' | 'slotLabelFormat' | 'direction'
> {
  const loc = locale();
  const firstDay = firstDayOfWeek(loc);
  const hour12 = uses12HourClock(loc);
  const time = hour12
    ? ({ hour: 'numeric', minute: '2-digit', meridiem: 'short', hour12: true } as const)
    : ({ hour: '2-digit', minute: '2-digit', hour12: false } as const);
  return {
    // FullCalendar formats with Intl under `code`: the full tag keeps the region's conventions.
    locale: { ...TRANSLATIONS[language()], code: loc },
    firstDay,
    buttonText: {
      today: t('calendar.today'),
      month: t('calendar.month'),
      week: t('calendar.week'),
      day: t('calendar.day'),
      list: t('calendar.agenda'),
    },
    eventTimeFormat: time,
    slotLabelFormat: time,
    direction: 'ltr',
  };
}
