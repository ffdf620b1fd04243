import { el } from '../../../xml/element.js';
import { cs, dav } from '../../../xml/names.js';
import { notificationCollectionPath } from '../../../domain/sharing/notifications.js';
import { hrefOf } from '../../core/paths.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * CS:notification-URL (caldav-sharing §4.1.1) on a user's principal: their notification
 * collection, made when the first notification arrives (domain/sharing/notifications.ts).
 */
export const notificationUrl: PropertyDef = {
  name: cs('notification-URL'),
  allprop: false,
  appliesTo: (r) => r.kind === 'principal' && r.principal !== null,
  get: (_ctx, r) => [el(dav('href'), {}, hrefOf(notificationCollectionPath(r.principal!.name), true))],
};
