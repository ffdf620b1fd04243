import { IcalError } from '../../formats/ical/errors.js';
import { controlProblemOf, decodeCalendarText, parseCalendar, parseJcal } from '../../formats/ical/parse.js';
import { completeCalendarHeader } from '../../formats/ical/header-repair.js';
import type { IcalComponent } from '../../formats/ical/ical.js';
import { indexCalendarObjectWork, type CalendarIndex } from '../../formats/ical/object-index.js';
import { runSliced } from '../cooperative.js';
import { validateCalendarObject, type ObjectLimits, type ValidatedObject } from '../../formats/ical/validate.js';
import type { StoreReader } from '../../store/store.js';
import type { ObjectIndex, Resource } from '../../store/types.js';
import { PreparedAhead } from './prepared-ahead.js';
import type { CacheStats } from '../../formats/lru.js';
import { expandedTextToStore } from './expanded-text.js';

/** The rules a calendar collection imposes on what is stored in it (RFC 4791 §5.2, §5.3.2). */
export interface CalendarLimits extends ObjectLimits {
  readonly maxResourceSize: number;
  readonly maxInstances: number;
}

/** Another resource of the collection holds this UID already (RFC 4791 §5.3.2.1 no-uid-conflict). */
export class UidConflict extends Error {
  constructor(readonly path: string) {
    super(`the UID is already used by ${path}`);
    this.name = 'UidConflict';
  }
}

/** The media type PUT said, or a refusal: iCalendar, jCal, or (sniffed) an unlabeled body. */
function calendarMediaType(contentType: string | undefined): 'ical' | 'jcal' | 'sniff' | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/calendar') return 'ical';
  if (type === 'application/calendar+json') return 'jcal';
  if (type === '' || type === 'application/octet-stream' || type === 'text/plain') return 'sniff';
  return null;
}

export interface PreparedCalendarObject {
  readonly body: Uint8Array;
  readonly index: ObjectIndex;
  readonly uid: string;
  readonly component: string;
}

/**
 * Validation, then the index — which walks the recurrence and converts every time, so it is the
 * trial expansion: a rule or VTIMEZONE that reaches a bound of formats/ical/limits.ts, or that
 * ical.js cannot iterate (it throws plain Errors), makes the data invalid, never a 500.
 */
async function validatedAndIndexed(
  root: IcalComponent,
  limits: CalendarLimits,
): Promise<{ object: ValidatedObject; index: CalendarIndex }> {
  try {
    const object = validateCalendarObject(root, limits);
    // A long series is walked in slices that share the event loop (domain/cooperative.ts).
    return { object, index: await runSliced(indexCalendarObjectWork(root, object.component)) };
  } catch (err) {
    if (err instanceof IcalError) throw err;
    throw new IcalError('valid-calendar-data', `the calendar data cannot be evaluated: ${(err as Error).message}`);
  }
}

/**
 * The part of preparing a calendar object that reads nothing of the store: media type, parse,
 * header repair, control characters, size, validation, index (the trial expansion) and
 * max-instances. Pure in its inputs (bytes, label, limits) but for the clock an open-ended
 * series' precomputed intervals are reckoned from (`intervalsUntil`, a validity bound: an
 * earlier clock only bounds them earlier), so `almanac import` may run it in a worker thread
 * ahead of the write (issue #20, `prepared-ahead.ts`). Throws IcalError.
 */
