import { PROPFIND_XML, type ReplayStep } from './replay.js';

const EVENT = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//iOS 17.4//EN\r\nCALSCALE:GREGORIAN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nDTSTART:19810329T020000\r\nTZNAME:CEST\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nDTSTART:19961027T030000\r\nTZNAME:CET\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nCREATED:20240301T080000Z\r\nUID:8A2E5C11-IOS\r\nDTEND;TZID=Europe/Berlin:20240306T100000\r\nTRANSP:OPAQUE\r\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\nSUMMARY:iPhone event\r\nLAST-MODIFIED:20240301T080000Z\r\nDTSTAMP:20240301T080000Z\r\nDTSTART;TZID=Europe/Berlin:20240306T090000\r\nSEQUENCE:0\r\nRRULE:FREQ=WEEKLY;BYDAY=WE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** iOS / macOS Calendar (dataaccessd): principal, home listing, MKCALENDAR, sync-collection, multiget, PROPPATCH. */
export const APPLE: readonly ReplayStep[] = [
  { note: 'well-known', method: 'PROPFIND', path: '/.well-known/caldav', headers: { ...PROPFIND_XML, Depth: '0' }, status: 301,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/><A:resourcetype/></A:prop></A:propfind>' },
  { note: 'root', method: 'PROPFIND', path: '/dav/', headers: { ...PROPFIND_XML, Depth: '0', Brief: 't' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/><A:resourcetype/></A:prop></A:propfind>',
    contains: ['/dav/principals/users/alice/'] },
  { note: 'principal', method: 'PROPFIND', path: '/dav/principals/users/alice/', headers: { ...PROPFIND_XML, Depth: '0', Brief: 't' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/"><A:prop><B:calendar-home-set/><B:calendar-user-address-set/><A:current-user-principal/><A:displayname/><C:dropbox-home-URL/><C:email-address-set/><C:notification-URL/><A:principal-collection-set/><A:principal-URL/><A:resource-id/><B:schedule-inbox-URL/><B:schedule-outbox-URL/><A:supported-report-set/></A:prop></A:propfind>',
    contains: ['/dav/calendars/alice/', 'mailto:alice@example.com'] },
  { note: 'home listing', method: 'PROPFIND', path: '/dav/calendars/alice/', headers: { ...PROPFIND_XML, Depth: '1', Brief: 't' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:propfind xmlns:A="DAV:" xmlns:B="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="http://apple.com/ns/ical/"><A:prop><A:add-member/><C:allowed-sharing-modes/><D:autoprovisioned/><E:bulk-requests xmlns:E="http://me.com/_namespace/"/><D:calendar-color/><C:calendar-description/><C:calendar-free-busy-set/><D:calendar-order/><C:calendar-timezone/><A:current-user-privilege-set/><C:default-alarm-vevent-date/><C:default-alarm-vevent-datetime/><A:displayname/><B:getctag/><D:language-code/><D:location-code/><A:owner/><B:pre-publish-url/><B:publish-url/><B:push-transports/><B:pushkey/><A:quota-available-bytes/><A:quota-used-bytes/><D:refreshrate/><A:resource-id/><A:resourcetype/><C:schedule-calendar-transp/><C:schedule-default-calendar-URL/><B:source/><B:subscribed-strip-alarms/><B:subscribed-strip-attachments/><B:subscribed-strip-todos/><C:supported-calendar-component-set/><C:supported-calendar-component-sets/><A:supported-report-set/><A:sync-token/></A:prop></A:propfind>',
    contains: ['/dav/calendars/alice/default/', '<C:opaque/>'] },
  { note: 'new calendar from the app', method: 'MKCALENDAR', path: '/dav/calendars/alice/8B0C-IOS-NEW/', headers: PROPFIND_XML, status: 201,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<B:mkcalendar xmlns:B="urn:ietf:params:xml:ns:caldav"><A:set xmlns:A="DAV:"><A:prop><D:calendar-order xmlns:D="http://apple.com/ns/ical/">2</D:calendar-order><B:supported-calendar-component-set><B:comp name="VEVENT"/></B:supported-calendar-component-set><D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="custom">#63DA38FF</D:calendar-color><A:displayname>Family</A:displayname><B:calendar-free-busy-set><NO/></B:calendar-free-busy-set></A:prop></A:set></B:mkcalendar>' },
  { note: 'initial sync-collection', method: 'REPORT', path: '/dav/calendars/alice/8B0C-IOS-NEW/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:sync-collection xmlns:A="DAV:"><A:sync-token/><A:sync-level>1</A:sync-level><A:prop><A:getcontenttype/><A:getetag/></A:prop></A:sync-collection>',
    capture: { token: /<D:sync-token>([^<]+)<\/D:sync-token>/ } },
  { note: 'create a recurring event', method: 'PUT', path: '/dav/calendars/alice/8B0C-IOS-NEW/8A2E5C11-IOS.ics', headers: { 'Content-Type': 'text/calendar', 'If-None-Match': '*' }, body: EVENT, status: 201 },
  { note: 'incremental sync-collection', method: 'REPORT', path: '/dav/calendars/alice/8B0C-IOS-NEW/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:sync-collection xmlns:A="DAV:"><A:sync-token>{{token}}</A:sync-token><A:sync-level>1</A:sync-level><A:prop><A:getcontenttype/><A:getetag/></A:prop></A:sync-collection>',
    contains: ['8A2E5C11-IOS.ics', 'text/calendar'] },
  { note: 'multiget', method: 'REPORT', path: '/dav/calendars/alice/8B0C-IOS-NEW/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<B:calendar-multiget xmlns:B="urn:ietf:params:xml:ns:caldav"><A:prop xmlns:A="DAV:"><A:getetag/><B:calendar-data/><C:updated-by xmlns:C="http://calendarserver.org/ns/"/><C:created-by xmlns:C="http://calendarserver.org/ns/"/></A:prop><A:href xmlns:A="DAV:">/dav/calendars/alice/8B0C-IOS-NEW/8A2E5C11-IOS.ics</A:href></B:calendar-multiget>',
    contains: ['SUMMARY:iPhone event'] },
  { note: 'recolour', method: 'PROPPATCH', path: '/dav/calendars/alice/8B0C-IOS-NEW/', headers: PROPFIND_XML, status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<A:propertyupdate xmlns:A="DAV:"><A:set><A:prop><D:calendar-color xmlns:D="http://apple.com/ns/ical/" symbolic-color="custom">#FF2968FF</D:calendar-color></A:prop></A:set></A:propertyupdate>',
    contains: ['HTTP/1.1 200 OK'] },
  { note: 'delete the calendar', method: 'DELETE', path: '/dav/calendars/alice/8B0C-IOS-NEW/', status: 204 },
];
