import { UserInputError } from '../users.js';

/** Refresh interval bounds of a subscription (seconds): default 1 h, at least 5 min, at most 7 days. */
const DEFAULT_REFRESH_SECONDS = 3600;
const MIN_REFRESH_SECONDS = 300;
const MAX_REFRESH_SECONDS = 7 * 24 * 3600;

/**
 * The URL a subscription fetches: `webcal:`/`webcals:` (the scheme calendar links use) become
 * `https:`; only http(s) is fetched, without user information in the URL (it would be stored
 * and shown in the calendar's description).
 */
export function feedUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim().replace(/^webcals?:/i, 'https:'));
  } catch {
    throw new UserInputError(`not a URL: ${text}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserInputError(`only http, https and webcal URLs can be subscribed to, not ${url.protocol}`);
  if (url.username || url.password)
    throw new UserInputError('a subscription URL must not carry a user name or password');
  url.hash = '';
  return url;
}

/**
 * A refresh interval: an ISO 8601 / RFC 5545 §3.3.6 duration (`PT1H`, `P1D`, `PT30M`) or a number
 * of seconds, clamped to [MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS].
 */
export function refreshSeconds(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_REFRESH_SECONDS;
  const t = text.trim().toUpperCase();
  let seconds: number;
  const m = /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/.exec(t);
  if (/^\d{1,8}$/.test(t)) seconds = Number(t);
  else if (m && t !== 'P' && !t.endsWith('T')) {
    const [, w, d, h, min, s] = m.map((x) => Number(x ?? 0));
    seconds = (((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 3600 + (min ?? 0) * 60 + (s ?? 0);
  } else throw new UserInputError(`not a duration: ${text} (use e.g. PT1H, PT30M, P1D)`);
  return Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, seconds));
}