export async function preparedCalendarData(
  body: Uint8Array,
  contentType: string | undefined,
  limits: CalendarLimits,
): Promise<PreparedCalendarObject> {
  let media = calendarMediaType(contentType);
  // Outlook CalDav Synchronizer labels its updates text/xml: an iCalendar body under another
  // label is still iCalendar; anything else is refused as CALDAV:supported-calendar-data.
  if (
    media === null &&
    /^\s*BEGIN:VCALENDAR/i.test(new TextDecoder().decode(body.subarray(0, 64)).replace(/^\uFEFF/, ''))
  )
    media = 'ical';
  if (media === null) throw new IcalError('supported-calendar-data', `${contentType ?? ''} is not iCalendar`);
  let stored = body;
  let root;
  if (media === 'jcal') {
    // Stored as iCalendar, and checked as such (the text scan of structure.ts).
    stored = new TextEncoder().encode(parseJcal(body).toString() + '\r\n');
    root = parseCalendar(stored);
  } else {
    root = parseCalendar(body);
    // python-caldav 0.11 leaves out VERSION and PRODID: added, not refused (formats/ical/header-repair.ts).
    const has = { version: root.hasProperty('version'), prodid: root.hasProperty('prodid') };
    const completed = has.version && has.prodid ? null : completeCalendarHeader(decodeCalendarText(body), has);
    if (completed !== null) {
      stored = new TextEncoder().encode(completed);
      root = parseCalendar(stored);
    }
  }
  // RFC 5545 §3.1: no control characters but HTAB, found by the parse's text scan of what is
  // stored (so jCal too).
  const control = controlProblemOf(root);
  if (control) throw new IcalError('valid-calendar-data', control);
  if (stored.byteLength > limits.maxResourceSize) {
    throw new IcalError('max-resource-size', `the object exceeds ${limits.maxResourceSize} bytes`);
  }
  const { object, index } = await validatedAndIndexed(root, limits);
  if (index.instances !== null && index.instances > limits.maxInstances) {
    throw new IcalError('max-instances', `the object has more than ${limits.maxInstances} instances`);
  }
  return {
    body: stored,
    uid: object.uid,
    component: object.component,
    index: {
      uid: object.uid,
      component: object.component,
      firstStart: index.firstStart,
      lastEnd: index.lastEnd,
      spanExact: index.spanExact,
      eventIntervals: index.intervals,
      eventIntervalsUntil: index.intervalsUntil,
      seriesText: index.seriesText,
      expandedText: expandedTextToStore(stored, { ...index, component: object.component }),
    },
  };
}

/**
 * Calendar data prepared ahead of its write by `almanac import`'s worker (issue #20,
 * prepared-ahead.ts): at most about two batches are waiting at a time; the bounds only keep
 * leftovers (objects refused before their prepare, a transaction run again) from piling up.
 */
const preparedAhead = new PreparedAhead<PreparedCalendarObject>({ maxEntries: 2_000, maxBytes: 64 * 1024 * 1024 });

/** What decides `preparedCalendarData`'s result besides the bytes: the label and every limit. */
function preparedContext(contentType: string | undefined, limits: CalendarLimits): string {
  // Typed as a record of every key, so a limit added to CalendarLimits must be added here.
  const every: Record<keyof CalendarLimits, string | number | undefined> = {
    components: limits.components.join(','),
    minDateTime: limits.minDateTime,
    maxDateTime: limits.maxDateTime,
    maxResourceSize: limits.maxResourceSize,
    maxInstances: limits.maxInstances,
  };
  return `${contentType ?? ''}\0${Object.values(every).join('\0')}`;
}

/** Offer what `preparedCalendarData(body, contentType, limits)` returned (elsewhere: a worker) to the write path. */
export function offerPreparedCalendarData(
  body: Uint8Array,
  contentType: string | undefined,
  limits: CalendarLimits,
  prepared: PreparedCalendarObject,
): void {
  const size =
    (prepared.body === body ? 0 : prepared.body.byteLength) + (prepared.index.eventIntervals?.byteLength ?? 0);
  preparedAhead.offer(body, preparedContext(contentType, limits), prepared, size + 256);
}

/** How many offered results the write path took (hits) or did not find (misses); for tests and logs. */
export function preparedAheadStats(): CacheStats {
  return preparedAhead.stats();
}

/** Drop every offered result not taken (an import is over). */
export function forgetPreparedAhead(): void {
  preparedAhead.clear();
}

/**
 * Check a PUT body against the collection's rules and compute its index. iCalendar is kept
 * byte for byte as the client sent it; jCal (RFC 7265) is stored as its iCalendar equivalent.
 * Throws IcalError (a §5.3.2.1 precondition) or UidConflict.
 */
export async function prepareCalendarObject(
  reader: StoreReader,
  collection: Resource,
  path: string,
  body: Uint8Array,
  contentType: string | undefined,
  limits: CalendarLimits,
): Promise<PreparedCalendarObject> {
  // Issue #20: `almanac import` may have had a worker thread compute this already, for these
  // very bytes, label and limits, with this same function; any refusal is computed here again.
  const prepared =
    preparedAhead.take(body, preparedContext(contentType, limits)) ??
    (await preparedCalendarData(body, contentType, limits));
  for (const other of await reader.queryObjects(collection.id, { uid: prepared.uid })) {
    if (other.path !== path) throw new UidConflict(other.path);
  }
  return prepared;
}
