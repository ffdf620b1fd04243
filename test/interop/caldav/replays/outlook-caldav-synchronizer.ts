import type { ReplayStep } from './replay.js';

const EVENT =
  'BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nCLASS:PUBLIC\r\nCREATED:20240301T090000Z\r\nDTEND;TZID="W. Europe Standard Time":20240307T110000\r\nDTSTAMP:20240301T090000Z\r\nDTSTART;TZID="W. Europe Standard Time":20240307T100000\r\nPRIORITY:5\r\nSEQUENCE:0\r\nSUMMARY;LANGUAGE=de:Outlook event\r\nTRANSP:OPAQUE\r\nUID:040000008200E00074C5B7101A82E00800000000\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
const XML = { 'Content-Type': 'text/xml; charset=UTF-8' };

/**
 * Outlook CalDav Synchronizer (CalDavSynchronizer/DataAccess/CalDavDataAccess.cs): OPTIONS for
 * calendar-access, allprop for the resource type, the write privileges by name, an etag query
 * by range, create with a GUID name, multiget, and an update that is labelled text/xml.
 */
export const OUTLOOK_CALDAV_SYNCHRONIZER: readonly ReplayStep[] = [
  { note: 'IsCalendarAccessSupported', method: 'OPTIONS', path: '/dav/calendars/alice/default/', status: 200 },
  {
    note: 'IsResourceCalender',
    method: 'PROPFIND',
    path: '/dav/calendars/alice/default/',
    headers: { ...XML, Depth: '0' },
    status: 207,
    body: '<?xml version=\'1.0\'?>\n<D:propfind xmlns:D="DAV:">\n<D:allprop/>\n</D:propfind>',
    contains: ['<C:calendar/>'],
  },
  {
    note: 'IsWriteableCalender',
    method: 'PROPFIND',
    path: '/dav/calendars/alice/default/',
    headers: { ...XML, Depth: '0' },
    status: 207,
    body: '<?xml version=\'1.0\'?>\n<D:propfind xmlns:D="DAV:">\n<D:prop>\n<D:current-user-privilege-set/>\n</D:prop>\n</D:propfind>',
    contains: [
      '<D:privilege><D:write-content/></D:privilege>',
      '<D:privilege><D:bind/></D:privilege>',
      '<D:privilege><D:unbind/></D:privilege>',
    ],
  },
  {
    note: 'CreateEntity',
    method: 'PUT',
    path: '/dav/calendars/alice/default/7d5c4e3b-2a19-4c8d-9e0f-1a2b3c4d5e6f.ics',
    headers: { 'Content-Type': 'text/calendar; charset=UTF-8', 'If-None-Match': '*' },
    body: EVENT,
    status: 201,
    capture: { etag: /^("[^"]+")$/ },
  },
  {
    note: 'GetEvents in range',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...XML, Depth: '1' },
    status: 207,
    body: '<?xml version="1.0"?>\n<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav">\n<D:prop xmlns:D="DAV:">\n<D:getetag/>\n</D:prop>\n<C:filter>\n<C:comp-filter name="VCALENDAR">\n<C:comp-filter name="VEVENT">\n<C:time-range start="20240201T120000Z" end="20240401T120000Z"/>\n</C:comp-filter>\n</C:comp-filter>\n</C:filter>\n</C:calendar-query>',
    contains: ['7d5c4e3b-2a19-4c8d-9e0f-1a2b3c4d5e6f.ics'],
  },
  {
    note: 'GetEntities (multiget, with displayname)',
    method: 'REPORT',
    path: '/dav/calendars/alice/default/',
    headers: { ...XML, Depth: '1', 'Accept-Charset': 'utf-8' },
    status: 207,
    body: '<?xml version="1.0"?>\n<C:calendar-multiget xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:D="DAV:">\n<D:prop>\n<D:getetag/>\n<D:displayname/>\n<C:calendar-data/>\n</D:prop>\n<D:href>/dav/calendars/alice/default/7d5c4e3b-2a19-4c8d-9e0f-1a2b3c4d5e6f.ics</D:href>\n</C:calendar-multiget>',
    contains: ['SUMMARY;LANGUAGE=de:Outlook event'],
  },
  {
    note: 'UpdateEntity (labelled text/xml, as the client does)',
    method: 'PUT',
    path: '/dav/calendars/alice/default/7d5c4e3b-2a19-4c8d-9e0f-1a2b3c4d5e6f.ics',
    headers: { ...XML, 'If-Match': '{{etag}}' },
    body: EVENT.replace('SEQUENCE:0', 'SEQUENCE:1'),
    status: 204,
  },
  {
    note: 'DeleteEntity with a stale ETag',
    method: 'DELETE',
    path: '/dav/calendars/alice/default/7d5c4e3b-2a19-4c8d-9e0f-1a2b3c4d5e6f.ics',
    headers: { 'If-Match': '{{etag}}' },
    status: 412,
  },
  {
    note: 'a real XML body under text/xml is still refused',
    method: 'PUT',
    path: '/dav/calendars/alice/default/not-ical.ics',
    headers: XML,
    body: '<?xml version="1.0"?><x/>',
    status: 403,
    contains: ['supported-calendar-data'],
  },
];
