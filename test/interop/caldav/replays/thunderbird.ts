import { PROPFIND_XML, type ReplayStep } from './replay.js';

const EVENT =
  'BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nCREATED:20240301T090000Z\r\nLAST-MODIFIED:20240301T090000Z\r\nDTSTAMP:20240301T090000Z\r\nUID:0f1e2d3c-thunderbird\r\nSUMMARY:Thunderbird event\r\nDTSTART;VALUE=DATE:20240312\r\nDTEND;VALUE=DATE:20240313\r\nTRANSP:TRANSPARENT\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DURATION:-PT15M\r\nDESCRIPTION:Default Mozilla Description\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** Thunderbird 115 (calendar/providers/caldav): calendar check, ctag poll, etag query by range, multiget, PUT. */
export const THUNDERBIRD: readonly ReplayStep[] = [
  {
    note: 'check the calendar',
    method: 'PROPFIND',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '0' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:owner/><D:current-user-principal/><D:current-user-privilege-set/><D:supported-report-set/><C:supported-calendar-component-set/><CS:getctag/></D:prop></D:propfind>',
    contains: ['<C:calendar/>', '<CS:getctag>', 'calendar-query'],
  },
  { note: 'options', method: 'OPTIONS', path: '/dav/calendars/alice/default/', status: 200 },
  {
    note: 'principal',
    method: 'PROPFIND',
    path: '/dav/principals/users/alice/',
    headers: { ...PROPFIND_XML, Depth: '0' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-home-set/><C:calendar-user-address-set/><C:schedule-inbox-URL/><C:schedule-outbox-URL/></D:prop></D:propfind>',
    contains: ['/dav/calendars/alice/', 'mailto:alice@example.com'],
  },
  {
    note: 'create an event',
    method: 'PUT',
    path: '/dav/calendars/alice/default/0f1e2d3c-thunderbird.ics',
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    body: EVENT,
    status: 201,
  },
  {
    note: 'ctag changed',
    method: 'PROPFIND',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '0' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/></D:prop></D:propfind>',
    contains: ['<CS:getctag>'],
  },
  {
    note: 'etags of events in range',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20240201T000000Z" end="20240401T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>',
    contains: ['0f1e2d3c-thunderbird.ics'],
  },
  {
    note: 'etags of open tasks',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>',
  },
  {
    note: 'multiget',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>/dav/calendars/alice/default/0f1e2d3c-thunderbird.ics</D:href></C:calendar-multiget>',
    contains: ['SUMMARY:Thunderbird event'],
  },
  {
    note: 'free-busy of the calendar',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...PROPFIND_XML, Depth: '1' },
    status: 200,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20240311T000000Z" end="20240314T000000Z"/></C:free-busy-query>',
    contains: ['BEGIN:VFREEBUSY'],
  },
];
