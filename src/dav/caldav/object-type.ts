import { JCAL_TYPE, toJcal } from '../../formats/ical/calendar-data.js';
import { header } from '../core/context.js';
import type { ObjectTypeDef } from '../core/object-types.js';

/**
 * Calendar object resources (RFC 4791 §5.3.2). What a PUT may store is the domain's rule
 * (domain/objects/prepare-object.ts); here, how a GET answers one.
 */
export const calendarObjectType: ObjectTypeDef = {
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
