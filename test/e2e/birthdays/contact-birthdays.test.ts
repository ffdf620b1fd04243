/**
 * The birthday calendar derived from contacts (issue #13, Nextcloud's "Contact birthdays"), over
 * CardDAV and CalDAV only: a card with BDAY (vCard 3 and 4 forms, RFC 6350 §6.2.5, RFC 2426
 * §3.1.5) or ANNIVERSARY / X-ANNIVERSARY becomes a yearly all-day event (RFC 5545
 * RRULE:FREQ=YEARLY, DTSTART;VALUE=DATE); edits and deletes follow, and RFC 6578 sync-collection
 * reports exactly the events whose content changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { calendarData, names, query, report, XML, type Fetch } from '../rfc4791/caldav-client.js';

const CAL = '/dav/calendars/alice/contact_birthdays/';
const BOOK = '/dav/addressbooks/alice/default/';

const card4 = (uid: string, fn: string, ...extra: string[]) =>
  ['BEGIN:VCARD', 'VERSION:4.0', `UID:${uid}`, `FN:${fn}`, ...extra, 'END:VCARD', ''].join('\r\n');
const card3 = (uid: string, fn: string, ...extra: string[]) =>
  ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, ...extra, 'END:VCARD', ''].join('\r\n');

const sync = (token: string) =>
  `<?xml version="1.0"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
const tokenOf = (text: string): string =>
  /<D:sync-token>([^<]+)<\/D:sync-token>\s*<\/D:multistatus>/.exec(text)?.[1] ?? '';

/** Poll (bounded) until `check` holds: the calendar is updated after the contact's commit. */
async function until<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: not reached within ${ms} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('birthday calendar derived from contacts (issue #13)', () => {
  let s: TestServer;
  let dav: Fetch;
  before(async () => {
    s = await startTestServer({ config: { subscriptionCheckMs: 0 } });
    dav = davFetch(s.url);
  });
  after(() => s.close());

  const putCard = async (name: string, body: string, type = 'text/vcard') => {
    const r = await dav(`${BOOK}${name}`, { method: 'PUT', headers: { 'Content-Type': type }, body });
    assert.ok(r.status === 201 || r.status === 204, `PUT ${name}: ${r.status}`);
  };
  const events = async (): Promise<Map<string, string>> => {
    const r = await report(dav, CAL, query('<C:comp-filter name="VCALENDAR"/>', '<D:getetag/><C:calendar-data/>'));
    if (r.status !== 207) return new Map();
    return new Map(
      [...calendarData(r.xml).values()].map((text) => [/SUMMARY:(.*)/.exec(text)?.[1]?.trim() ?? '', text]),
    );
  };
  const token = async () => tokenOf((await report(dav, CAL, sync(''), null)).text);

  it('a contact with BDAY gives a yearly all-day event in a read-only calendar of the calendar home', async () => {
    await putCard('ada.vcf', card4('ada', 'Ada Lovelace', 'BDAY:18151210'));
    const got = await until("Ada's birthday", events, (m) => m.has('Ada Lovelace (1815)'));
    const ada = got.get('Ada Lovelace (1815)') ?? '';
    assert.match(ada, /RRULE:FREQ=YEARLY/);
    assert.match(
      ada,
      /DTSTART;VALUE=DATE:19721210/,
      'before 1900: the leap reference year, the birth year in the title',
    );
    const home = await dav('/dav/calendars/alice/', {
      method: 'PROPFIND',
      headers: { ...XML, Depth: '1' },
      body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/><D:current-user-privilege-set/></D:prop></D:propfind>',
    });
    const text = await home.text();
    assert.match(text, /contact_birthdays\/<\/D:href>[\s\S]*?Contact birthdays[\s\S]*?<\/D:response>/);
    const privileges = /contact_birthdays\/<\/D:href>([\s\S]*?)<\/D:response>/.exec(text)?.[1] ?? '';
    assert.doesNotMatch(privileges, /<D:write\/>|<D:bind\/>|<D:write-content\/>/);
  });

  it('RFC 5545 §3.3.10: the event recurs, so a calendar-query time range in a later year finds it', async () => {
    const r = await report(
      dav,
      CAL,
      query(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20301201T000000Z" end="20301231T000000Z"/></C:comp-filter></C:comp-filter>',
      ),
    );
    assert.equal(names(r.xml).length, 1);
  });

  it('vCard 3 and 4 forms: --MMDD without year (no year in the title), ISO dates, ANNIVERSARY and X-ANNIVERSARY, 29 February', async () => {
    await putCard('grace.vcf', card3('grace', 'Grace Hopper', 'BDAY:--12-09', 'X-ANNIVERSARY:1930-06-15'));
    await putCard('alan.vcf', card4('alan', 'Alan Turing', 'BDAY:19120623', 'ANNIVERSARY:--0401'));
    await putCard('leap.vcf', card4('leap', 'Leap Day', 'BDAY:--0229'));
    const got = await until('four more events', events, (m) => m.size === 6);
    assert.deepEqual([...got.keys()].sort(), [
      'Ada Lovelace (1815)',
      'Alan Turing (1912)',
      'Anniversary: Alan Turing',
      'Anniversary: Grace Hopper (1930)',
      'Grace Hopper',
      'Leap Day',
    ]);
    assert.match(got.get('Grace Hopper') ?? '', /DTSTART;VALUE=DATE:19721209/);
    assert.match(got.get('Alan Turing (1912)') ?? '', /DTSTART;VALUE=DATE:19120623/);
    assert.match(got.get('Leap Day') ?? '', /RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1/);
  });

  it('RFC 6578: editing a BDAY changes that event only; an edit that touches no date moves nothing; a delete removes the event', async () => {
    const t0 = await token();
    await putCard('ada.vcf', card4('ada', 'Ada Lovelace', 'BDAY:18151211'));
    await until("Ada's new date", events, (m) =>
      /DTSTART;VALUE=DATE:19721211/.test(m.get('Ada Lovelace (1815)') ?? ''),
    );
    const edited = await report(dav, CAL, sync(t0), null);
    assert.equal(names(edited.xml).length, 1);
    const adaEvent = names(edited.xml)[0]!;
    const t1 = tokenOf(edited.text);

    // An e-mail address changes no event; a later birthday shows the run happened.
    await putCard(
      'grace.vcf',
      card3('grace', 'Grace Hopper', 'BDAY:--12-09', 'X-ANNIVERSARY:1930-06-15', 'EMAIL:grace@example.org'),
    );
    await putCard('kat.vcf', card4('kat', 'Katherine Johnson', 'BDAY:19180826'));
    await until("Katherine's birthday", events, (m) => m.has('Katherine Johnson (1918)'));
    const quiet = await report(dav, CAL, sync(t1), null);
    assert.equal(names(quiet.xml).length, 1, 'only the new event, nothing for the e-mail edit');
    const t2 = tokenOf(quiet.text);

    assert.equal((await dav(`${BOOK}ada.vcf`, { method: 'DELETE' })).status, 204);
    await until("Ada's event gone", events, (m) => !m.has('Ada Lovelace (1815)'));
    const gone = await report(dav, CAL, sync(t2), null);
    assert.deepEqual(names(gone.xml), [adaEvent]);
    assert.match(gone.text, /404 Not Found/);
  });

  it('RFC 3744 §7.1.1: clients cannot write into it (PUT, DELETE → 403 DAV:need-privileges)', async () => {
    const [member] = names((await report(dav, CAL, sync(''), null)).xml);
    const put = await dav(`${CAL}x.ics`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/calendar' },
      body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    assert.equal(put.status, 403);
    assert.match(await put.text(), /need-privileges/);
    assert.equal((await dav(`${CAL}${member}`, { method: 'DELETE' })).status, 403);
  });

  it('turned off in the settings it goes; turned on it comes back with every event', async () => {
    const login = await fetch(`${s.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
    });
    const h = {
      Cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
      'X-Almanac-CSRF': ((await login.json()) as { csrf: string }).csrf,
      'Content-Type': 'application/json',
    };
    const off = await fetch(`${s.url}/app/birthdays`, {
      method: 'PUT',
      headers: h,
      body: JSON.stringify({ enabled: false }),
    });
    assert.deepEqual(await off.json(), { enabled: false });
    assert.equal((await dav(CAL, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404);
    await putCard('ada.vcf', card4('ada', 'Ada Lovelace', 'BDAY:18151210'));
    assert.equal((await dav(CAL, { method: 'PROPFIND', headers: { Depth: '0' } })).status, 404, 'off stays off');
    assert.deepEqual(await (await fetch(`${s.url}/app/birthdays`, { headers: h })).json(), { enabled: false });
    await fetch(`${s.url}/app/birthdays`, { method: 'PUT', headers: h, body: JSON.stringify({ enabled: true }) });
    const back = await until('the calendar back', events, (m) => m.size === 7);
    assert.ok(back.has('Ada Lovelace (1815)'));
  });
});
