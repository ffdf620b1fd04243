import {
  expandCalendarTextWork,
  expandCalendarWork,
  limitFreebusySet,
  limitRecurrenceSet,
  type StoredInstances,
} from './expand.js';
import { contentLines } from './content-lines.js';
import type { IcalComponent, IcalTimezone } from './ical.js';
import { parseCalendar } from './parse.js';
import { runNow, type Work } from './work.js';
import type { TimeRange } from './time-range.js';

export const ICALENDAR_TYPE = 'text/calendar';
export const JCAL_TYPE = 'application/calendar+json';

/** CALDAV:comp (RFC 4791 §9.6.1): which properties and sub-components to return. */
export interface CompSelector {
  /** Upper-case component name. */
  readonly name: string;
  readonly allProps: boolean;
  readonly props: readonly { readonly name: string; readonly novalue: boolean }[];
  readonly allComps: boolean;
  readonly comps: readonly CompSelector[];
}

/** A CALDAV:calendar-data request (RFC 4791 §9.6) as a value. */
export interface CalendarDataRequest {
  readonly contentType: typeof ICALENDAR_TYPE | typeof JCAL_TYPE;
  readonly comp?: CompSelector;
  readonly expand?: TimeRange;
  readonly limitRecurrenceSet?: TimeRange;
  readonly limitFreebusySet?: TimeRange;
}

type JProp = [string, Record<string, unknown>, string, ...unknown[]];
type JComp = [string, JProp[], JComp[]];

function prune(c: JComp, sel: CompSelector): JComp {
  const [name, props, comps] = c;
  const keptProps = sel.allProps
    ? props
    : props.flatMap((p): JProp[] => {
        const want = sel.props.find((s) => s.name.toLowerCase() === p[0]);
        if (!want) return [];
        return [want.novalue ? [p[0], p[1], 'unknown', ''] : p];
      });
  const keptComps = sel.allComps
    ? comps
    : comps.flatMap((sub) => {
        const want = sel.comps.find((s) => s.name.toLowerCase() === sub[0]);
        return want ? [prune(sub, want)] : [];
      });
  return [name, keptProps, keptComps];
}

/** Whether the request asks for anything but the stored text as it is. */
export function needsTransform(req: CalendarDataRequest): boolean {
  return (
    req.contentType !== ICALENDAR_TYPE ||
    req.comp !== undefined ||
    req.expand !== undefined ||
    req.limitRecurrenceSet !== undefined ||
    req.limitFreebusySet !== undefined
  );
}

/** Whether the rendering depends on a time range of the request (§9.6.5–§9.6.7). */
export function isRanged(req: CalendarDataRequest): boolean {
  return req.expand !== undefined || req.limitRecurrenceSet !== undefined || req.limitFreebusySet !== undefined;
}

/** The common expand — whole components as iCalendar — which is written as text, instance by instance. */
export function textExpanded(req: CalendarDataRequest): boolean {
  return req.expand !== undefined && !req.comp && !req.limitFreebusySet && req.contentType !== JCAL_TYPE;
}

/**
 * The calendar data of one object as requested: the stored text verbatim when nothing else is
 * asked; otherwise expanded / limited (§9.6.5–9.6.7), pruned to the CALDAV:comp selection
 * (§9.6.1) and written as iCalendar or jCal (RFC 7265).
 */
export function renderCalendarData(text: string, req: CalendarDataRequest, floating: IcalTimezone | null): string {
  if (!needsTransform(req)) return text;
  return renderCalendarTree(parseCalendar(text), req, floating);
}

/**
 * `renderCalendarData` from an already parsed VCALENDAR, which it does not modify (expand and
 * the limits work on copies), so a shared parsed tree can be rendered.
 */
function renderCalendarTree(parsed: IcalComponent, req: CalendarDataRequest, floating: IcalTimezone | null): string {
  return runNow(renderCalendarTreeWork(parsed, req, floating));
}

/** `renderCalendarTree` as Work (work.ts): an expand pauses after every instance. */
export function* renderCalendarTreeWork(
  parsed: IcalComponent,
  req: CalendarDataRequest,
  floating: IcalTimezone | null,
  /** The object's precomputed instance intervals, when known: an expand reads its instances from them. */
  stored: StoredInstances | null = null,
): Work<string> {
  let root = parsed;
  if (req.expand && textExpanded(req)) return yield* expandCalendarTextWork(root, req.expand, floating, stored);
  if (req.expand) root = yield* expandCalendarWork(root, req.expand, floating, stored);
  else if (req.limitRecurrenceSet) root = limitRecurrenceSet(root, req.limitRecurrenceSet, floating);
  if (req.limitFreebusySet) root = limitFreebusySet(root, req.limitFreebusySet, floating);
  let json = root.toJSON() as JComp;
  if (req.comp) json = prune(json, req.comp);
  if (req.contentType === JCAL_TYPE) return JSON.stringify(json);
  // Written component by component, pausing between them: an expand may hold thousands.
  const [name, props, comps] = json;
  const shell = contentLines([name, props, []]);
  const end = shell.lastIndexOf('\r\nEND:');
  const parts = [shell.slice(0, end)];
  for (const sub of comps) {
    parts.push(contentLines(sub));
    yield;
  }
  return parts.join('\r\n') + shell.slice(end) + '\r\n';
}

/** iCalendar text → jCal text (RFC 7265). */
export function toJcal(text: string): string {
  return JSON.stringify(parseCalendar(text).toJSON());
}
