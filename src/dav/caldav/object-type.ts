import { prepareCalendarObject, UidConflict } from '../../domain/calendar/object.js';
import { JCAL_TYPE, toJcal } from '../../formats/ical/calendar-data.js';
import { IcalError } from '../../formats/ical/errors.js';
import { el } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { header } from '../core/context.js';
import { DavError } from '../core/errors.js';
import type { ObjectTypeDef } from '../core/object-types.js';
import { hrefOf } from '../core/paths.js';
import { calendarLimits, calendarSettings, davErrorOf } from './calendar-collection.js';

/**
 * PUT into a calendar collection (RFC 4791 §5.3.2): the body must be one valid calendar object
 * the collection accepts; it is stored as sent, indexed by component, UID and occupied span.
 */
export const calendarObjectType: ObjectTypeDef = {
  async prepare(ctx, reader, parent, path, body) {
    const settings = await calendarSettings(reader, parent);
    try {
      const prepared = await prepareCalendarObject(reader, parent, path, body, header(ctx, 'content-type'), calendarLimits(ctx, settings));
      return { body: prepared.body, contentType: 'text/calendar; charset=utf-8', index: prepared.index };
    } catch (err) {
      if (err instanceof IcalError) throw davErrorOf(err);
      if (err instanceof UidConflict) {
        throw DavError.condition('caldav:no-uid-conflict', err.message, [el(dav('href'), {}, hrefOf(err.path, false))]);
      }
      throw err;
    }
  },
  /** RFC 7265 (jCal): jCal when the client asks for it and not for text/calendar. */
  represent(ctx, _stored, body) {
    const accept = header(ctx, 'accept') ?? '';
    const text = Buffer.from(body).toString('utf8');
    if (accept.includes(JCAL_TYPE) && !accept.includes('text/calendar')) {
      return { body: toJcal(text), contentType: `${JCAL_TYPE}; charset=utf-8` };
    }
    return { body, contentType: 'text/calendar; charset=utf-8' };
  },
};
