/**
 * Where published calendars are served (public-calendar-route.ts serves them, the web app's API
 * and `almanac calendar publish` name them). A module of its own, so that naming a feed loads
 * nothing of the HTTP server.
 */
export const PUBLIC_CALENDAR_PREFIX = '/public/calendars/';

/** The path of a published calendar's feed. */
export function publicPath(token: string): string {
  return `${PUBLIC_CALENDAR_PREFIX}${token}.ics`;
}
