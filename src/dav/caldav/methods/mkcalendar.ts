import { elements, isElement, type XmlElement } from '../../../xml/element.js';
import { caldav, dav } from '../../../xml/names.js';
import { parentPath } from '../../../store/paths.js';
import { createCollectionWithProps } from '../../core/collection-create.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import type { PropertyUpdate } from '../../core/property-update.js';
import type { MethodDef } from '../../core/registry.js';
import { readXmlBody } from '../../core/request.js';

/** Calendars live directly in a calendar home: /calendars/NAME/CALENDAR (RFC 4791 §5.3.1). */
function locationOk(path: string): boolean {
  const home = parentPath(path);
  return /^\/calendars\/[^/]+$/.test(home);
}

/** Parse a MKCALENDAR body (RFC 4791 §9.3): the initial properties it sets; none without a body. */
export function parseMkcalendar(root: XmlElement | null): PropertyUpdate[] {
  const updates: PropertyUpdate[] = [];
  if (!root) return updates;
  if (root.name !== caldav('mkcalendar'))
    throw DavError.badRequest('a MKCALENDAR body must be a CALDAV:mkcalendar element');
  for (const set of elements(root, dav('set'))) {
    for (const prop of elements(set, dav('prop'))) {
      for (const p of prop.children.filter(isElement)) updates.push({ op: 'set', prop: p });
    }
  }
  return updates;
}

/** RFC 4791 §5.3.1: create a calendar collection, with the initial properties of the body. */
async function mkcalendar(ctx: DavContext): Promise<DavResponse> {
  const updates = parseMkcalendar(await readXmlBody(ctx));
  if (!locationOk(ctx.path)) {
    throw DavError.condition(
      'caldav:calendar-collection-location-ok',
      'calendars can be created in a calendar home only',
    );
  }
  return createCollectionWithProps(ctx, 'calendar', updates, caldav('mkcalendar-response'), (parentType) => {
    if (parentType !== '')
      throw DavError.condition(
        'caldav:calendar-collection-location-ok',
        'a calendar cannot be created inside another calendar',
      );
  });
}

export const mkcalendarMethod: MethodDef = {
  name: 'MKCALENDAR',
  privilege: 'bind',
  allowedOn: (r) => r === null,
  handle: mkcalendar,
};
