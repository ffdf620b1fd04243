/**
 * Seed inputs for the request fuzzer: the shapes real clients send (Apple and Thunderbird events
 * with embedded VTIMEZONEs, recurring series with overrides, tasks, vCard 3.0 and 4.0, the DAV
 * bodies of CalDAV/CardDAV clients, a SyncEvolution-style SyncML package 1), plus dictionaries of
 * lines and fragments that once broke a parser or an expander.
 */
const crlf = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;

const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

export const ICALENDAR: readonly string[] = [
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 14.4//EN',
    'CALSCALE:GREGORIAN',
    ...BERLIN,
    'BEGIN:VEVENT',
    'UID:fuzz-apple-1',
    'DTSTAMP:20260101T090000Z',
    'CREATED:20260101T090000Z',
    'SEQUENCE:0',
    'DTSTART;TZID=Europe/Berlin:20260105T090000',
    'DTEND;TZID=Europe/Berlin:20260105T100000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261231T225959Z',
    'EXDATE;TZID=Europe/Berlin:20260107T090000',
    'SUMMARY:Stand-up',
    'LOCATION:Room 4\\, Berlin',
    'DESCRIPTION:Daily sync\\nwith notes',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-PT15M',
    'DESCRIPTION:Reminder',
    'END:VALARM',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:fuzz-apple-1',
    'DTSTAMP:20260101T090000Z',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260109T090000',
    'DTSTART;TZID=Europe/Berlin:20260109T110000',
    'DTEND;TZID=Europe/Berlin:20260109T120000',
    'SUMMARY:Stand-up (moved)',
    'END:VEVENT',
    'END:VCALENDAR',
  ]),
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN',
    ...BERLIN,
    'BEGIN:VEVENT',
    'CREATED:20260201T120000Z',
    'LAST-MODIFIED:20260201T120000Z',
    'DTSTAMP:20260201T120000Z',
    'UID:fuzz-tb-2',
    'SUMMARY:Monthly review',
    'RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=24',
    'DTSTART;TZID=Europe/Berlin:20260210T140000',
    'DTEND;TZID=Europe/Berlin:20260210T153000',
    'ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:bob@example.com',
    'ORGANIZER;CN=Alice:mailto:alice@example.com',
    'X-MOZ-GENERATION:1',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:fuzz-tb-2',
    'DTSTAMP:20260201T120000Z',
    'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260609T140000',
    'DTSTART;TZID=Europe/Berlin:20260609T150000',
    'DTEND;TZID=Europe/Berlin:20260609T163000',
    'SUMMARY:Monthly review (later)',
    'END:VEVENT',
    'END:VCALENDAR',
  ]),
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//DAVx5//EN',
    'BEGIN:VTODO',
    'UID:fuzz-todo-3',
    'DTSTAMP:20260301T080000Z',
    'SUMMARY:File taxes',
    'DUE;VALUE=DATE:20260415',
    'PRIORITY:1',
    'STATUS:NEEDS-ACTION',
    'PERCENT-COMPLETE:10',
    'RRULE:FREQ=YEARLY',
    'CATEGORIES:Home,Money',
    'END:VTODO',
    'END:VCALENDAR',
  ]),
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Evolution//EN',
    'BEGIN:VEVENT',
    'UID:fuzz-allday-4',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;VALUE=DATE:20260501',
    'DTEND;VALUE=DATE:20260502',
    'SUMMARY:Holiday',
    'TRANSP:TRANSPARENT',
    'RDATE;VALUE=DATE:20270501,20280501',
    'END:VEVENT',
    'BEGIN:VJOURNAL',
    'UID:fuzz-journal-4',
    'DTSTAMP:20260401T000000Z',
    'DTSTART;VALUE=DATE:20260401',
    'SUMMARY:Notes',
    'END:VJOURNAL',
    'END:VCALENDAR',
  ]),
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//floating//EN',
    'BEGIN:VEVENT',
    'UID:fuzz-floating-5',
    'DTSTAMP:20260401T000000Z',
    'DTSTART:20260601T080000',
    'DURATION:PT8H',
    'RRULE:FREQ=DAILY;INTERVAL=2',
    'SUMMARY:Open-ended floating series',
    'END:VEVENT',
    'END:VCALENDAR',
  ]),
];

