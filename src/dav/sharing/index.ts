import { cs } from '../../xml/names.js';
import type { Registry } from '../core/registry.js';
import { postSharingMethod } from './methods/post-sharing.js';
import { allowedSharingModes } from './properties/allowed-sharing-modes.js';
import { invite } from './properties/invite.js';
import { notificationUrl } from './properties/notification-url.js';
import { notificationtype } from './properties/notificationtype.js';
import { shareAccess } from './properties/share-access.js';
import { sharedUrl } from './properties/shared-url.js';

/**
 * Calendar and address book sharing (issue #17 items 1, 2, 5): CalendarServer sharing
 * (caldav-sharing), its notifications, and draft-pot-webdav-resource-sharing's POST and
 * DAV:share-access — everything it adds, listed once.
 */
export function registerSharing(registry: Registry): void {
  // caldav-sharing §5.1: feature discovery in the DAV header.
  registry.compliance.push('calendarserver-sharing');
  // §4: the notification collection; its members are XML documents, stored as sent.
  registry.collectionType({ name: 'notification', resourceType: [cs('notification')] });
  registry.post(postSharingMethod);
  for (const p of [invite, allowedSharingModes, sharedUrl, shareAccess, notificationUrl, notificationtype]) {
    registry.property(p);
  }
}
