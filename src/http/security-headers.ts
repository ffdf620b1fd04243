/**
 * Headers that keep what Almanac serves from running as active content on its own origin
 * (where the web app's session and CSRF token live).
 */

/**
 * The web app's own pages: scripts only from this origin, never inline (CSP Level 3 §6.1.1
 * script-src), nothing framed, no plugins, fetches only to this origin. Styles may be inline
 * (the calendar widget positions events with style attributes); no script can be.
 */
export const APP_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * Every other answer (DAV resources that users upload, JSON, relayed answers of other servers,
 * errors): if a browser is ever navigated to one, it is rendered in a unique opaque origin
 * with scripts off (CSP `sandbox`) and loads nothing, and its type is never sniffed into HTML.
 * A page's own headers replace these (the app's pages send APP_PAGE_HEADERS).
 */
export const INERT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};
