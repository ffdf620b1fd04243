import { el, isElement } from '../../../xml/element.js';
import { cs } from '../../../xml/names.js';
import { parseXml } from '../../../xml/parse.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * CS:notificationtype (caldav-sharing §4.2.1) on a notification: the element after CS:dtstamp
 * in its document, empty, with its attributes (e.g. `shared-type`).
 */
export const notificationtype: PropertyDef = {
  name: cs('notificationtype'),
  allprop: false,
  appliesTo: (r) =>
    r.stored !== null && !r.stored.isCollection && /^\/calendars\/[^/]+\/notification\/[^/]+$/.test(r.stored.path),
  get: async (ctx, r) => {
    const body = new TextDecoder().decode(await ctx.store.readBody(r.stored!.id));
    let kind;
    try {
      kind = parseXml(body, ctx.settings.xml)
        .children.filter(isElement)
        .find((c) => c.name !== cs('dtstamp'));
    } catch {
      return undefined;
    }
    return kind ? [el(kind.name, kind.attrs)] : undefined;
  },
};
