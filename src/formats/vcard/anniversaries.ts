import { all, first, param, type VCard, type VProperty } from './model.js';
import { splitRaw, unescapeText } from './text.js';

/** A yearly date of a contact: a birthday (BDAY) or an anniversary (vCard 4 ANNIVERSARY, X-ANNIVERSARY). */
export interface CardDate {
  readonly kind: 'birthday' | 'anniversary';
  /** null when the card gives no year (`--MMDD`, Apple's X-APPLE-OMIT-YEAR). */
  readonly year: number | null;
  readonly month: number;
  readonly day: number;
}

/** Apple writes year-less dates with this placeholder year (and X-APPLE-OMIT-YEAR naming it). */
const APPLE_NO_YEAR = 1604;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The date of a BDAY/ANNIVERSARY value: vCard 4 date-and-or-time (RFC 6350 §4.3.4: `19960415`,
 * `--0415`, `19531015T231000Z`) and vCard 3 ISO 8601 (RFC 2426 §3.1.5: `1996-04-15`,
 * `--04-15`, `1953-10-15T23:10:00Z`). Text values (`VALUE=text`, "circa 1800") and dates
 * without a month and day (`1996`, `1996-04`) give null.
 */
function parseCardDate(p: VProperty): Omit<CardDate, 'kind'> | null {
  if ((param(p, 'VALUE')?.values[0] ?? '').toLowerCase() === 'text') return null;
  const m = /^(\d{4}|--)-?(\d{2})-?(\d{2})(?:T[\d:]*(?:Z|[+-][\d:]+)?)?$/i.exec(p.value.trim());
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month - 1] ?? 0)) return null;
  let year = m[1] === '--' ? null : Number(m[1]);
  const omit = param(p, 'X-APPLE-OMIT-YEAR')?.values[0];
  if (year !== null && (year === APPLE_NO_YEAR || (omit !== undefined && Number(omit) === year))) year = null;
  if (year !== null && month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return null;
  return { year, month, day };
}

/** Every birthday and anniversary a card names, in that order. */
export function cardDates(card: VCard): CardDate[] {
  const out: CardDate[] = [];
  const take = (kind: CardDate['kind'], props: VProperty[]): void => {
    for (const p of props) {
      const d = parseCardDate(p);
      if (d) {
        out.push({ kind, ...d });
        return; // one of each kind: a second BDAY would be a duplicate event
      }
    }
  };
  take('birthday', all(card, 'BDAY'));
  take('anniversary', [...all(card, 'ANNIVERSARY'), ...all(card, 'X-ANNIVERSARY')]);
  return out;
}

/** The name a contact is shown by: FN, else N's given and family names, else ORG. */
export function displayNameOf(card: VCard): string {
  const fn = unescapeText(first(card, 'FN')?.value ?? '').trim();
  if (fn) return fn;
  const n = first(card, 'N');
  if (n) {
    const [family = '', given = ''] = splitRaw(n.value, ';').map((s) => unescapeText(s).trim());
    const joined = `${given} ${family}`.trim();
    if (joined) return joined;
  }
  return unescapeText(splitRaw(first(card, 'ORG')?.value ?? '', ';')[0] ?? '').trim();
}