/** Lines that once hung, crashed or were wrongly accepted (issue findings 9–11). */
export const ICALENDAR_LINES: readonly string[] = [
  'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
  'RRULE:FREQ=SECONDLY',
  'RRULE:FREQ=MINUTELY;BYSECOND=0,1,2,3,4,5,6,7,8,9',
  'RRULE:FREQ=WEEKLY;BYMONTHDAY=3',
  'RRULE:INTERVAL=0;FREQ=DAILY',
  'RRULE:FREQ=DAILY;COUNT=-1',
  'RRULE:BYDAY=MO',
  'RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO',
  'RRULE:FREQ=YEARLY;BYYEARDAY=366',
  'RRULE:FREQ=MONTHLY;BYSETPOS=-366;BYDAY=MO',
  'RRULE:FREQ=DAILY;UNTIL=99991231T235959Z',
  'RRULE:FREQ=HOURLY;BYHOUR=25',
  'EXDATE:20260101T000000Z,20260102T000000Z',
  'RDATE;VALUE=PERIOD:20260101T000000Z/PT1H',
  'RECURRENCE-ID;RANGE=THISANDFUTURE:20260101T000000Z',
  'DTSTART;TZID=Nowhere/Zone:20260101T000000',
  'DTSTART:00000101T000000Z',
  'DTSTART:99991231T235959Z',
  'DURATION:-P1W',
  'DURATION:P99999999W',
  'BEGIN:VTIMEZONE',
  'END:VTIMEZONE',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+2500',
  'TZOFFSETTO:-9999',
  'BEGIN:VALARM',
  'TRIGGER;RELATED=END:-P99999D',
  'END:VALARM',
  'BEGIN:VEVENT',
  'END:VEVENT',
  'END:VCALENDAR',
  'UID:',
  'ATTACH;ENCODING=BASE64;VALUE=BINARY:AAAA',
  'X-LONG:'.padEnd(9000, 'x'),
];

export const VCARD: readonly string[] = [
  crlf([
    'BEGIN:VCARD',
    'VERSION:3.0',
    'PRODID:-//Apple Inc.//Mac OS X 10.15.7//EN',
    'N:Appleseed;Johnny;;;',
    'FN:Johnny Appleseed',
    'ORG:Head of R&D\\; Berlin;Lab',
    'TITLE:Head of R&D\\; Berlin',
    'item1.EMAIL;type=INTERNET;type=pref:johnny@example.com',
    'item1.X-ABLabel:_$!<Other>!$_',
    'TEL;type=CELL;type=VOICE;type=pref:+1 555 0100',
    'ADR;type=HOME:;;1 Main St;Springfield;;12345;USA',
    'NOTE:Line one\\nLine two',
    'BDAY:1980-04-01',
    'UID:fuzz-card-1',
    'END:VCARD',
  ]),
  crlf([
    'BEGIN:VCARD',
    'VERSION:4.0',
    'UID:urn:uuid:fuzz-card-2',
    'FN:Bärbel Müller',
    'N:Müller;Bärbel;;Dr.;',
    'EMAIL;TYPE=work;PREF=1:baerbel@example.org',
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+49-30-1234567',
    'PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'ANNIVERSARY:--0412',
    'CATEGORIES:friends,work',
    'REV:20260101T000000Z',
    'END:VCARD',
  ]),
];

export const VCARD_LINES: readonly string[] = [
  'BEGIN:VCARD',
  'END:VCARD',
  'VERSION:2.1',
  'VERSION:4.0',
  'FN:',
  'N:;;;;;;;;;;;;;;',
  'EMAIL;TYPE=' + 'a,'.repeat(2000) + ':x@y',
  'PHOTO;ENCODING=b;TYPE=JPEG:' + 'A'.repeat(4000),
  'item1.X-ABLabel:',
  'X-' + 'Y'.repeat(3000) + ':z',
  'TEL;VALUE=uri:tel:',
  'BDAY:--',
  'UID:',
];

const D = 'xmlns:D="DAV:"';
const C = 'xmlns:C="urn:ietf:params:xml:ns:caldav"';
const CR = 'xmlns:CR="urn:ietf:params:xml:ns:carddav"';

export interface DavSample {
  readonly method: string;
  /** `{CAL}`, `{BOOK}`, `{FILES}`, `{PRINCIPAL}` are filled in by the runner. */
  readonly path: string;
  readonly depth?: string;
  readonly body: string;
}

