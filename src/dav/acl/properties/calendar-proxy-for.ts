import { proxyFor, type ProxyRole } from '../../../domain/acl/proxies.js';
import { el } from '../../../xml/element.js';
import { cs, dav } from '../../../xml/names.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';
import { principalPath } from '../../core/resource.js';

/** The users a user principal is a proxy for in `role`, as their principal hrefs (protected, not in allprop). */
function proxyForProperty(local: string, role: ProxyRole): PropertyDef {
  return {
    name: cs(local),
    allprop: false,
    appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
    get: async (ctx, r) =>
      r.principal
        ? (await proxyFor(ctx.store, r.principal.id, role)).map((n) =>
            el(dav('href'), {}, hrefOf(principalPath(n), true)),
          )
        : [],
  };
}

/** caldav-proxy §5.3.1 CS:calendar-proxy-read-for: whom this user reads calendars for. */
export const calendarProxyReadFor = proxyForProperty('calendar-proxy-read-for', 'calendar-proxy-read');

/** caldav-proxy §5.3.2 CS:calendar-proxy-write-for: whom this user reads, writes and schedules for. */
export const calendarProxyWriteFor = proxyForProperty('calendar-proxy-write-for', 'calendar-proxy-write');
