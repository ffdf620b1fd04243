/**
 * An HTTP-date (RFC 9110 §5.6.7 IMF-fixdate, the form of DAV:getlastmodified, RFC 4918 §15.7):
 * `Sun, 06 Nov 1994 08:49:37 GMT`. Written by hand for the years 1970–9999 — a listing of a
 * thousand members writes a thousand of them, and `Date.prototype.toUTCString` costs about
 * two and a half times as much; other instants are left to it. http-date.test.ts compares the two.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 10000-01-01T00:00:00Z: from there on a year has five digits. */
const YEAR_10000 = 253_402_300_800_000;

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function httpDate(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000)) return new Date(ms).toUTCString();
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const inDay = seconds - days * 86_400;
  // The civil date of a day count (the era/year-of-era method of H. Hinnant's date algorithms).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 2 : shifted - 10; // 0 = January
  const year = yearOfEra + era * 400 + (month < 2 ? 1 : 0);
  const h = Math.floor(inDay / 3600);
  const m = Math.floor((inDay % 3600) / 60);
  return `${DAYS[(days + 4) % 7]}, ${two(day)} ${MONTHS[month]} ${year} ${two(h)}:${two(m)}:${two(inDay % 60)} GMT`;
}