export const DAV_XML: readonly DavSample[] = [
  {
    method: 'PROPFIND',
    path: '{CAL}',
    depth: '1',
    body: `<?xml version="1.0" encoding="utf-8"?><D:propfind ${D} xmlns:CS="http://calendarserver.org/ns/"><D:prop><D:resourcetype/><D:getetag/><CS:getctag/><D:sync-token/><D:current-user-privilege-set/><D:supported-report-set/></D:prop></D:propfind>`,
  },
  {
    method: 'PROPPATCH',
    path: '{CAL}',
    body: `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate ${D} xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop><D:displayname>Work</D:displayname><A:calendar-color>#FF0000FF</A:calendar-color></D:prop></D:set><D:remove><D:prop><x:y xmlns:x="urn:x"/></D:prop></D:remove></D:propertyupdate>`,
  },
  {
    method: 'REPORT',
    path: '{CAL}',
    depth: '1',
    body: `<?xml version="1.0" encoding="utf-8"?><C:calendar-query ${D} ${C}><D:prop><D:getetag/><C:calendar-data><C:expand start="20260101T000000Z" end="20270101T000000Z"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20260101T000000Z" end="20270101T000000Z"/></C:comp-filter></C:comp-filter></C:filter><C:timezone>${crlf(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//EN', ...BERLIN, 'END:VCALENDAR'])}</C:timezone></C:calendar-query>`,
  },
  {
    method: 'REPORT',
    path: '{CAL}',
    depth: '1',
    body: `<C:calendar-query ${D} ${C}><D:prop><C:calendar-data><C:comp name="VCALENDAR"><C:prop name="VERSION"/><C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/></C:comp></C:comp><C:limit-recurrence-set start="20260101T000000Z" end="20260201T000000Z"/></C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter><C:prop-filter name="SUMMARY"><C:text-match collation="i;unicode-casemap" negate-condition="yes">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`,
  },
  {
    method: 'REPORT',
    path: '{CAL}',
    body: `<C:calendar-multiget ${D} ${C}><D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{CAL}fuzz-0.ics</D:href><D:href>{CAL}missing.ics</D:href><D:href>/dav/calendars/bob/default/x.ics</D:href></C:calendar-multiget>`,
  },
  {
    method: 'REPORT',
    path: '{CAL}',
    body: `<C:free-busy-query ${C}><C:time-range start="20260101T000000Z" end="20270101T000000Z"/></C:free-busy-query>`,
  },
  {
    method: 'REPORT',
    path: '{CAL}',
    body: `<D:sync-collection ${D}><D:sync-token/><D:sync-level>1</D:sync-level><D:limit><D:nresults>10</D:nresults></D:limit><D:prop><D:getetag/></D:prop></D:sync-collection>`,
  },
  {
    method: 'REPORT',
    path: '{BOOK}',
    depth: '1',
    body: `<CR:addressbook-query ${D} ${CR}><D:prop><D:getetag/><CR:address-data content-type="text/vcard" version="4.0"><CR:prop name="FN"/><CR:prop name="EMAIL"/></CR:address-data></D:prop><CR:filter test="anyof"><CR:prop-filter name="FN"><CR:text-match collation="i;unicode-casemap" match-type="contains">Jo</CR:text-match></CR:prop-filter><CR:prop-filter name="EMAIL"><CR:param-filter name="TYPE"><CR:text-match match-type="equals">work</CR:text-match></CR:param-filter></CR:prop-filter></CR:filter><CR:limit><CR:nresults>5</CR:nresults></CR:limit></CR:addressbook-query>`,
  },
  {
    method: 'REPORT',
    path: '{PRINCIPAL}',
    body: `<D:expand-property ${D}><D:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav"><D:property name="displayname"/><D:property name="sync-token"/></D:property><D:property name="current-user-principal"><D:property name="displayname"/></D:property></D:expand-property>`,
  },
  {
    method: 'REPORT',
    path: '/dav/principals/',
    body: `<D:principal-property-search ${D} test="anyof"><D:property-search><D:prop><D:displayname/></D:prop><D:match>a</D:match></D:property-search><D:prop><D:displayname/><C:calendar-home-set ${C}/></D:prop></D:principal-property-search>`,
  },
  {
    method: 'LOCK',
    path: '{FILES}fuzz-lock.txt',
    depth: '0',
    body: `<?xml version="1.0" encoding="utf-8"?><D:lockinfo ${D}><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>mailto:alice@example.com</D:href></D:owner></D:lockinfo>`,
  },
  {
    method: 'MKCOL',
    path: '{FILES}fuzz-col/',
    body: `<D:mkcol ${D} ${C}><D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>New</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></D:mkcol>`,
  },
];

