import { IcalError } from '../../formats/ical/errors.js';
import type { IcalTimezone } from '../../formats/ical/ical.js';
import { parseUtcDateTime, timezoneFromCalendar } from '../../formats/ical/time.js';
import type { CalendarLimits } from '../../domain/calendar/object.js';
import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { elements, textOf } from '../../xml/element.js';
import { caldav } from '../../xml/names.js';
import { parseXml } from '../../xml/parse.js';
import type { DavContext } from '../core/context.js';
import { DavError } from '../core/errors.js';
import type { PreconditionName } from '../core/preconditions.js';
import type { DavResource } from '../core/resource.js';

/** Components a calendar accepts unless created with another set (RFC 4791 §5.2.3). */
export const DEFAULT_COMPONENTS = ['VEVENT', 'VTODO'] as const;
/** Every component a calendar may be created for. */
export const SUPPORTED_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'] as const;
export const MIN_DATE_TIME = '19000101T000000Z';
export const MAX_DATE_TIME = '21001231T235959Z';
export const MAX_INSTANCES = 10_000;
const MAX_RESOURCE_SIZE = 10 * 1024 * 1024;

export const isCalendar = (r: DavResource): boolean => r.stored?.isCollection === true && r.stored.collectionType === 'calendar';

/** A calendar object resource: an iCalendar member of a calendar collection. */
export const isCalendarObject = (r: DavResource): boolean =>
  r.stored !== null && !r.stored.isCollection && /^text\/calendar/i.test(r.stored.contentType ?? '');

export function maxResourceSize(ctx: DavContext): number {
  return Math.min(MAX_RESOURCE_SIZE, ctx.settings.maxUploadBytes);
}

/** The collection-level settings that live in its properties. */
export interface CalendarSettings {
  readonly components: readonly string[];
  /** The CALDAV:calendar-timezone text, if set. */
  readonly timezone: string | null;
}

export async function calendarSettings(reader: StoreReader, coll: Resource): Promise<CalendarSettings> {
  const props = await reader.getProperties(coll.id);
  const find = (name: string): string | undefined => props.find((p) => p.name === name)?.xml;
  const compXml = find(caldav('supported-calendar-component-set'));
  const components = compXml
    ? elements(parseXml(compXml), caldav('comp')).map((c) => (c.attrs['{}name'] ?? '').toUpperCase())
    : [...DEFAULT_COMPONENTS];
  const tzXml = find(caldav('calendar-timezone'));
  const timezone = tzXml ? textOf(parseXml(tzXml)).trim() || null : null;
  return { components, timezone };
}

export function calendarLimits(ctx: DavContext, settings: CalendarSettings): CalendarLimits {
  return limitsWithin(settings, ctx.settings.maxUploadBytes);
}

/** The limits of a calendar for any writer (PUT, COPY/MOVE, `almanac import`). */
export function limitsWithin(settings: CalendarSettings, maxUploadBytes: number): CalendarLimits {
  return {
    components: settings.components,
    minDateTime: parseUtcDateTime(MIN_DATE_TIME) ?? undefined,
    maxDateTime: parseUtcDateTime(MAX_DATE_TIME) ?? undefined,
    maxResourceSize: Math.min(MAX_RESOURCE_SIZE, maxUploadBytes),
    maxInstances: MAX_INSTANCES,
  };
}

/** A calendar's floating-time zone (RFC 4791 §5.2.2), or null (floating read as UTC). */
export async function collectionTimezone(reader: StoreReader, coll: Resource): Promise<IcalTimezone | null> {
  const { timezone } = await calendarSettings(reader, coll);
  if (!timezone) return null;
  try {
    return timezoneFromCalendar(timezone);
  } catch {
    return null;
  }
}

/** An iCalendar refusal as the RFC 4791 precondition it names. */
export function davErrorOf(err: IcalError): DavError {
  return DavError.condition(`caldav:${err.code}` as PreconditionName, err.message);
}
