/**
 * English, the source catalog: every key the app uses is here, the other languages have the same
 * keys (their type says so) and i18next falls back to this one for any it lacks.
 * Plurals use CLDR categories (Intl.PluralRules), as i18next v4 JSON: `key_one`, `key_other`,
 * and in languages that have them `key_many` etc.; interpolation is `{{name}}`.
 */
export const en = {
  'app.name': 'Almanac',
  'app.loading': 'Loading your calendars…',
  'app.unreachable': 'The server cannot be reached.',
  'app.loggedOut': 'You are logged out.',

  'login.title': 'Log in',
  'login.hint': 'Calendars, tasks and contacts — the same account you use in your CalDAV and CardDAV apps.',
  'login.user': 'User name',
  'login.password': 'Password',
  'login.submit': 'Log in',

  'topbar.menu': 'Show calendars',
  'topbar.sections': 'Sections',
  'topbar.calendar': 'Calendar',
  'topbar.tasks': 'Tasks',
  'topbar.contacts': 'Contacts',
  'topbar.import': 'Import',
  'topbar.export': 'Export',
  'topbar.logout': 'Log out',
  'topbar.live': 'Live updates',
  'topbar.liveOn': 'Live: changes from other apps appear at once',
  'topbar.liveOff': 'Reconnecting…',

  'language.label': 'Language',
  'language.auto': 'Browser language',

  'dialog.ok': 'OK',
  'dialog.cancel': 'Cancel',
  'dialog.close': 'Close',
  'dialog.dismiss': 'Dismiss',
  'dialog.scope.change.title': 'Change repeating event',
  'dialog.scope.change.question': 'Change only this event, this and the following events, or all events of the series?',
  'dialog.scope.move.title': 'Move repeating event',
  'dialog.scope.move.question': 'Move only this event, this and the following events, or all events of the series?',
  'dialog.scope.delete.title': 'Delete repeating event',
  'dialog.scope.delete.question': 'Delete only this event, this and the following events, or all events of the series?',
  'dialog.scopeThis': 'This event',
  'dialog.scopeFollowing': 'This and following',
  'dialog.scopeAll': 'All events',
  'dialog.conflictTitle': 'Changed elsewhere',
  'dialog.conflictText': 'This item was changed on the server (in another app or browser) since you opened it. Reload the current version? Your unsaved edits will be lost.',
  'dialog.reload': 'Reload',

  'calendar.today': 'Today',
  'calendar.month': 'Month',
  'calendar.week': 'Week',
  'calendar.day': 'Day',
  'calendar.agenda': 'Agenda',
  'calendar.moreEvents_one': '+{{count}} more',
  'calendar.moreEvents_other': '+{{count}} more',
} as const;

/** A key of the catalogs as written (with plural suffixes). */
export type CatalogKey = keyof typeof en;
/** A catalog: every English key (so a missing translation is a type error), plus the plural forms a language has beyond English. */
export type Catalog = { readonly [K in CatalogKey]: string } & { readonly [extra: string]: string };
