import { PROPFIND_XML, type ReplayStep } from './replay.js';

const TASK =
  'BEGIN:VCALENDAR\r\nCALSCALE:GREGORIAN\r\nPRODID:-//Ximian//NONSGML Evolution Calendar//EN\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:20240301T120000Z-1234-1000-1-0@evolution\r\nDTSTAMP:20240301T120000Z\r\nSUMMARY:Evolution task\r\nDUE;VALUE=DATE:20240320\r\nCLASS:PUBLIC\r\nPERCENT-COMPLETE:0\r\nCREATED:20240301T120000Z\r\nLAST-MODIFIED:20240301T120000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n';

/**
 * Evolution (evolution-data-server, calendar/backends/caldav/e-cal-backend-caldav.c): collection
 * check, upload, the ±5-week etag query of get_changes (Depth 1, filter elements in the CalDAV
 * namespace), the list_existing query (Depth 0 on the collection, calendar-data limited to UID),
 * multiget. Header values as libsoup sends them (quoted charset).
 */
export const EVOLUTION: readonly ReplayStep[] = [
  {
    note: 'collection check',
    method: 'PROPFIND',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '0' },
    status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:IC="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><CS:getctag/><C:calendar-description/><IC:calendar-color/><C:supported-calendar-component-set/><D:current-user-privilege-set/></D:prop></D:propfind>',
    contains: ['<C:calendar/>', /<D:displayname[^>]*>Calendar<\/D:displayname>/],
  },
  { note: 'options', method: 'OPTIONS', path: '/dav/calendars/alice/default/', status: 200 },
  {
    note: 'upload a task',
    method: 'PUT',
    path: '/dav/calendars/alice/default/20240301T120000Z-1234-1000-1-0@evolution.ics',
    headers: { 'Content-Type': 'text/calendar; charset="utf-8"', 'If-None-Match': '*' },
    body: TASK,
    status: 201,
  },
  {
    note: 'get_changes: etags of tasks (first pass, ±5 weeks)',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { 'Content-Type': 'application/xml; charset="utf-8"', Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<calendar-query xmlns="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:"><D:prop><D:getetag/></D:prop><filter><comp-filter name="VCALENDAR"><comp-filter name="VTODO"><time-range start="20240201T000000Z" end="20240405T000000Z"/></comp-filter></comp-filter></filter></calendar-query>',
    contains: ['20240301T120000Z-1234-1000-1-0@evolution.ics'],
  },
  {
    note: 'list_existing: Depth 0 on the collection, UIDs only',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { 'Content-Type': 'application/xml; charset="utf-8"', Depth: '0' },
    status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<calendar-query xmlns="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:"><D:prop><D:getetag/><calendar-data><comp name="VCALENDAR"><comp name="VTODO"><prop name="UID"/></comp></comp></calendar-data></D:prop><filter><comp-filter name="VCALENDAR"><comp-filter name="VTODO"/></comp-filter></filter></calendar-query>',
    contains: [
      /UID:20240301T120000Z-1234-1000-1-0@evolution/,
      /<C:calendar-data>BEGIN:VCALENDAR\s+BEGIN:VTODO\s+UID:[^\n]+\s+END:VTODO\s+END:VCALENDAR\s+<\/C:calendar-data>/,
    ],
  },
  {
    note: 'etags of tasks',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter></C:filter></C:calendar-query>',
    contains: ['20240301T120000Z-1234-1000-1-0@evolution.ics'],
  },
  {
    note: 'multiget the tasks',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/dav/calendars/alice/default/20240301T120000Z-1234-1000-1-0@evolution.ics</D:href></C:calendar-multiget>',
    contains: ['SUMMARY:Evolution task'],
  },
  {
    note: 'same UID under another name',
    method: 'PUT',
    path: '/dav/calendars/alice/default/copy.ics',
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    body: TASK,
    status: 403,
    contains: ['no-uid-conflict'],
  },
];
