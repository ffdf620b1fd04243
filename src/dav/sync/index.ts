import type { Registry } from '../core/registry.js';
import { getctag } from './properties/getctag.js';
import { syncTokenProperty } from './properties/sync-token.js';
import { syncCollection } from './reports/sync-collection.js';

/** RFC 6578 collection synchronisation, and the CalendarServer CTag every client still reads. */
export function registerSync(registry: Registry): void {
  registry.property(syncTokenProperty);
  registry.property(getctag);
  registry.report(syncCollection);
}