export const XML_FRAGMENTS: readonly string[] = [
  '<D:href>/dav/calendars/bob/default/</D:href>',
  '<D:href>../../bob/</D:href>',
  '<D:href>%E0%A4%A</D:href>',
  '<C:time-range start="00000101T000000Z" end="99991231T235959Z"/>',
  '<C:expand start="19000101T000000Z" end="21000101T000000Z"/>',
  '<C:comp-filter name="VTIMEZONE"/>',
  '<D:allprop/>',
  '<D:propname/>',
  '<D:nresults>-1</D:nresults>',
  '<D:nresults>99999999999</D:nresults>',
  '<x:y xmlns:x="">',
  '<![CDATA[\u0000]]>',
  '&#xD800;',
  '&#x0;',
  '<D:sync-token>http://almanac/ns/sync/999999999999</D:sync-token>',
  '<C:text-match collation="i;octet">',
  '<C:param-filter name="">',
];

/** SyncEvolution-style package 1 (XML): credentials, DevInf Put, a two-way Alert. */
export const SYNCML_XML: readonly string[] = [
  `<?xml version="1.0" encoding="UTF-8"?><SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>SyncML/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>http://127.0.0.1/syncml</LocURI></Target><Source><LocURI>fuzz-device</LocURI><LocName>alice</LocName></Source><Cred><Meta><Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-basic</Type></Meta><Data>YWxpY2U6YWxpY2UtcHc=</Data></Cred><Meta><MaxMsgSize xmlns="syncml:metinf">20000</MaxMsgSize><MaxObjSize xmlns="syncml:metinf">4000000</MaxObjSize></Meta></SyncHdr><SyncBody><Put><CmdID>1</CmdID><Meta><Type xmlns="syncml:metinf">application/vnd.syncml-devinf+xml</Type></Meta><Item><Source><LocURI>./devinf12</LocURI></Source><Data><DevInf xmlns="syncml:devinf"><VerDTD>1.2</VerDTD><Man>Test</Man><DevID>fuzz-device</DevID><DevTyp>phone</DevTyp><DataStore><SourceRef>./contacts</SourceRef><MaxGUIDSize>32</MaxGUIDSize><Rx-Pref><CTType>text/vcard</CTType><VerCT>3.0</VerCT></Rx-Pref><Tx-Pref><CTType>text/vcard</CTType><VerCT>3.0</VerCT></Tx-Pref><SyncCap><SyncType>1</SyncType><SyncType>2</SyncType></SyncCap></DataStore></DevInf></Data></Item></Put><Alert><CmdID>2</CmdID><Data>200</Data><Item><Target><LocURI>contacts</LocURI></Target><Source><LocURI>./contacts</LocURI></Source><Meta><Anchor xmlns="syncml:metinf"><Last>1</Last><Next>2</Next></Anchor><MaxObjSize xmlns="syncml:metinf">4000000</MaxObjSize></Meta></Item></Alert><Final/></SyncBody></SyncML>`,
  `<?xml version="1.0" encoding="UTF-8"?><SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>SyncML/1.2</VerProto><SessionID>2</SessionID><MsgID>2</MsgID><Target><LocURI>http://127.0.0.1/syncml</LocURI></Target><Source><LocURI>fuzz-device</LocURI></Source></SyncHdr><SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><TargetRef>fuzz-device</TargetRef><SourceRef>http://127.0.0.1/syncml</SourceRef><Data>200</Data></Status><Sync><CmdID>2</CmdID><Target><LocURI>calendar</LocURI></Target><Source><LocURI>./cal</LocURI></Source><Add><CmdID>3</CmdID><Meta><Type xmlns="syncml:metinf">text/calendar</Type></Meta><Item><Source><LocURI>1</LocURI></Source><Data>BEGIN:VCALENDAR&#13;
VERSION:2.0&#13;
BEGIN:VEVENT&#13;
UID:syncml-fuzz&#13;
DTSTART:20260101T100000Z&#13;
RRULE:FREQ=DAILY;COUNT=3&#13;
SUMMARY:x&#13;
END:VEVENT&#13;
END:VCALENDAR</Data></Item></Add></Sync><Final/></SyncBody></SyncML>`,
];
