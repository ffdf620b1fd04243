import { PROPFIND_XML, type ReplayStep } from './replay.js';

const TASK = 'BEGIN:VCALENDAR\r\nCALSCALE:GREGORIAN\r\nPRODID:-//Ximian//NONSGML Evolution Calendar//EN\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:20240301T120000Z-1234-1000-1-0@evolution\r\nDTSTAMP:20240301T120000Z\r\nSUMMARY:Evolution task\r\nDUE;VALUE=DATE:20240320\r\nCLASS:PUBLIC\r\nPERCENT-COMPLETE:0\r\nCREATED:20240301T120000Z\r\nLAST-MODIFIED:20240301T120000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n';

/** Evolution (evolution-data-server CalDAV backend): collection check, task upload, etag query, multiget. */
export const EVOLUTION: readonly ReplayStep[] = [
  { note: 'collection check', method: 'PROPFIND', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:IC="http://apple.com/ns/ical/"><D:prop><D:resourcetype/><D:displayname/><CS:getctag/><C:calendar-description/><IC:calendar-color/><C:supported-calendar-component-set/><D:current-user-privilege-set/></D:prop></D:propfind>',
    contains: ['<C:calendar/>', /<D:displayname[^>]*>Calendar<\/D:displayname>/] },
  { note: 'options', method: 'OPTIONS', path: '/dav/calendars/alice/default/', status: 200 },
  { note: 'upload a task', method: 'PUT', path: '/dav/calendars/alice/default/20240301T120000Z-1234-1000-1-0@evolution.ics', headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' }, body: TASK, status: 201 },
  { note: 'etags of tasks', method: 'REPORT', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter></C:filter></C:calendar-query>',
    contains: ['20240301T120000Z-1234-1000-1-0@evolution.ics'] },
  { note: 'multiget the tasks', method: 'REPORT', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version="1.0" encoding="utf-8"?>\n<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/dav/calendars/alice/default/20240301T120000Z-1234-1000-1-0@evolution.ics</D:href></C:calendar-multiget>',
    contains: ['SUMMARY:Evolution task'] },
  { note: 'same UID under another name', method: 'PUT', path: '/dav/calendars/alice/default/copy.ics', headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' }, body: TASK, status: 403,
    contains: ['no-uid-conflict'] },
];
