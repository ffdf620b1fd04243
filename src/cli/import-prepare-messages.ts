/**
 * What `almanac import` and its prepare worker send each other (issue #20): structured-clonable
 * data only — bytes, limits and the prepared index, never an ical.js tree.
 */
import type { CalendarLimits, PreparedCalendarObject } from '../domain/calendar/object.js';

/** One object to prepare: its bytes and label, as the write path will get them. */
export interface PrepareItem {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** A batch for the worker, under one calendar's limits. */
export interface PrepareRequest {
  readonly id: number;
  readonly limits: CalendarLimits;
  readonly items: readonly PrepareItem[];
}

/** A prepared object as it comes back; `body` null: stored as sent (not copied back). */
export type PreparedInWorker = Omit<PreparedCalendarObject, 'body'> & { readonly body: Uint8Array | null };

/** Per item, what the worker prepared, or null when the object is refused (the write path refuses it itself). */
export interface PrepareReply {
  readonly id: number;
  readonly threadId: number;
  readonly results: readonly (PreparedInWorker | null)[];
}
