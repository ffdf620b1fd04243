/**
 * FullCalendar's locale settings from the browser's language, so headers, titles and times read
 * the way the rest of the page (Intl) writes them: en-GB and de-DE weeks start on Monday with
 * 24-hour times, en-US on Sunday with 12-hour times.
 */
export interface CalendarLocale {
  readonly locale: string;
  /** 0 = Sunday … 6 = Saturday, FullCalendar's firstDay. */
  readonly firstDay: number;
  readonly hour12: boolean;
}

type WeekInfo = { firstDay: number };
type LocaleWithWeek = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

export function calendarLocale(lang = navigator.language || 'en-GB'): CalendarLocale {
  let firstDay = 1;
  try {
    const loc = new Intl.Locale(lang) as LocaleWithWeek;
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    // Intl counts 1 = Monday … 7 = Sunday.
    if (info) firstDay = info.firstDay % 7;
  } catch {
    // An unknown tag: Monday, ISO 8601.
  }
  const hour12 = new Intl.DateTimeFormat(lang, { hour: 'numeric' }).resolvedOptions().hour12 ?? false;
  return { locale: lang, firstDay, hour12 };
}
