import { PROPFIND_XML, type ReplayStep } from './replay.js';

const EVENT = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:DAVx5/4.3.13-ose ical4j/3.2.14 (at.techbee.jtx)\r\nBEGIN:VEVENT\r\nDTSTAMP:20240301T101010Z\r\nUID:4d3b2a1c-davx5\r\nSUMMARY:DAVx5 event\r\nDTSTART;TZID=Europe/Vienna:20240305T100000\r\nDTEND;TZID=Europe/Vienna:20240305T110000\r\nEND:VEVENT\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Vienna\r\nBEGIN:STANDARD\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n';

/** DAVx5 4.x (with Tasks.org/jtx): service discovery, calendar list, then a sync-collection based sync. */
export const DAVX5: readonly ReplayStep[] = [
  { note: 'well-known', method: 'PROPFIND', path: '/.well-known/caldav', headers: { ...PROPFIND_XML, Depth: '0' }, status: 301,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><propfind xmlns="DAV:"><prop><current-user-principal /></prop></propfind>' },
  { note: 'context path', method: 'PROPFIND', path: '/dav/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><resourcetype /><displayname /><CAL:calendar-home-set /><current-user-principal /></prop></propfind>',
    contains: ['<D:current-user-principal><D:href>/dav/principals/users/alice/</D:href>'] },
  { note: 'principal', method: 'PROPFIND', path: '/dav/principals/users/alice/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><CAL:calendar-home-set /><CAL:calendar-user-address-set /><displayname /><group-membership /></prop></propfind>',
    contains: ['<C:calendar-home-set><D:href>/dav/calendars/alice/</D:href>', 'mailto:alice@example.com'] },
  { note: 'calendar home listing', method: 'PROPFIND', path: '/dav/calendars/alice/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:ICAL="http://apple.com/ns/ical/"><prop><current-user-privilege-set /><displayname /><owner /><CAL:calendar-description /><ICAL:calendar-color /><CAL:supported-calendar-component-set /><CAL:calendar-timezone /><CS:source /><resourcetype /><CAL:supported-calendar-data /><sync-token /></prop></propfind>',
    contains: ['<D:href>/dav/calendars/alice/default/</D:href>', '<C:comp name="VEVENT"/>', '<C:comp name="VTODO"/>', /<D:privilege><D:(all|write)\/><\/D:privilege>/] },
  { note: 'collection state', method: 'PROPFIND', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag /><sync-token /><supported-report-set /></prop></propfind>',
    contains: ['sync-collection', 'calendar-multiget'], capture: { token: /<D:sync-token>([^<]+)<\/D:sync-token>/ } },
  { note: 'upload a new event', method: 'PUT', path: '/dav/calendars/alice/default/4d3b2a1c-davx5.ics', headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' }, body: EVENT, status: 201 },
  { note: 'sync-collection since the token', method: 'REPORT', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><sync-collection xmlns="DAV:"><sync-token>{{token}}</sync-token><sync-level>1</sync-level><prop><getetag /></prop></sync-collection>',
    contains: ['/dav/calendars/alice/default/4d3b2a1c-davx5.ics'], capture: { etag: /<D:getetag>("[^<]+")<\/D:getetag>/ } },
  { note: 'multiget the changes', method: 'REPORT', path: '/dav/calendars/alice/default/', headers: { ...PROPFIND_XML, Depth: '0' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><CAL:calendar-multiget xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getetag /><CAL:calendar-data /><CAL:schedule-tag /></prop><href>/dav/calendars/alice/default/4d3b2a1c-davx5.ics</href></CAL:calendar-multiget>',
    contains: ['SUMMARY:DAVx5 event'] },
  { note: 'update with If-Match', method: 'PUT', path: '/dav/calendars/alice/default/4d3b2a1c-davx5.ics', headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-Match': '{{etag}}' }, body: EVENT.replace('DAVx5 event', 'DAVx5 edited'), status: 204 },
  { note: 'jtx Board: a journal collection by extended MKCOL', method: 'MKCOL', path: '/dav/calendars/alice/2b8e5e7a-jtx/', headers: PROPFIND_XML, status: 201,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><mkcol xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:ICAL="http://apple.com/ns/ical/"><set><prop><resourcetype><collection /><CAL:calendar /></resourcetype><displayname>Journal</displayname><ICAL:calendar-color>#FF3F51B5</ICAL:calendar-color><CAL:supported-calendar-component-set><CAL:comp name="VJOURNAL" /><CAL:comp name="VTODO" /></CAL:supported-calendar-component-set></prop></set></mkcol>' },
  { note: 'jtx Board: a note', method: 'PUT', path: '/dav/calendars/alice/2b8e5e7a-jtx/7a1f0c5e-jtx.ics', headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' }, status: 201,
    body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:DAVx5/4.3.13-ose ical4j/3.2.14 (at.techbee.jtx)\r\nBEGIN:VJOURNAL\r\nUID:7a1f0c5e-jtx\r\nDTSTAMP:20240301T101010Z\r\nDTSTART;VALUE=DATE:20240301\r\nSUMMARY:Standup notes\r\nDESCRIPTION:All good\r\nSTATUS:FINAL\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n' },
  { note: 'jtx Board: journal entries of the day', method: 'REPORT', path: '/dav/calendars/alice/2b8e5e7a-jtx/', headers: { ...PROPFIND_XML, Depth: '1' }, status: 207,
    body: '<?xml version=\'1.0\' encoding=\'UTF-8\' ?><CAL:calendar-query xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav"><prop><getetag /></prop><CAL:filter><CAL:comp-filter name="VCALENDAR"><CAL:comp-filter name="VJOURNAL"><CAL:time-range start="20240301T000000Z" end="20240302T000000Z" /></CAL:comp-filter></CAL:comp-filter></CAL:filter></CAL:calendar-query>',
    contains: ['7a1f0c5e-jtx.ics'] },
  { note: 'delete with If-Match on a stale ETag', method: 'DELETE', path: '/dav/calendars/alice/default/4d3b2a1c-davx5.ics', headers: { 'If-Match': '{{etag}}' }, status: 412 },
];
